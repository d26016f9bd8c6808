package io.ferry.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code ferry.agent.*}: which hosts this agent process serves and with which driver. */
@ConfigurationProperties("ferry.agent")
public class AgentProperties {

    /** Hypervisor driver: {@code simulated} (the libvirt driver is a later step). */
    private String driver = "simulated";
    /** Cell of the hosts this process serves. */
    private String cell = "cell1";
    /** How often each host re-publishes its full inventory (the heartbeat). */
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    /** The simulated driver's settings and fleet. */
    private Sim sim = new Sim();

    public String getDriver() { return driver; }
    public void setDriver(String driver) { this.driver = driver; }
    public String getCell() { return cell; }
    public void setCell(String cell) { this.cell = cell; }
    public Duration getHeartbeatInterval() { return heartbeatInterval; }
    public void setHeartbeatInterval(Duration heartbeatInterval) { this.heartbeatInterval = heartbeatInterval; }
    public Sim getSim() { return sim; }
    public void setSim(Sim sim) { this.sim = sim; }

    /** {@code ferry.agent.sim.*}. */
    public static class Sim {
        /** Simulated seconds per real second. */
        private double speed = 1.0;
        /** Real time between two simulation steps. */
        private Duration tick = Duration.ofMillis(100);
        /** Simulated time between two progress readings of a job. */
        private Duration progressInterval = Duration.ofSeconds(1);
        /** Seed of the simulator's random inputs (bandwidth jitter). */
        private long seed = 1;
        /** Fixed cost of the switchover (device state, resume, network announce). */
        private Duration switchover = Duration.ofMillis(30);
        /** The simulated hosts this process serves. */
        private List<SimHost> hosts = new ArrayList<>();

        public double getSpeed() { return speed; }
        public void setSpeed(double speed) { this.speed = speed; }
        public Duration getTick() { return tick; }
        public void setTick(Duration tick) { this.tick = tick; }
        public Duration getProgressInterval() { return progressInterval; }
        public void setProgressInterval(Duration progressInterval) { this.progressInterval = progressInterval; }
        public long getSeed() { return seed; }
        public void setSeed(long seed) { this.seed = seed; }
        public Duration getSwitchover() { return switchover; }
        public void setSwitchover(Duration switchover) { this.switchover = switchover; }
        public List<SimHost> getHosts() { return hosts; }
        public void setHosts(List<SimHost> hosts) { this.hosts = hosts; }
    }

    /** One simulated host. */
    public static class SimHost {
        private String name;
        private int vcpus = 32;
        private long memoryMb = 131072;
        private long memoryMbReserved = 512;
        private long diskGb = 2000;
        private String cpuModel = "Skylake-Server-IBRS";
        private long nicBandwidthMbps = 10000;
        private List<SimInstance> instances = new ArrayList<>();

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public int getVcpus() { return vcpus; }
        public void setVcpus(int vcpus) { this.vcpus = vcpus; }
        public long getMemoryMb() { return memoryMb; }
        public void setMemoryMb(long memoryMb) { this.memoryMb = memoryMb; }
        public long getMemoryMbReserved() { return memoryMbReserved; }
        public void setMemoryMbReserved(long memoryMbReserved) { this.memoryMbReserved = memoryMbReserved; }
        public long getDiskGb() { return diskGb; }
        public void setDiskGb(long diskGb) { this.diskGb = diskGb; }
        public String getCpuModel() { return cpuModel; }
        public void setCpuModel(String cpuModel) { this.cpuModel = cpuModel; }
        public long getNicBandwidthMbps() { return nicBandwidthMbps; }
        public void setNicBandwidthMbps(long nicBandwidthMbps) { this.nicBandwidthMbps = nicBandwidthMbps; }
        public List<SimInstance> getInstances() { return instances; }
        public void setInstances(List<SimInstance> instances) { this.instances = instances; }
    }

    /** One simulated instance, booted on its host at start. */
    public static class SimInstance {
        private String name;
        /** Defaults to a uuid derived from the name, so restarts keep it. */
        private String uuid;
        private long memoryMb = 2048;
        private int vcpus = 2;
        private int diskGb = 20;
        private String flavor = "m1.small";
        private String projectId = "demo";
        private String userId = "demo";
        private String workload = "idle";
        /** PCI passthrough / SR-IOV devices attached (such an instance is not live-migratable). */
        private java.util.List<String> pciDevices = new java.util.ArrayList<>();

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getUuid() { return uuid; }
        public void setUuid(String uuid) { this.uuid = uuid; }
        public long getMemoryMb() { return memoryMb; }
        public void setMemoryMb(long memoryMb) { this.memoryMb = memoryMb; }
        public int getVcpus() { return vcpus; }
        public void setVcpus(int vcpus) { this.vcpus = vcpus; }
        public int getDiskGb() { return diskGb; }
        public void setDiskGb(int diskGb) { this.diskGb = diskGb; }
        public String getFlavor() { return flavor; }
        public void setFlavor(String flavor) { this.flavor = flavor; }
        public String getProjectId() { return projectId; }
        public void setProjectId(String projectId) { this.projectId = projectId; }
        public String getUserId() { return userId; }
        public void setUserId(String userId) { this.userId = userId; }
        public String getWorkload() { return workload; }
        public void setWorkload(String workload) { this.workload = workload; }
        public java.util.List<String> getPciDevices() { return pciDevices; }
        public void setPciDevices(java.util.List<String> pciDevices) { this.pciDevices = pciDevices; }
    }
}

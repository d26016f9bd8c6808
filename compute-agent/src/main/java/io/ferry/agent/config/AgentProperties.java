package io.ferry.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code ferry.agent.*}: which hosts this agent process serves and with which driver. */
@ConfigurationProperties("ferry.agent")
public class AgentProperties {

    /** Hypervisor driver: {@code simulated} (a fleet from {@code ferry.agent.sim.*}) or {@code libvirt} (one real host). */
    private String driver = "simulated";
    /** Cell of the hosts this process serves. */
    private String cell = "cell1";
    /** How often each host re-publishes its full inventory (the heartbeat). */
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    /**
     * Host time between two measurements of a guest's dirty rate (calc-dirty-rate) for the inventory: the simulated
     * driver measures its model again at most this often; the libvirt driver starts a measurement of each running
     * domain at most this often when {@code ferry.agent.libvirt.dirty-rate-calc} is on. The inventory reports the
     * last result.
     */
    private Duration dirtyRateInterval = Duration.ofSeconds(30);
    /**
     * How long a lone migration stream's bandwidth reading counts for the inventory's per-stream bandwidth: the
     * highest reading within this window before the latest one is reported.
     */
    private Duration streamBandwidthWindow = Duration.ofMinutes(10);
    /** The simulated driver's settings and fleet. */
    private Sim sim = new Sim();
    /** The libvirt driver's settings: the one real host this process serves. */
    private Libvirt libvirt = new Libvirt();

    public String getDriver() { return driver; }
    public void setDriver(String driver) { this.driver = driver; }
    public String getCell() { return cell; }
    public void setCell(String cell) { this.cell = cell; }
    public Duration getHeartbeatInterval() { return heartbeatInterval; }
    public void setHeartbeatInterval(Duration heartbeatInterval) { this.heartbeatInterval = heartbeatInterval; }
    public Duration getDirtyRateInterval() { return dirtyRateInterval; }
    public void setDirtyRateInterval(Duration dirtyRateInterval) { this.dirtyRateInterval = dirtyRateInterval; }
    public Duration getStreamBandwidthWindow() { return streamBandwidthWindow; }
    public void setStreamBandwidthWindow(Duration streamBandwidthWindow) { this.streamBandwidthWindow = streamBandwidthWindow; }
    public Sim getSim() { return sim; }
    public void setSim(Sim sim) { this.sim = sim; }
    public Libvirt getLibvirt() { return libvirt; }
    public void setLibvirt(Libvirt libvirt) { this.libvirt = libvirt; }

    /** {@code ferry.agent.libvirt.*}: one real hypervisor host. */
    public static class Libvirt {
        /** libvirt URI of this host's daemon: {@code qemu:///system}, or {@code qemu+tls://host/system}. */
        private String uri = "qemu:///system";
        /** This host's name in Ferry (its commands topic is {@code ferry.host.<name>.commands}). */
        private String hostName;
        /** libvirt URI of a destination, {@code {host}} replaced by its Ferry name. */
        private String peerUriTemplate = "qemu+tls://{host}/system";
        /** Destinations whose URI or migration address the template does not give, by Ferry host name. */
        private java.util.Map<String, Peer> peers = new java.util.LinkedHashMap<>();
        /**
         * First port Ferry picks for the migration stream on a destination; 0 (default) lets the destination's
         * libvirtd pick a free one from its {@code migration_port_min..max} (49152-49215 unless changed).
         */
        private int migrationPortMin = 0;
        /** Last port of Ferry's range; 0 with the minimum 0. */
        private int migrationPortMax = 0;
        /** Stream cap in MiB/s when the conductor's order names none ({@code live_migration_bandwidth}); 0 = none. */
        private long bandwidthMibps = 0;
        /** Encrypt the migration stream with QEMU's native TLS ({@code live_migration_with_native_tls}). */
        private boolean tls = false;
        /** Parallel migration connections ({@code VIR_MIGRATE_PARALLEL}); 1 = a single stream. */
        private int parallelConnections = 1;
        /** Time between two job-stats readings of a running migration. */
        private Duration progressInterval = Duration.ofMillis(500);
        /** Domain type the CPU check compares against: {@code kvm}, or {@code qemu} for TCG. */
        private String virtType = "kvm";
        /** First wait before reconnecting to a daemon that stopped answering; doubles up to the maximum. */
        private Duration reconnectInitial = Duration.ofMillis(500);
        /** Longest wait between two reconnection attempts. */
        private Duration reconnectMax = Duration.ofSeconds(30);
        /** How long QEMU measures a guest's dirty rate (calc-dirty-rate) before its stream starts; 0 = not at all. */
        private Duration dirtyRateCalc = Duration.ZERO;
        /** Memory kept for the host itself, not offered to guests. */
        private long memoryMbReserved = 512;
        /** Local disk offered to guests (libvirt does not report it). */
        private long diskGb = 0;
        /** NIC bandwidth reported to the scheduler. */
        private long nicBandwidthMbps = 10000;
        /**
         * Destination check: a guest must fit in the free memory of one NUMA cell (true: guests bound to one node
         * with a strict numatune) or of the cells together (false, the default: libvirt's unbound placement).
         */
        private boolean numaStrict = false;

        public String getUri() { return uri; }
        public void setUri(String uri) { this.uri = uri; }
        public String getHostName() { return hostName; }
        public void setHostName(String hostName) { this.hostName = hostName; }
        public String getPeerUriTemplate() { return peerUriTemplate; }
        public void setPeerUriTemplate(String peerUriTemplate) { this.peerUriTemplate = peerUriTemplate; }
        public java.util.Map<String, Peer> getPeers() { return peers; }
        public void setPeers(java.util.Map<String, Peer> peers) { this.peers = peers; }
        public int getMigrationPortMin() { return migrationPortMin; }
        public void setMigrationPortMin(int migrationPortMin) { this.migrationPortMin = migrationPortMin; }
        public int getMigrationPortMax() { return migrationPortMax; }
        public void setMigrationPortMax(int migrationPortMax) { this.migrationPortMax = migrationPortMax; }
        public long getBandwidthMibps() { return bandwidthMibps; }
        public void setBandwidthMibps(long bandwidthMibps) { this.bandwidthMibps = bandwidthMibps; }
        public boolean isTls() { return tls; }
        public void setTls(boolean tls) { this.tls = tls; }
        public int getParallelConnections() { return parallelConnections; }
        public void setParallelConnections(int parallelConnections) { this.parallelConnections = parallelConnections; }
        public Duration getProgressInterval() { return progressInterval; }
        public void setProgressInterval(Duration progressInterval) { this.progressInterval = progressInterval; }
        public String getVirtType() { return virtType; }
        public void setVirtType(String virtType) { this.virtType = virtType; }
        public Duration getReconnectInitial() { return reconnectInitial; }
        public void setReconnectInitial(Duration reconnectInitial) { this.reconnectInitial = reconnectInitial; }
        public Duration getReconnectMax() { return reconnectMax; }
        public void setReconnectMax(Duration reconnectMax) { this.reconnectMax = reconnectMax; }
        public Duration getDirtyRateCalc() { return dirtyRateCalc; }
        public void setDirtyRateCalc(Duration dirtyRateCalc) { this.dirtyRateCalc = dirtyRateCalc; }
        public long getMemoryMbReserved() { return memoryMbReserved; }
        public void setMemoryMbReserved(long memoryMbReserved) { this.memoryMbReserved = memoryMbReserved; }
        public long getDiskGb() { return diskGb; }
        public void setDiskGb(long diskGb) { this.diskGb = diskGb; }
        public long getNicBandwidthMbps() { return nicBandwidthMbps; }
        public void setNicBandwidthMbps(long nicBandwidthMbps) { this.nicBandwidthMbps = nicBandwidthMbps; }
        public boolean isNumaStrict() { return numaStrict; }
        public void setNumaStrict(boolean numaStrict) { this.numaStrict = numaStrict; }
    }

    /** {@code ferry.agent.libvirt.peers.<host>.*}: how to reach one destination. */
    public static class Peer {
        /** Its libvirt URI (what the source daemon connects to, peer to peer). */
        private String uri;
        /** The address its migration stream listens on ({@code live_migration_inbound_addr}). */
        private String migrationAddress;

        public String getUri() { return uri; }
        public void setUri(String uri) { this.uri = uri; }
        public String getMigrationAddress() { return migrationAddress; }
        public void setMigrationAddress(String migrationAddress) { this.migrationAddress = migrationAddress; }
    }

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
        /**
         * URL of a simulated hypervisor daemon (SimHypervisorDaemon) that runs the hosts' guests and migration jobs
         * outside this process, so the agent can be killed while they go on; empty: in this process.
         */
        private String hypervisorUrl;

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
        public String getHypervisorUrl() { return hypervisorUrl; }
        public void setHypervisorUrl(String hypervisorUrl) { this.hypervisorUrl = hypervisorUrl; }
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
        /**
         * What one migration stream from this host can push (its sending thread's CPU ceiling), Mbit/s; unset: the
         * simulator's default (3 GB/s, above a 10 Gbit/s NIC); 0: none.
         */
        private Long streamCeilingMbps;
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
        public Long getStreamCeilingMbps() { return streamCeilingMbps; }
        public void setStreamCeilingMbps(Long streamCeilingMbps) { this.streamCeilingMbps = streamCeilingMbps; }
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

package io.ferry.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fleet of simulated hosts and their instances, turned into the compute agent's {@code ferry.agent.sim.*} properties. */
public record SimFleet(List<Host> hosts) {

    /** A simulated instance. */
    public record Vm(String name, long memoryMb, int vcpus, int diskGb, String flavor, String workload) {
    }

    /** A simulated host. */
    public record Host(String name, int vcpus, long memoryMb, long nicBandwidthMbps, List<Vm> vms) {
    }

    /** The laptop default: {@code hosts} hosts, {@code vms} instances of mixed sizes spread over them round-robin. */
    public static SimFleet standard(int hostCount, int vmCount) {
        String[][] flavors = {
                {"m1.small", "2048", "1", "20", "web"},
                {"m1.medium", "4096", "2", "40", "web"},
                {"m1.large", "8192", "4", "80", "database"},
                {"m1.xlarge", "16384", "8", "160", "database"},
                {"m1.tiny", "512", "1", "1", "idle"}};
        List<List<Vm>> perHost = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            perHost.add(new ArrayList<>());
        }
        for (int i = 0; i < vmCount; i++) {
            String[] f = flavors[i % flavors.length];
            perHost.get(i % hostCount).add(new Vm("vm-%02d".formatted(i + 1), Long.parseLong(f[1]),
                    Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[0], f[4]));
        }
        List<Host> hosts = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            hosts.add(new Host("compute-%d".formatted(h + 1), 32, 131072, 10000, perHost.get(h)));
        }
        return new SimFleet(hosts);
    }

    /** The compute agent's properties for this fleet. */
    public Map<String, Object> agentProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int h = 0; h < hosts.size(); h++) {
            Host host = hosts.get(h);
            String prefix = "ferry.agent.sim.hosts[" + h + "].";
            properties.put(prefix + "name", host.name());
            properties.put(prefix + "vcpus", host.vcpus());
            properties.put(prefix + "memory-mb", host.memoryMb());
            properties.put(prefix + "nic-bandwidth-mbps", host.nicBandwidthMbps());
            for (int v = 0; v < host.vms().size(); v++) {
                Vm vm = host.vms().get(v);
                String vmPrefix = prefix + "instances[" + v + "].";
                properties.put(vmPrefix + "name", vm.name());
                properties.put(vmPrefix + "memory-mb", vm.memoryMb());
                properties.put(vmPrefix + "vcpus", vm.vcpus());
                properties.put(vmPrefix + "disk-gb", vm.diskGb());
                properties.put(vmPrefix + "flavor", vm.flavor());
                properties.put(vmPrefix + "workload", vm.workload());
            }
        }
        return properties;
    }

    public int vmCount() {
        return hosts.stream().mapToInt(h -> h.vms().size()).sum();
    }
}

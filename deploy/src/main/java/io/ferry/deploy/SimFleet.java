package io.ferry.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fleet of simulated hosts and their instances, turned into the compute agent's {@code ferry.agent.sim.*} properties. */
public record SimFleet(List<Host> hosts) {

    /** A simulated instance; {@code pciDevices}: passthrough / SR-IOV devices (not live-migratable). */
    public record Vm(String name, long memoryMb, int vcpus, int diskGb, String flavor, String workload,
                     List<String> pciDevices) {

        public Vm(String name, long memoryMb, int vcpus, int diskGb, String flavor, String workload) {
            this(name, memoryMb, vcpus, diskGb, flavor, workload, List.of());
        }

        public Vm {
            pciDevices = pciDevices == null ? List.of() : List.copyOf(pciDevices);
        }
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

    /**
     * The host a drain moves: ten guests of mixed profiles, 48 GiB in all, on a 10 Gbit/s NIC: a database (8 GiB,
     * 600 MB/s), a bursty guest (4 GiB), three web servers (4, 4, 8 GiB), five idle guests (2, 2, 4, 4, 8 GiB).
     */
    public static List<Vm> drainableGuests() {
        return List.of(
                new Vm("db-1", 8192, 4, 80, "m1.large", "database"),
                new Vm("bursty-1", 4096, 2, 40, "m1.medium", "bursty"),
                new Vm("web-1", 4096, 2, 40, "m1.medium", "web"),
                new Vm("web-2", 4096, 2, 40, "m1.medium", "web"),
                new Vm("web-3", 8192, 4, 80, "m1.large", "web"),
                new Vm("idle-1", 2048, 1, 20, "m1.small", "idle"),
                new Vm("idle-2", 2048, 1, 20, "m1.small", "idle"),
                new Vm("idle-3", 4096, 2, 40, "m1.medium", "idle"),
                new Vm("idle-4", 4096, 2, 40, "m1.medium", "idle"),
                new Vm("idle-5", 8192, 4, 80, "m1.large", "idle"));
    }

    /**
     * {@code compute-a} with {@link #drainableGuests()} (and, with {@code pciGuest}, an 11th guest with an SR-IOV
     * device), and {@code destinations} empty hosts of {@code destinationMemoryMb} each, all on 10 Gbit/s NICs.
     */
    public static SimFleet drainTarget(int destinations, long destinationMemoryMb, boolean pciGuest) {
        List<Vm> guests = new ArrayList<>(drainableGuests());
        if (pciGuest) {
            guests.add(new Vm("nfv-1", 4096, 2, 40, "m1.medium.sriov", "web", List.of("0000:3b:00.1 (SR-IOV VF)")));
        }
        List<Host> hosts = new ArrayList<>();
        hosts.add(new Host("compute-a", 64, 131072, 10000, guests));
        for (int d = 0; d < destinations; d++) {
            hosts.add(new Host("compute-" + (char) ('b' + d), 32, destinationMemoryMb, 10000, List.of()));
        }
        return new SimFleet(hosts);
    }

    /**
     * The demo's fleet: six hosts, forty guests. {@code compute-1} is the busiest ({@link #drainableGuests()} and a
     * guest with an SR-IOV device, 52 GiB); the five others carry 29 smaller guests between them (web, idle, one
     * database each), all on 10 Gbit/s NICs with room to take compute-1's guests.
     */
    public static SimFleet demo() {
        List<Vm> busiest = new ArrayList<>(drainableGuests());
        busiest.add(new Vm("nfv-1", 4096, 2, 40, "m1.medium.sriov", "web", List.of("0000:3b:00.1 (SR-IOV VF)")));
        List<Host> hosts = new ArrayList<>();
        hosts.add(new Host("compute-1", 64, 131072, 10000, busiest));
        String[][] small = {
                {"m1.small", "2048", "1", "20", "web"},
                {"m1.tiny", "512", "1", "1", "idle"},
                {"m1.medium", "4096", "2", "40", "idle"},
                {"m1.small", "2048", "1", "20", "idle"},
                {"m1.medium", "4096", "2", "40", "database"},
                {"m1.tiny", "512", "1", "1", "web"}};
        int vm = 0;
        for (int h = 2; h <= 6; h++) {
            List<Vm> guests = new ArrayList<>();
            int count = h == 6 ? 5 : 6;
            for (int i = 0; i < count; i++) {
                String[] f = small[i % small.length];
                vm++;
                guests.add(new Vm("vm-%02d".formatted(vm), Long.parseLong(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), f[0], f[4]));
            }
            hosts.add(new Host("compute-" + h, 32, 131072, 10000, guests));
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
                for (int d = 0; d < vm.pciDevices().size(); d++) {
                    properties.put(vmPrefix + "pci-devices[" + d + "]", vm.pciDevices().get(d));
                }
            }
        }
        return properties;
    }

    public int vmCount() {
        return hosts.stream().mapToInt(h -> h.vms().size()).sum();
    }
}

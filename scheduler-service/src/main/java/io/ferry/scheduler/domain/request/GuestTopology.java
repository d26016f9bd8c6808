package io.ferry.scheduler.domain.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The guest NUMA topology a flavor's extra specs ask for, as Nova's {@code hardware.numa_get_constraints} derives
 * it: {@code hw:numa_nodes}, {@code hw:cpu_policy=dedicated} (pinned vCPUs), {@code hw:mem_page_size} and the
 * per-node {@code hw:numa_cpus.N} / {@code hw:numa_mem.N}. A flavor without any of them has no topology (the guest
 * floats over the host's cells and only the totals matter).
 *
 * <p>Simplifications, stated: {@code hw:cpu_policy=mixed} counts as unpinned; {@code hw:mem_page_size=large} means
 * 2 MiB pages and {@code any} means small pages, where Nova would pick the host's page size.
 */
public final class GuestTopology {

    public static final String NUMA_NODES = "hw:numa_nodes";
    public static final String CPU_POLICY = "hw:cpu_policy";
    public static final String MEM_PAGE_SIZE = "hw:mem_page_size";
    public static final String NUMA_CPUS = "hw:numa_cpus.";
    public static final String NUMA_MEM = "hw:numa_mem.";

    private GuestTopology() {
    }

    /** The guest cells, in order; empty when the flavor asks for no NUMA topology. */
    public static List<GuestNumaCell> of(Flavor flavor) {
        Map<String, String> specs = flavor.extraSpecs();
        boolean pinned = "dedicated".equalsIgnoreCase(specs.getOrDefault(CPU_POLICY, "").strip());
        String pageSpec = specs.get(MEM_PAGE_SIZE);
        int pageSizeKb = pageSpec == null ? 0 : pageSizeKb(pageSpec);
        String nodesSpec = specs.get(NUMA_NODES);
        if (nodesSpec == null && !pinned && pageSpec == null) {
            return List.of();
        }
        int nodes = nodesSpec == null ? 1 : positiveInt(NUMA_NODES, nodesSpec);
        if (nodes > flavor.vcpus()) {
            throw new IllegalArgumentException(NUMA_NODES + "=" + nodes + " exceeds the flavor's " + flavor.vcpus()
                    + " vCPUs");
        }
        int[] cpus = new int[nodes];
        long[] memory = new long[nodes];
        boolean explicit = specs.containsKey(NUMA_CPUS + "0") || specs.containsKey(NUMA_MEM + "0");
        if (explicit) {
            int cpuSum = 0;
            long memSum = 0;
            for (int i = 0; i < nodes; i++) {
                String c = specs.get(NUMA_CPUS + i);
                String m = specs.get(NUMA_MEM + i);
                if (c == null || m == null) {
                    throw new IllegalArgumentException("NUMA node " + i + " needs both " + NUMA_CPUS + i + " and "
                            + NUMA_MEM + i + " when any node is given explicitly");
                }
                cpus[i] = cpuCount(NUMA_CPUS + i, c);
                memory[i] = positiveLong(NUMA_MEM + i, m);
                cpuSum += cpus[i];
                memSum += memory[i];
            }
            if (cpuSum != flavor.vcpus() || memSum != flavor.ramMb()) {
                throw new IllegalArgumentException("the NUMA nodes add up to " + cpuSum + " vCPUs and " + memSum
                        + " MB, the flavor has " + flavor.vcpus() + " vCPUs and " + flavor.ramMb() + " MB");
            }
        } else {
            if (flavor.vcpus() % nodes != 0 || flavor.ramMb() % nodes != 0) {
                throw new IllegalArgumentException("cannot split " + flavor.vcpus() + " vCPUs and " + flavor.ramMb()
                        + " MB evenly over " + nodes + " NUMA nodes; give " + NUMA_CPUS + "N and " + NUMA_MEM + "N");
            }
            for (int i = 0; i < nodes; i++) {
                cpus[i] = flavor.vcpus() / nodes;
                memory[i] = flavor.ramMb() / nodes;
            }
        }
        List<GuestNumaCell> cells = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            cells.add(new GuestNumaCell(cpus[i], memory[i], pinned, pageSizeKb));
        }
        return List.copyOf(cells);
    }

    /** {@code hw:mem_page_size} in KiB, 0 for small pages: small, any, large, or a size such as 2048, 2MB, 1GB. */
    static int pageSizeKb(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "small", "any" -> {
                return 0;
            }
            case "large" -> {
                return 2048;
            }
            default -> {
                // a size; Nova's default unit is KiB
            }
        }
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new IllegalArgumentException(MEM_PAGE_SIZE + "=" + spec + " is not small, large, any or a size");
        }
        long value = Long.parseLong(s.substring(0, end));
        long kib = switch (s.substring(end).strip()) {
            case "", "k", "kb", "kib" -> value;
            case "m", "mb", "mib" -> value * 1024;
            case "g", "gb", "gib" -> value * 1024 * 1024;
            default -> throw new IllegalArgumentException(MEM_PAGE_SIZE + "=" + spec + " has an unknown unit");
        };
        if (kib <= 4) {
            return 0;
        }
        return Math.toIntExact(kib);
    }

    /** The number of CPUs in a list such as {@code 0-3,6,^2}. */
    static int cpuCount(String key, String list) {
        java.util.BitSet set = new java.util.BitSet();
        java.util.BitSet excluded = new java.util.BitSet();
        for (String part : list.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean exclude = p.startsWith("^");
            java.util.BitSet target = exclude ? excluded : set;
            if (exclude) {
                p = p.substring(1);
            }
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int from = Integer.parseInt(p.substring(0, dash).strip());
                    int to = Integer.parseInt(p.substring(dash + 1).strip());
                    if (from > to) {
                        throw new IllegalArgumentException(key + "=" + list + ": range " + p + " runs backwards");
                    }
                    target.set(from, to + 1);
                } else {
                    target.set(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + "=" + list + " is not a CPU list", e);
            }
        }
        set.andNot(excluded);
        if (set.isEmpty()) {
            throw new IllegalArgumentException(key + "=" + list + " names no CPU");
        }
        return set.cardinality();
    }

    private static int positiveInt(String key, String value) {
        long v = positiveLong(key, value);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + "=" + value + " is too large");
        }
        return (int) v;
    }

    private static long positiveLong(String key, String value) {
        try {
            long v = Long.parseLong(value.strip());
            if (v <= 0) {
                throw new IllegalArgumentException(key + "=" + value + " must be positive");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a number", e);
        }
    }
}

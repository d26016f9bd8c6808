package io.ferry.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code ./ferry bench [NAME] [--quick]}: runs one benchmark, or lists them. Each prints a human table, then one
 * closing line {@code bench NAME: key=value ...} (see ../shared/BENCH.md).
 */
public final class Bench {

    private record Entry(String description, Consumer<String[]> main) {
    }

    private static final Map<String, Entry> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("scheduler", new Entry(
                "scheduler decision latency p50/p99 and decisions/s at 100, 1,000 and 10,000 hosts (one thread)",
                SchedulerBench::main));
        BENCHMARKS.put("simulator", new Entry(
                "simulator speed: CPU for one 16 GiB migration; 10,000 concurrent migrations vs real time at 100x",
                SimulatorBench::main));
        BENCHMARKS.put("drain", new Entry(
                "drain one host of 10 mixed guests: one at a time, two at a time, Ferry's plan; vs memory / NIC",
                DrainBench::main));
        BENCHMARKS.put("policy", new Entry(
                "convergence policies on the simulator: Nova's, Ferry's predictive, KubeVirt's; every workload profile",
                PolicyBench::main));
    }

    static {
        BENCHMARKS.put("gateway", new Entry(
                "POST os-migrateLive -> stream started p50/p99 over 1,000 migrations; GET /servers/detail with 10,000 servers",
                args -> {
                    try {
                        GatewayBench.main(args);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    static {
        BENCHMARKS.put("libvirt", new Entry(
                "real QEMU guests on two real libvirtd daemons: virsh migrate vs through Ferry, idle and dirtying (root)",
                LibvirtBench::main));
    }

    private Bench() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            System.out.println("benchmarks (./ferry bench NAME [--quick]):");
            BENCHMARKS.forEach((name, entry) -> System.out.printf("  %-10s %s%n", name, entry.description()));
            return;
        }
        Entry entry = BENCHMARKS.get(args[0]);
        if (entry == null) {
            System.err.println("no benchmark named " + args[0] + "; ./ferry bench lists them");
            System.exit(2);
        }
        entry.main().accept(Arrays.copyOfRange(args, 1, args.length));
    }
}

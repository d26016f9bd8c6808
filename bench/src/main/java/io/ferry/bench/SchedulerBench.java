package io.ferry.bench;

import io.ferry.scheduler.domain.ByteSize;
import io.ferry.scheduler.domain.CpuFeatures;
import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.claim.ClaimLedger;
import io.ferry.scheduler.domain.host.Aggregate;
import io.ferry.scheduler.domain.host.CpuInfo;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.NumaCell;
import io.ferry.scheduler.domain.request.CpuMode;
import io.ferry.scheduler.domain.request.Flavor;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.GuestCpu;
import io.ferry.scheduler.domain.request.GuestNumaCell;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.request.ServerGroup;
import io.ferry.scheduler.domain.select.Decision;
import io.ferry.scheduler.domain.select.HostSelector;
import io.ferry.scheduler.domain.select.SchedulerSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Scheduler decision latency at 100, 1,000 and 10,000 hosts, single thread: a realistic mixed fleet
 * (two cells, three CPU generations, 5% disabled, 2% down, NUMA cells, aggregates, open claims on 2%
 * of hosts) and a mix of requests (host-model, custom Westmere, pinned NUMA guests, server groups,
 * block migrations). Measures {@code HostSelector.select}, the pure decision.
 *
 * <p>Usage: {@code SchedulerBench [--quick]}. Prints a table, then one line
 * {@code bench scheduler: key=value ...}.
 */
public final class SchedulerBench {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final CpuFeatures WESTMERE = CpuFeatures.of(
            "fpu", "mmx", "sse", "sse2", "ssse3", "sse4_1", "sse4_2", "popcnt", "aes", "pclmuldq", "cx16", "lahf_lm");
    private static final CpuFeatures BROADWELL = WESTMERE.with(
            "avx", "avx2", "fma", "bmi1", "bmi2", "movbe", "rdrand", "f16c", "xsave", "adx", "rdseed", "smap");
    private static final CpuFeatures SKYLAKE = BROADWELL.with(
            "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "clflushopt", "clwb", "pku", "xsavec");
    private static final CpuFeatures CASCADE = SKYLAKE.with("avx512_vnni");
    private static final CpuInfo[] CPUS = {
        new CpuInfo("x86_64", "Intel", "Broadwell", BROADWELL),
        new CpuInfo("x86_64", "Intel", "Skylake-Server", SKYLAKE),
        new CpuInfo("x86_64", "Intel", "Cascadelake-Server", CASCADE),
    };

    private SchedulerBench() {
    }

    record Result(int hosts, int decisions, double p50Ms, double p99Ms, double maxMs, double dps, int selected, int noValid) {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int[] sizes = {100, 1_000, 10_000};
        // decisions measured per size, after as many warm-up decisions
        int[] decisions = quick ? new int[] {20_000, 5_000, 1_500} : new int[] {100_000, 20_000, 5_000};
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        HostSelector selector = HostSelector.create(SchedulerSettings.defaults(), clock);

        List<Result> results = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            results.add(run(selector, sizes[s], decisions[s], 42L + s));
        }

        System.out.printf(Locale.ROOT, "scheduler decision latency (HostSelector.select, 1 thread, %s run, %d cpus, %s)%n",
                quick ? "quick" : "full", Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        System.out.printf(Locale.ROOT, "%8s %10s %9s %9s %9s %12s %9s %9s%n",
                "hosts", "decisions", "p50_ms", "p99_ms", "max_ms", "decisions/s", "selected", "no_host");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%8d %10d %9.3f %9.3f %9.3f %12.0f %9d %9d%n",
                    r.hosts, r.decisions, r.p50Ms, r.p99Ms, r.maxMs, r.dps, r.selected, r.noValid);
        }
        Result small = results.get(0);
        Result big = results.get(2);
        double growth = big.p50Ms / small.p50Ms;
        System.out.printf(Locale.ROOT, "growth 100 -> 10,000 hosts (p50 ratio, 100x the hosts): %.1fx; target p99 < 5 ms at 10,000: %s%n",
                growth, big.p99Ms < 5.0 ? "met" : "NOT met");
        System.out.printf(Locale.ROOT,
                "bench scheduler: hosts_100_p99_ms=%.3f hosts_1000_p99_ms=%.3f hosts_10000_p50_ms=%.3f hosts_10000_p99_ms=%.3f hosts_10000_dps=%.0f growth_100_to_10000=%.1f%n",
                small.p99Ms, results.get(1).p99Ms, big.p50Ms, big.p99Ms, big.dps, growth);
    }

    private static Result run(HostSelector selector, int hostCount, int decisions, long seed) {
        Random random = new Random(seed);
        List<HostState> hosts = fleet(hostCount, random);
        ClaimLedger ledger = new ClaimLedger();
        RequestSpec small = request(random, hosts, 0);
        for (int i = 0; i < hostCount / 50; i++) {
            HostState h = hosts.get(random.nextInt(hostCount));
            ledger.tryClaim(MigrationId.random(), h, small);
        }
        RequestSpec[] requests = new RequestSpec[256];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = request(random, hosts, i);
        }
        // warm-up: the same number of decisions, unmeasured
        long sink = 0;
        for (int i = 0; i < decisions; i++) {
            sink += selector.select(requests[i & 255], hosts, ledger).hashCode();
        }
        long[] nanos = new long[decisions];
        int selected = 0;
        int noValid = 0;
        long begin = System.nanoTime();
        for (int i = 0; i < decisions; i++) {
            long t0 = System.nanoTime();
            Decision d = selector.select(requests[i & 255], hosts, ledger);
            nanos[i] = System.nanoTime() - t0;
            if (d instanceof Decision.Selected) {
                selected++;
            } else {
                noValid++;
            }
        }
        long elapsed = System.nanoTime() - begin;
        if (sink == 42) {
            System.out.print("");
        }
        Arrays.sort(nanos);
        return new Result(hostCount, decisions, pct(nanos, 0.50), pct(nanos, 0.99), nanos[decisions - 1] / 1e6,
                decisions / (elapsed / 1e9), selected, noValid);
    }

    private static double pct(long[] sorted, double p) {
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, idx)] / 1e6;
    }

    private static List<HostState> fleet(int n, Random random) {
        List<HostState> hosts = new ArrayList<>(n);
        Aggregate ssd = new Aggregate("ssd", Map.of("ssd", "true"));
        Aggregate hdd = new Aggregate("hdd", Map.of("ssd", "false"));
        for (int i = 0; i < n; i++) {
            int cores = 32 + 16 * random.nextInt(3);
            long ramGib = 256L + 128L * random.nextInt(3);
            HostState.Builder b = HostState.builder(String.format("compute-%05d", i))
                    .withVcpus(cores)
                    .withUsedVcpus(random.nextInt(cores * 4))
                    .withRam(ByteSize.gib(ramGib))
                    .withUsedRam(ByteSize.gib(random.nextLong(ramGib - 1)))
                    .withDiskGb(2000).withUsedDiskGb(random.nextInt(2000))
                    .withCpu(CPUS[random.nextInt(CPUS.length)])
                    .inCell(random.nextInt(10) < 8 ? "cell1" : "cell2")
                    .inZone("az" + (1 + random.nextInt(3)))
                    .inAggregate(random.nextBoolean() ? ssd : hdd)
                    .withHeartbeat(NOW.minusSeconds(random.nextInt(100) < 2 ? 300 : random.nextInt(30)))
                    .withMigrations(random.nextInt(3), random.nextInt(3));
            long cellMb = ramGib * 1024 / 2;
            for (int c = 0; c < 2; c++) {
                b.withNumaCell(new NumaCell(c, cores / 2, random.nextInt(cores / 2 + 1), cellMb,
                        random.nextLong(cellMb), List.of()));
            }
            if (random.nextInt(100) < 5) {
                b.disabled("maintenance");
            }
            hosts.add(b.build());
        }
        return hosts;
    }

    private static RequestSpec request(Random random, List<HostState> hosts, int i) {
        HostState source = hosts.get(random.nextInt(hosts.size()));
        CpuInfo cpu = source.cpu();
        GuestCpu guestCpu = random.nextInt(10) == 0
                ? new GuestCpu(CpuMode.CUSTOM, "x86_64", "Intel", "Westmere", WESTMERE)
                : new GuestCpu(CpuMode.HOST_MODEL, cpu.arch(), cpu.vendor(), cpu.model(), cpu.features());
        int vcpus = 1 << random.nextInt(4);
        Map<String, String> specs = new HashMap<>();
        if (random.nextInt(5) == 0) {
            specs.put("aggregate_instance_extra_specs:ssd", "true");
        }
        RequestSpec.Builder b = RequestSpec.builder()
                .instance(new UUID(seedOf(i), i))
                .flavor(new Flavor("bench." + vcpus, vcpus, 2048L * vcpus, 20L * vcpus, specs))
                .guestCpu(guestCpu)
                .source(source.name(), source.cell())
                .blockMigration(random.nextInt(4) == 0)
                .maxAlternates(3);
        if (random.nextInt(10) == 0) {
            b.addNumaCell(new GuestNumaCell(vcpus, 2048L * vcpus, true, 0));
        }
        if (random.nextInt(10) == 0) {
            Map<HostName, Integer> members = new HashMap<>();
            for (int m = 0; m < 5; m++) {
                members.put(hosts.get(random.nextInt(hosts.size())).name(), 1);
            }
            b.serverGroup(new ServerGroup("g" + i, random.nextBoolean() ? GroupPolicy.ANTI_AFFINITY
                    : GroupPolicy.SOFT_ANTI_AFFINITY, members));
        }
        return b.build();
    }

    private static long seedOf(int i) {
        return 0xFE77L << 16 | i;
    }
}

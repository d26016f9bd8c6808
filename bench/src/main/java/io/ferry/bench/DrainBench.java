package io.ferry.bench;

import io.ferry.deploy.DrainSession;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.DrainedInstance;
import io.ferry.schemas.migration.MigrationRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./ferry bench drain}: drains the same simulated host three ways in one run, each on a fresh Ferry (embedded
 * KRaft broker, the four services, simulated hosts): one migration at a time (Nova's default
 * {@code max_concurrent_live_migrations=1}, the commands {@code nova host-evacuate-live} publishes), two at a time
 * (KubeVirt's default {@code parallelOutboundMigrationsPerNode=2}), and Ferry's drain plan (one DrainHost command).
 * The host: {@link SimFleet#drainableGuests()}, ten guests of mixed profiles, 48 GiB, on a 10 Gbit/s NIC; three empty
 * destinations with room for all. Drain time runs from the first command to the last migration's completion record,
 * measured on the wall clock and converted to simulated seconds at the simulator's speed, so it includes the control
 * plane's own latency (Kafka round trips, scheduling, destination preparation) scaled by the same factor: the full
 * run uses speed 1 (simulated time is real time, so that latency counts as it is), {@code --quick} speed 10
 * (the latency weighs ten times more), {@code --speed X} any other.
 */
public final class DrainBench {

    private static final String HOST = "compute-a";

    private record Way(String key, String label, Map<String, Object> properties, boolean plan) {
    }

    private record Run(Way way, double drainSeconds, int peak, double gibSent, long maxDowntimeMs, int completed,
                       List<String> timeline) {
    }

    private DrainBench() {
    }

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        double speed = quick ? 10.0 : 1.0;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--speed")) {
                speed = Double.parseDouble(args[i + 1]);
            }
        }
        List<Way> ways = List.of(
                new Way("serial", "one at a time (Nova max_concurrent_live_migrations=1)",
                        Map.of("ferry.conductor.max-concurrent-live-migrations", 1), false),
                new Way("pair", "two at a time (KubeVirt parallelOutboundMigrationsPerNode=2)",
                        Map.of("ferry.conductor.max-concurrent-live-migrations", 2), false),
                new Way("ferry", "Ferry's drain plan (DrainHost)", Map.of(), true));
        long memoryMb = SimFleet.drainableGuests().stream().mapToLong(SimFleet.Vm::memoryMb).sum();
        double lowerBound = memoryMb * 1024.0 * 1024.0 / 1.25e9;
        System.out.printf(Locale.ROOT, "drain benchmark: end to end (embedded Kafka broker, conductor, scheduler, "
                + "simulated agents) at sim speed %.0fx; %d cpus%n", speed, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "host %s: %d guests, %.0f GiB on 10 Gbit/s; lower bound (memory / NIC) %.1f s%n",
                HOST, SimFleet.drainableGuests().size(), memoryMb / 1024.0, lowerBound);
        List<Run> runs = new ArrayList<>();
        for (Way way : ways) {
            runs.add(run(way, speed));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-62s %9s %7s %9s %9s %12s %9s%n", "way", "drain_s", "ratio", "in_flight",
                "GiB_sent", "max_down_ms", "completed");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "%-62s %9.1f %7.2f %9d %9.1f %12d %6d/10%n", r.way().label(),
                    r.drainSeconds(), r.drainSeconds() / lowerBound, r.peak(), r.gibSent(), r.maxDowntimeMs(),
                    r.completed());
        }
        Run serial = runs.get(0);
        Run pair = runs.get(1);
        Run ferry = runs.get(2);
        boolean allDone = runs.stream().allMatch(r -> r.completed() == 10);
        System.out.println("in_flight: most migrations at once between leaving the queue and completing (preparing"
                + " ahead and post-migrating included; not the streams on the NIC)");
        System.out.println();
        for (Run r : runs) {
            System.out.println(r.way().key() + " timeline (simulated s from the first command: start-end guest):");
            r.timeline().forEach(line -> System.out.println("  " + line));
        }
        System.out.printf(Locale.ROOT, "%nferry vs serial %.2fx faster, vs pair %.2fx faster; target ferry_ratio <= 1.15: %s%n",
                serial.drainSeconds() / ferry.drainSeconds(), pair.drainSeconds() / ferry.drainSeconds(),
                ferry.drainSeconds() / lowerBound <= 1.15 ? "met" : "NOT met");
        System.out.printf(Locale.ROOT, "bench drain: hosts=1 vms=10 lower_bound_s=%.1f ferry_s=%.1f serial_s=%.1f "
                        + "pair_s=%.1f ferry_ratio=%.2f serial_ratio=%.2f pair_ratio=%.2f mode=end-to-end speed=%.0f%n",
                lowerBound, ferry.drainSeconds(), serial.drainSeconds(), pair.drainSeconds(),
                ferry.drainSeconds() / lowerBound, serial.drainSeconds() / lowerBound, pair.drainSeconds() / lowerBound,
                speed);
        if (!allDone) {
            System.err.println("bench drain: not every migration completed; the figures above are not comparable");
            System.exit(1);
        }
        System.exit(0);
    }

    private static Run run(Way way, double speed) {
        System.out.printf(Locale.ROOT, "  %s ...%n", way.label());
        Path data;
        try {
            data = Files.createTempDirectory("ferry-bench-drain-" + way.key());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> properties = new LinkedHashMap<>(way.properties());
        properties.put("logging.level.io.ferry", "WARN");
        properties.put("ferry.agent.heartbeat-interval", "1s");
        try (DrainSession session = DrainSession.start(data, SimFleet.drainTarget(3, 65536, false), speed,
                properties)) {
            session.awaitInventories(4, Duration.ofSeconds(60));
            List<String> instances = session.instancesOf(HOST).stream().map(HostedInstance::getSpec)
                    .map(s -> s.getUuid()).toList();
            if (way.plan()) {
                session.dryRun(HOST, instances.size(), Duration.ofSeconds(60));
            }
            long t0 = System.currentTimeMillis();
            List<String> migrations;
            if (way.plan()) {
                DrainRecord drain = session.awaitDrain(session.drain(HOST, "bench"), Duration.ofMinutes(5));
                migrations = drain.getInstances().stream().filter(DrainedInstance::getMigratable)
                        .map(DrainedInstance::getMigrationUuid).toList();
            } else {
                migrations = session.migrateEach(instances);
            }
            session.awaitEnded(migrations, Duration.ofMinutes(5));
            List<MigrationRecord> ended = migrations.stream().map(u -> session.migration(u).orElseThrow()).toList();
            long end = ended.stream().mapToLong(MigrationRecord::getUpdatedAt).max().orElse(t0);
            List<long[]> intervals = new ArrayList<>();
            List<String> timeline = new ArrayList<>();
            for (MigrationRecord m : ended.stream().sorted(Comparator.comparingLong(m -> session.startedAt(m.getUuid())))
                    .toList()) {
                long start = session.startedAt(m.getUuid());
                intervals.add(new long[] {start, m.getUpdatedAt()});
                timeline.add(String.format(Locale.ROOT, "%6.1f-%6.1f %-9s %s", session.simulatedSeconds(start - t0),
                        session.simulatedSeconds(m.getUpdatedAt() - t0), m.getInstance().getName(), m.getStatus()));
            }
            int peak = 0;
            for (long[] i : intervals) {
                int overlapping = (int) intervals.stream().filter(o -> o[0] <= i[0] && o[1] > i[0]).count();
                peak = Math.max(peak, overlapping);
            }
            double gib = ended.stream().mapToLong(MigrationRecord::getMemoryProcessedBytes).sum() / (1024.0 * 1024 * 1024);
            long maxDown = ended.stream().mapToLong(MigrationRecord::getDowntimeMs).max().orElse(0);
            int completed = (int) ended.stream().filter(m -> "completed".equals(m.getStatus())).count();
            return new Run(way, session.simulatedSeconds(end - t0), peak, gib, maxDown, completed, timeline);
        }
    }
}

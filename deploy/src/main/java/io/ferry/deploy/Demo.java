package io.ferry.deploy;

import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.DrainedInstance;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./ferry demo}: starts an embedded Kafka broker, the four services and a simulated fleet of six hosts and
 * forty guests ({@link SimFleet#demo()}), drains the busiest host with a live view of every migration and of the
 * convergence policy's decisions, prints the summary, stops everything and exits 0 (1 when the drain did not
 * complete).
 */
public final class Demo {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "error");
    private static final String RESET = "\033[0m";
    private static final String BOLD = "\033[1m";

    private final PrintStream out = System.out;
    private final boolean ansi;
    private final DrainSession session;
    private final Map<String, String> lastDecision = new ConcurrentHashMap<>();
    private final Map<String, String> lastStatus = new ConcurrentHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final AtomicInteger decisions = new AtomicInteger();
    private volatile long t0;
    private int drawnLines;
    private long lastPlainBlock;

    private Demo(DrainSession session, boolean ansi) {
        this.session = session;
        this.ansi = ansi;
    }

    public static void main(String[] args) throws IOException {
        double speed = 1.0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--speed" -> speed = Double.parseDouble(args[++i]);
                case "--plain" -> System.setProperty("ferry.demo.plain", "true");
                default -> {
                    System.err.println("usage: ferry demo [--speed X] [--plain]");
                    System.exit(2);
                }
            }
        }
        boolean ansi = System.console() != null && !"dumb".equals(System.getenv("TERM"))
                && !Boolean.getBoolean("ferry.demo.plain");
        SimFleet fleet = SimFleet.demo();
        System.out.printf(Locale.ROOT, "ferry demo: starting an embedded Kafka broker, the conductor, the scheduler, "
                + "the gateway and %d simulated hosts with %d guests (sim speed %.0fx)...%n",
                fleet.hosts().size(), fleet.vmCount(), speed);
        long started = System.nanoTime();
        Path data = Files.createTempDirectory("ferry-demo");
        int exit;
        try (DrainSession session = DrainSession.start(data, fleet, speed, Map.of(
                "logging.level.io.ferry", "WARN", "ferry.agent.heartbeat-interval", "1s"))) {
            System.out.printf(Locale.ROOT, "ferry demo: up in %.1f s%n", (System.nanoTime() - started) / 1e9);
            exit = new Demo(session, ansi).run(fleet.hosts().size());
        }
        System.out.println("ferry demo: stopped everything.");
        System.exit(exit);
    }

    private int run(int hosts) {
        Map<String, HostInventory> inventories = session.awaitInventories(hosts, Duration.ofSeconds(60));
        HostInventory busiest = inventories.values().stream()
                .max(Comparator.comparingLong(HostInventory::getMemoryMbUsed).thenComparing(HostInventory::getHost))
                .orElseThrow();
        out.println();
        out.println("fleet (memory in use / total, guests):");
        inventories.values().stream().sorted(Comparator.comparing(HostInventory::getHost)).forEach(h ->
                out.printf(Locale.ROOT, "  %-10s %6.1f / %5.1f GiB  %2d guests%s%n", h.getHost(),
                        h.getMemoryMbUsed() / 1024.0, h.getMemoryMb() / 1024.0, h.getInstances().size(),
                        h == busiest ? "   <- busiest: drained" : ""));
        session.onMessage(message -> {
            if (message instanceof MigrationRecord m) {
                note(m);
            }
        });
        printPlan(session.dryRun(busiest.getHost(), busiest.getInstances().size(), Duration.ofSeconds(60)));
        t0 = System.currentTimeMillis();
        String drainId = session.drain(busiest.getHost(), "ferry demo: host maintenance");
        DrainRecord plan = awaitPlan(drainId);
        List<String> migrations = plan.getInstances().stream().filter(DrainedInstance::getMigratable)
                .map(DrainedInstance::getMigrationUuid).toList();
        out.println();
        out.println(bold(ansi, "live view") + " (simulated seconds since the drain began; per migration: share sent, "
                + "pre-copy pass, dirty rate (~ measured before QEMU's first sync), stream bandwidth, downtime limit in "
                + "force, phase; the policy's decisions as it takes them)");
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        DrainRecord last = plan;
        while (true) {
            last = session.drainRecord(drainId).orElse(last);
            boolean ended = Set.of("completed", "stopped", "failed").contains(last.getStatus())
                    && migrations.stream().allMatch(u -> session.migration(u).map(m -> TERMINAL.contains(m.getStatus()))
                    .orElse(false));
            draw(last, migrations, ended);
            if (ended || System.nanoTime() > deadline) {
                break;
            }
            sleep(ansi ? 250 : 2000);
        }
        int exit = summary(last, migrations);
        out.printf(Locale.ROOT, "  maintenance done: %s's compute service %s again (PUT /v2.1/os-services/{id})%n",
                busiest.getHost(), session.enableHost(busiest.getHost()));
        return exit;
    }

    private DrainRecord awaitPlan(String drainId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (session.drainRecord(drainId).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the conductor did not record drain " + drainId);
            }
            sleep(50);
        }
        return session.drainRecord(drainId).orElseThrow();
    }

    private void printPlan(DrainRecord d) {
        out.println();
        out.printf(Locale.ROOT, "%s (dry run) to drain %s: %d migrations, NIC %.2f GB/s, one stream %s, up to %d "
                        + "streams at once%n", bold(ansi, "plan"), d.getHost(), d.getTotal(),
                d.getNicBandwidthBytesPerSec() / 1e9, d.getStreamBandwidthBytesPerSec() > 0
                        ? String.format(Locale.ROOT, "%.2f GB/s (measured)", d.getStreamBandwidthBytesPerSec() / 1e9)
                        : "not measured yet", d.getMaxStreams());
        out.printf(Locale.ROOT, "  %-3s %-10s %8s %10s %10s %9s %9s%n", "#", "guest", "memory", "dirty", "needs",
                "start_s", "takes_s");
        for (DrainedInstance i : d.getInstances()) {
            if (i.getMigratable()) {
                out.printf(Locale.ROOT, "  %-3d %-10s %6.1f G %6.0f MB/s %6.0f MB/s %9.1f %9.1f%n", i.getOrder() + 1,
                        i.getName(), i.getMemoryMb() / 1024.0, i.getDirtyRateBytesPerSec() / 1e6,
                        i.getNeededRateBytesPerSec() / 1e6, i.getPredictedStartMs() / 1000.0,
                        i.getPredictedDurationMs() / 1000.0);
            }
        }
        d.getInstances().stream().filter(i -> !i.getMigratable()).forEach(i ->
                out.printf(Locale.ROOT, "  -   %-10s %s%n", i.getName(), i.getReason()));
        out.printf(Locale.ROOT, "  predicted %.1f s; lower bound (memory / NIC) %.1f s%n", d.getPredictedTotalMs() / 1000.0,
                d.getLowerBoundMs() / 1000.0);
    }

    /** Remembers transitions and decisions as they arrive, to print above the live block. */
    private void note(MigrationRecord m) {
        String name = m.getInstance().getName();
        String status = m.getStatus();
        String t = String.format(Locale.ROOT, "[%6.1f s]", session.simulatedSeconds(System.currentTimeMillis() - t0));
        if (!status.equals(lastStatus.put(m.getUuid(), status))) {
            String where = switch (status) {
                case "preparing" -> " (scheduling, destination checks)";
                case "running" -> " to " + m.getDestHost();
                default -> m.getReason() == null ? "" : " (" + m.getReason() + ")";
            };
            event(t + " " + name + ": " + status + where);
        }
        if (m.getDecision() != null) {
            String decision = m.getDecision() + ": " + Objects.toString(m.getDecisionReason(), "");
            if (!decision.equals(lastDecision.put(m.getUuid(), decision))) {
                event(t + " " + name + ": policy " + decision);
                decisions.incrementAndGet();
            }
        }
    }

    private synchronized void event(String line) {
        events.add(line);
    }

    private synchronized void draw(DrainRecord d, List<String> migrations, boolean last) {
        List<String> block = new ArrayList<>();
        double elapsed = session.simulatedSeconds(System.currentTimeMillis() - t0);
        block.add(String.format(Locale.ROOT, "drain %s: %s, %d/%d done, %.1f s elapsed, ~%.1f s to go", d.getHost(),
                d.getStatus(), d.getDone(), d.getTotal(), elapsed,
                d.getPredictedRemainingMs() / 1000.0));
        for (String uuid : migrations) {
            MigrationRecord m = session.migration(uuid).orElse(null);
            if (m == null) {
                continue;
            }
            MigrationProgress p = session.progress(uuid).orElse(null);
            block.add(line(m, p));
        }
        if (ansi && drawnLines > 0) {
            out.print("\033[" + drawnLines + "A");
        }
        for (String e : events) {
            out.print(ansi ? "\033[2K" : "");
            out.println(e);
        }
        events.clear();
        if (ansi || last || System.nanoTime() - lastPlainBlock > 5_000_000_000L) {
            lastPlainBlock = System.nanoTime();
            for (String line : block) {
                out.print(ansi ? "\033[2K" : "");
                out.println(line);
            }
            drawnLines = ansi ? block.size() : 0;
        }
        out.flush();
    }

    private String line(MigrationRecord m, MigrationProgress p) {
        String name = m.getInstance().getName();
        String status = m.getStatus();
        if (p == null || !Set.of("running", "running (post-copy)").contains(status)) {
            String bar = "completed".equals(status) ? bar(1.0) : bar(0.0);
            return String.format(Locale.ROOT, "  %-10s %s %-15s %s", name, bar, status,
                    "completed".equals(status) ? "on " + m.getDestHost() : "");
        }
        double total = Math.max(1, p.getMemoryTotalBytes());
        double done = Math.min(1.0, (total - p.getMemoryRemainingBytes()) / total);
        String phase = p.getPhase().name().equals("POST_COPY") ? "post-copy" : "pre-copy";
        if (p.getThrottlePercent() > 0) {
            phase += " cpu-" + p.getThrottlePercent() + "%";
        }
        // before the first dirty-page sync QEMU reports no dirty rate: show the agent's measurement (~) instead
        double dirty = p.getDirtyRateBytesPerSec();
        String measured = " ";
        if (dirty == 0 && p.getMeasuredDirtyRate() != null) {
            dirty = p.getMeasuredDirtyRate().getBytesPerSec();
            measured = "~";
        }
        return String.format(Locale.ROOT, "  %-10s %s %5.1f%%  iter %2d  dirty%s%5.0f MB/s  %5.0f MB/s  limit %4d ms  "
                        + "%-9s -> %s", name, bar(done), done * 100, p.getIteration(), measured, dirty / 1e6,
                p.getBandwidthBytesPerSec() / 1e6, p.getDowntimeLimitMs(), phase, m.getDestHost());
    }

    private static String bar(double fraction) {
        int width = 20;
        int full = (int) Math.round(fraction * width);
        return "[" + "#".repeat(full) + ".".repeat(width - full) + "]";
    }

    private int summary(DrainRecord d, List<String> migrations) {
        List<MigrationRecord> records = migrations.stream().map(u -> session.migration(u).orElseThrow()).toList();
        long end = records.stream().mapToLong(MigrationRecord::getUpdatedAt).max().orElse(t0);
        double drain = session.simulatedSeconds(end - t0);
        double lowerBound = d.getLowerBoundMs() / 1000.0;
        out.println();
        out.println(bold(ansi, "summary") + " drain of " + d.getHost() + " (simulated seconds)");
        out.printf(Locale.ROOT, "  %-10s %-10s %-10s %8s %11s %10s%n", "guest", "status", "to", "total_s",
                "downtime_ms", "sent_GiB");
        for (MigrationRecord m : records) {
            double total = session.simulatedSeconds(m.getUpdatedAt() - session.startedAt(m.getUuid()));
            out.printf(Locale.ROOT, "  %-10s %-10s %-10s %8.1f %11d %10.2f%n", m.getInstance().getName(),
                    m.getStatus(), Objects.toString(m.getDestHost(), "-"), total, m.getDowntimeMs(),
                    m.getMemoryProcessedBytes() / (1024.0 * 1024 * 1024));
        }
        d.getInstances().stream().filter(i -> !i.getMigratable()).forEach(i ->
                out.printf(Locale.ROOT, "  %-10s %-10s %s%n", i.getName(), "stays", i.getReason()));
        long completed = records.stream().filter(m -> "completed".equals(m.getStatus())).count();
        out.printf(Locale.ROOT, "  convergence policy: %d decisions%s%n", decisions.get(), decisions.get() == 0
                ? " (every guest converged within the downtime limit it started with)" : " (listed above)");
        out.printf(Locale.ROOT, "  drain time %.1f s, lower bound (memory / NIC) %.1f s, ratio %.2f; %d of %d completed%n",
                drain, lowerBound, drain / lowerBound, completed, records.size());
        return "completed".equals(d.getStatus()) && completed == records.size() ? 0 : 1;
    }

    private static String bold(boolean ansi, String text) {
        return ansi ? BOLD + text + RESET : text;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

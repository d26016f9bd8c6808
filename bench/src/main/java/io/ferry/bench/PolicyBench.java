package io.ferry.bench;

import io.ferry.agent.domain.DirtyRateSampling;
import io.ferry.agent.domain.sim.Bandwidth;
import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.CommandResult;
import io.ferry.agent.domain.sim.DirtyRateCalc;
import io.ferry.agent.domain.sim.EndedJob;
import io.ferry.agent.domain.sim.Guest;
import io.ferry.agent.domain.sim.HostName;
import io.ferry.agent.domain.sim.HostSpec;
import io.ferry.agent.domain.sim.JobId;
import io.ferry.agent.domain.sim.JobStats;
import io.ferry.agent.domain.sim.MigrationRequest;
import io.ferry.agent.domain.sim.MigrationSettings;
import io.ferry.agent.domain.sim.Outcome;
import io.ferry.agent.domain.sim.SimulatedHypervisor;
import io.ferry.agent.domain.sim.SimulationSettings;
import io.ferry.agent.domain.sim.WorkloadProfiles;
import io.ferry.conductor.domain.AgentStep;
import io.ferry.conductor.domain.Effect;
import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.LastDecision;
import io.ferry.conductor.domain.LifecycleSettings;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationInput;
import io.ferry.conductor.domain.MigrationProcess;
import io.ferry.conductor.domain.MigrationStatus;
import io.ferry.conductor.domain.convergence.ConvergenceSettings;
import io.ferry.conductor.domain.convergence.MeasuredDirtyRate;
import io.ferry.conductor.domain.convergence.MigrationPhase;
import io.ferry.conductor.domain.convergence.PolicyKind;
import io.ferry.conductor.domain.convergence.ProgressReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Issue 9's policy comparison: the same workload suite (every {@link WorkloadProfiles} profile at a few memory sizes,
 * plus a bandwidth-capped case) under Nova's policy with Nova's defaults, Ferry's predictive policy and KubeVirt's
 * defaults, each with nothing, auto-converge or post-copy permitted.
 *
 * <p>Each migration runs on the faithful simulator ({@link SimulatedHypervisor}, deterministic, simulated time) and is
 * steered exactly as in production: the conductor's own {@link MigrationProcess} (with its convergence steering)
 * takes a progress reading every simulated second (the simulated agent's default progress interval), and its orders
 * to the source host (set max downtime, switch to post-copy, force-complete, abort) are carried out on the job at
 * once, the way the simulated driver does. Only the Kafka hop is left out.
 */
public final class PolicyBench {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SOURCE = "src";
    private static final String DEST = "dst";
    /** The simulated agent's defaults: readings every second, a 30 ms switchover, 10 % zero pages. */
    private static final Duration READING_INTERVAL = Duration.ofSeconds(1);
    private static final Duration SWITCHOVER = Duration.ofMillis(30);
    private static final double ZERO_PAGE_FRACTION = 0.1;
    private static final Bandwidth NIC = Bandwidth.gbitPerSecond(10);
    /** The capped case: live_migration_bandwidth = 120 MiB/s (about 1 Gbit/s). */
    private static final long CAP_MIBPS = 120;
    /** The agent's dirty rate measurements while the first pass runs. */
    private static final DirtyRateSampling SAMPLING = DirtyRateSampling.defaults();

    enum Variant {
        PLAIN("none"), AUTO_CONVERGE("auto-converge"), POST_COPY("post-copy");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    enum Contender {
        NOVA("nova"), PREDICTIVE("predictive"), KUBEVIRT("kubevirt");

        final String label;

        Contender(String label) {
            this.label = label;
        }

        ConvergenceSettings settings(Variant variant) {
            ConvergenceSettings base = switch (this) {
                case NOVA -> ConvergenceSettings.novaDefaults();
                case PREDICTIVE -> ConvergenceSettings.defaults();
                case KUBEVIRT -> ConvergenceSettings.defaults().withPolicy(PolicyKind.KUBEVIRT);
            };
            return base.withPermitAutoConverge(variant == Variant.AUTO_CONVERGE)
                    .withPermitPostCopy(variant == Variant.POST_COPY);
        }
    }

    record Case(String workload, long ramGib, long capMibps) {

        String label() {
            return String.format(Locale.ROOT, "%-13s %3d GiB %s", workload, ramGib,
                    capMibps > 0 ? capMibps + " MiB/s" : "10 Gbit/s");
        }

        Guest guest() {
            return Guest.of(workload + "-" + ramGib, ByteSize.gib(ramGib), ZERO_PAGE_FRACTION,
                    WorkloadProfiles.named(workload));
        }

        Bandwidth bandwidth() {
            Bandwidth b = NIC.min(HostSpec.DEFAULT_STREAM_CEILING);
            return capMibps > 0 ? b.min(Bandwidth.mibPerSecond(capMibps)) : b;
        }

        /** M'/B: the memory that really needs sending (zero pages cost a header) over the stream's bandwidth. */
        double lowerBoundSeconds() {
            return guest().firstRoundBytes() / bandwidth().bytesPerSecond();
        }
    }

    record Run(Case c, Variant variant, Contender contender, boolean completed, String outcome, double seconds,
               double downtimeMs, long bytesSent, String why, List<Taken> decisions) {

        double ratio() {
            return seconds / c.lowerBoundSeconds();
        }
    }

    /** A decision the conductor recorded: its kind, the downtime it set (ms) and when (simulated s). */
    record Taken(String kind, long downtimeMs, double at, String reason) {
    }

    private PolicyBench() {
    }

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        for (String arg : args) {
            if (arg.startsWith("--explain=")) {
                explain(arg.substring("--explain=".length()));
                return;
            }
        }
        long[] sizes = quick ? new long[] {4} : new long[] {2, 8, 32};
        long[] cappedSizes = quick ? new long[] {4} : new long[] {8};
        List<Case> cases = new ArrayList<>();
        for (long gib : sizes) {
            for (String w : WorkloadProfiles.names()) {
                cases.add(new Case(w, gib, 0));
            }
        }
        for (long gib : cappedSizes) {
            for (String w : WorkloadProfiles.names()) {
                cases.add(new Case(w, gib, CAP_MIBPS));
            }
        }

        long wallStart = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        System.out.println("policy bench: each migration on the simulator (10 Gbit/s NIC, 30 ms switchover, 10 % zero"
                + " pages), steered by the conductor's MigrationProcess with one reading per simulated second");
        System.out.println("ratio = total time / (M'/B), M' = memory that needs sending, B = the stream's bandwidth;"
                + " max downtime allowed 500 ms (predictive), Nova's ramp to 500 ms, KubeVirt keeps QEMU's 300 ms");
        System.out.println();
        System.out.printf(Locale.ROOT, "%-33s %-13s %-10s %-22s %9s %9s %9s %7s  %s%n", "workload / size / link",
                "permitted", "policy", "outcome", "total_s", "down_ms", "sent_GiB", "ratio", "why / decisions");
        for (Case c : cases) {
            for (Variant v : Variant.values()) {
                for (Contender p : Contender.values()) {
                    Run r = run(c, v, p);
                    runs.add(r);
                    System.out.printf(Locale.ROOT, "%-33s %-13s %-10s %-22s %9.1f %9s %9.2f %7.2f  %s%n",
                            c.label(), v.label, p.label, r.outcome(), r.seconds(),
                            r.completed() ? String.format(Locale.ROOT, "%.0f", r.downtimeMs()) : "-",
                            r.bytesSent() / (1024.0 * 1024 * 1024), r.ratio(), summary(r));
                }
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;

        System.out.println();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "bench policy: cases=%d runs=%d",
                cases.size() * Variant.values().length, runs.size()));
        for (Contender p : Contender.values()) {
            List<Run> mine = runs.stream().filter(r -> r.contender() == p).toList();
            long ok = mine.stream().filter(Run::completed).count();
            double medianRatio = median(mine.stream().filter(Run::completed).mapToDouble(Run::ratio).toArray());
            double worstDown = mine.stream().filter(Run::completed).mapToDouble(Run::downtimeMs).max().orElse(0);
            System.out.printf(Locale.ROOT, "%-10s completed %3d of %3d, median ratio %.2f (completed), worst downtime %.0f ms%n",
                    p.label, ok, mine.size(), medianRatio, worstDown);
            line.append(String.format(Locale.ROOT, " %s_ok=%d/%d %s_median_ratio=%.2f %s_worst_downtime_ms=%.0f",
                    p.label, ok, mine.size(), p.label, medianRatio, p.label, worstDown));
        }
        Comparison vsNova = compare(runs, Contender.NOVA);
        Comparison vsKube = compare(runs, Contender.KUBEVIRT);
        long overMax = runs.stream().filter(r -> r.contender() == Contender.PREDICTIVE && r.completed()
                && r.downtimeMs() > ConvergenceSettings.defaults().maxDowntime().toMillis()).count();
        System.out.printf(Locale.ROOT, "predictive vs nova:     %s%n", vsNova.describe("nova"));
        System.out.printf(Locale.ROOT, "predictive vs kubevirt: %s%n", vsKube.describe("kubevirt"));
        System.out.printf(Locale.ROOT, "predictive runs over the 500 ms max downtime: %d; wall time %.1f s%n", overMax, wall);
        line.append(String.format(Locale.ROOT,
                " predictive_vs_nova_time=%.3f predictive_vs_kubevirt_time=%.3f predictive_vs_nova_giveup=%.3f"
                        + " predictive_vs_kubevirt_giveup=%.3f only_predictive_completed_vs_nova=%d only_nova_completed=%d"
                        + " only_predictive_completed_vs_kubevirt=%d only_kubevirt_completed=%d predictive_over_max_downtime=%d"
                        + " wall_s=%.1f",
                vsNova.time(), vsKube.time(), vsNova.giveUp(), vsKube.giveUp(), vsNova.onlyOurs(), vsNova.onlyTheirs(),
                vsKube.onlyOurs(), vsKube.onlyTheirs(), overMax, wall));
        System.out.println(line);
    }

    /** {@code --explain=WORKLOAD,GIB,CAP_MIBPS,PERMITTED,POLICY}: one run with every decision and its reason. */
    private static void explain(String spec) {
        String[] p = spec.split(",");
        if (p.length != 5) {
            System.err.println("--explain=WORKLOAD,GIB,CAP_MIBPS,PERMITTED,POLICY e.g. --explain=database,8,120,auto-converge,predictive");
            System.exit(2);
        }
        Case c = new Case(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]));
        Variant v = Arrays.stream(Variant.values()).filter(x -> x.label.equals(p[3])).findFirst().orElseThrow(
                () -> new IllegalArgumentException("permitted is none, auto-converge or post-copy: " + p[3]));
        Contender who = Arrays.stream(Contender.values()).filter(x -> x.label.equals(p[4])).findFirst().orElseThrow(
                () -> new IllegalArgumentException("policy is nova, predictive or kubevirt: " + p[4]));
        Run r = run(c, v, who);
        r.decisions().forEach(d -> System.out.printf(Locale.ROOT, "%8.1f s  %-20s %s%n", d.at(), d.kind(), d.reason()));
        System.out.printf(Locale.ROOT, "%s: %s after %.1f s, downtime %.0f ms, sent %.2f GiB, ratio %.2f%s%n", c.label(),
                r.outcome(), r.seconds(), r.downtimeMs(), r.bytesSent() / (1024.0 * 1024 * 1024), r.ratio(),
                r.why() == null ? "" : "; " + r.why());
    }

    /**
     * Predictive against another policy over the same (case, variant): geometric mean of the total-time ratio where
     * both completed, of the time to give up where both failed, and how many only one of them completed.
     */
    record Comparison(double time, int bothCompleted, double giveUp, int bothFailed, int onlyOurs, int onlyTheirs) {

        String describe(String other) {
            return String.format(Locale.ROOT,
                    "total time x%.3f (geometric mean over %d both completed), time to give up x%.3f (over %d both failed);"
                            + " only predictive completed %d, only %s completed %d",
                    time, bothCompleted, giveUp, bothFailed, onlyOurs, other, onlyTheirs);
        }
    }

    private static Comparison compare(List<Run> runs, Contender other) {
        double logTime = 0;
        double logGiveUp = 0;
        int both = 0;
        int bothFailed = 0;
        int ours = 0;
        int theirs = 0;
        for (Run p : runs.stream().filter(r -> r.contender() == Contender.PREDICTIVE).toList()) {
            Run o = runs.stream().filter(r -> r.contender() == other && r.c().equals(p.c()) && r.variant() == p.variant())
                    .findFirst().orElseThrow();
            if (p.completed() && o.completed()) {
                logTime += Math.log(p.seconds() / o.seconds());
                both++;
            } else if (!p.completed() && !o.completed()) {
                logGiveUp += Math.log(p.seconds() / o.seconds());
                bothFailed++;
            } else if (p.completed()) {
                ours++;
            } else {
                theirs++;
            }
        }
        return new Comparison(both == 0 ? Double.NaN : Math.exp(logTime / both), both,
                bothFailed == 0 ? Double.NaN : Math.exp(logGiveUp / bothFailed), bothFailed, ours, theirs);
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String summary(Run r) {
        List<String> parts = new ArrayList<>();
        List<Taken> ramp = r.decisions().stream().filter(d -> d.kind().equals("set-max-downtime")).toList();
        if (!ramp.isEmpty()) {
            parts.add(ramp.size() == 1
                    ? String.format(Locale.ROOT, "max downtime %d ms @%.0fs", ramp.getFirst().downtimeMs(), ramp.getFirst().at())
                    : String.format(Locale.ROOT, "max downtime %d..%d ms in %d steps @%.0f..%.0fs",
                            ramp.getFirst().downtimeMs(), ramp.getLast().downtimeMs(), ramp.size(),
                            ramp.getFirst().at(), ramp.getLast().at()));
        }
        r.decisions().stream().filter(d -> !d.kind().equals("set-max-downtime"))
                .forEach(d -> parts.add(String.format(Locale.ROOT, "%s @%.0fs", d.kind(), d.at())));
        String decisions = String.join(", ", parts);
        if (r.why() == null) {
            return decisions;
        }
        String why = r.why().length() > 110 ? r.why().substring(0, 110) + "..." : r.why();
        return decisions.isEmpty() ? why : decisions + "; " + why;
    }

    // ---- one migration, steered by the conductor's process --------------------------------------------------------

    static Run run(Case c, Variant variant, Contender contender) {
        return run(c, variant, contender, contender.settings(variant));
    }

    /** One migration of {@code c} under {@code contender}'s policy with these settings (tests vary them). */
    static Run run(Case c, Variant variant, Contender contender, ConvergenceSettings convergence) {
        LifecycleSettings lifecycle = LifecycleSettings.defaults().withConvergence(convergence);
        return new Steered(c, variant, contender, lifecycle).run();
    }

    /**
     * One migration: the conductor's {@link MigrationProcess} on one side, the simulator on the other, and between
     * them what the agents and the scheduler would answer.
     */
    private static final class Steered {

        private final Case c;
        private final Variant variant;
        private final Contender contender;
        private final LifecycleSettings lifecycle;
        private final MigrationProcess process;
        private final SimulatedHypervisor sim;
        private final Deque<MigrationInput> inbox = new ArrayDeque<>();
        private final List<Taken> decisions = new ArrayList<>();
        private LastDecision lastSeen;
        private Migration migration;
        private JobId job;
        private Duration downtimeLimit;
        private Duration measuring;
        private MeasuredDirtyRate measured;

        Steered(Case c, Variant variant, Contender contender, LifecycleSettings lifecycle) {
            this.c = c;
            this.variant = variant;
            this.contender = contender;
            this.lifecycle = lifecycle;
            this.process = new MigrationProcess(lifecycle);
            this.sim = new SimulatedHypervisor(SimulationSettings.defaults().withTrace(false));
            sim.addHost(HostSpec.of(SOURCE, NIC, ByteSize.gib(1024)));
            sim.addHost(HostSpec.of(DEST, NIC, ByteSize.gib(1024)));
        }

        Run run() {
            Instance instance = new Instance("vm-" + c.workload(), c.workload(), c.ramGib() * 1024, 4, 20, "bench", "bench");
            Migration queued = Migration.queued(1, "m-1", instance, SOURCE, null, false, false, T0);
            migration = process.start(queued, new MigrationProcess.SourceFacts(true, true, null), T0).migration();
            apply(process.admit(migration, Set.of(), T0));
            drainInbox();
            if (job == null || migration.status() != MigrationStatus.RUNNING) {
                throw new IllegalStateException("the migration did not start: " + migration.status() + " " + migration.reason());
            }
            Duration horizon = horizon();
            Duration next = READING_INTERVAL;
            while (next.compareTo(horizon) <= 0) {
                sim.advanceTo(next);
                List<EndedJob> ended = sim.drainEnded();
                if (!ended.isEmpty()) {
                    return finish(ended.getFirst());
                }
                measure();
                JobStats stats = sim.stats(job).orElseThrow();
                ProgressReading reading = reading(stats);
                apply(process.decide(migration, new MigrationInput.Progress(reading, reading.readAt())));
                drainInbox();
                List<EndedJob> endedByOrder = sim.drainEnded();
                if (!endedByOrder.isEmpty()) {
                    return finish(endedByOrder.getFirst());
                }
                next = next.plus(READING_INTERVAL);
            }
            JobStats last = sim.stats(job).orElseThrow();
            return new Run(c, variant, contender, false, "still running", seconds(last.elapsed()), 0,
                    last.dataProcessed().bytes(), "no end after " + horizon.toSeconds() + " s", List.copyOf(decisions));
        }

        /** Twice Nova's completion timeout and then some: every policy ends its migration well before. */
        private Duration horizon() {
            double dataGb = Math.max(c.ramGib(), 2);
            return Duration.ofSeconds((long) (2 * 800 * dataGb) + 600);
        }

        private Instant at() {
            return T0.plus(sim.now());
        }

        private void apply(MigrationProcess.Step step) {
            migration = step.migration();
            for (Migration record : step.records()) {
                LastDecision d = record.lastDecision();
                if (d != null && !d.equals(lastSeen)) {
                    lastSeen = d;
                    decisions.add(new Taken(d.kind(), d.downtime() == null ? 0 : d.downtime().toMillis(),
                            seconds(sim.now()), d.reason()));
                }
            }
            for (Effect effect : step.effects()) {
                carryOut(effect);
            }
        }

        private void drainInbox() {
            while (!inbox.isEmpty()) {
                apply(process.decide(migration, inbox.poll()));
            }
        }

        /** What the scheduler and the agents do with an order, the way the simulated driver does it. */
        private void carryOut(Effect effect) {
            switch (effect) {
                case Effect.SelectDestination select -> inbox.add(new MigrationInput.DestinationClaimed(DEST, List.of(), at()));
                case Effect.ToHost order -> {
                    boolean done = switch (order.step()) {
                        case CHECK_DESTINATION, CHECK_SOURCE, PREPARE_DESTINATION, POST_MIGRATE_DESTINATION,
                             CLEANUP_SOURCE, ROLLBACK_DESTINATION -> true;
                        case START_MIGRATION -> startJob();
                        case SET_MAX_DOWNTIME -> accepted(sim.setMaxDowntime(job, order.downtime()), order.downtime());
                        case SWITCH_TO_POST_COPY -> accepted(sim.startPostCopy(job), null);
                        case FORCE_COMPLETE -> accepted(sim.forceComplete(job), null);
                        case ABORT_JOB -> accepted(sim.abort(job), null);
                    };
                    if (order.step() != AgentStep.ROLLBACK_DESTINATION) {
                        inbox.add(new MigrationInput.AgentReplied(order.host(), order.step(), done,
                                done ? null : "refused by the simulator", at()));
                    }
                }
            }
        }

        private boolean accepted(CommandResult result, Duration newLimit) {
            boolean ok = !(result instanceof CommandResult.Refused);
            if (ok && newLimit != null) {
                downtimeLimit = newLimit;
            }
            return ok;
        }

        /**
         * START_MIGRATION as the conductor sends it (the initial max downtime, the permit flags as start flags) and
         * the simulated driver starts it, measuring the guest's dirty rate at once as the agent does.
         * KubeVirt never sets a max downtime: the conductor's initial one is QEMU's default then.
         */
        private boolean startJob() {
            ConvergenceSettings s = lifecycle.convergence();
            downtimeLimit = lifecycle.initialDowntime();
            MigrationSettings settings = MigrationSettings.defaults()
                    .withBandwidthCap(c.capMibps() > 0 ? Bandwidth.mibPerSecond(c.capMibps()) : Bandwidth.ZERO)
                    .withMaxDowntime(downtimeLimit)
                    .withSwitchoverCost(SWITCHOVER)
                    .withAutoConverge(s.liveMigrationPermitAutoConverge())
                    .withPostCopyPermitted(s.liveMigrationPermitPostCopy());
            job = sim.start(new MigrationRequest(c.guest(), new HostName(SOURCE), new HostName(DEST), settings));
            if (sim.startDirtyRateCalc(job, SAMPLING.atStart()) == CommandResult.ACCEPTED) {
                measuring = SAMPLING.atStart();
            }
            return true;
        }

        /**
         * The agent's dirty rate measurements (SimulatedFabric): take a completed one, and while the first pass runs
         * start the next, longer one.
         */
        private void measure() {
            if (measuring == null) {
                return;
            }
            Optional<DirtyRateCalc> calc = sim.dirtyRate(job);
            if (calc.isEmpty() || calc.get().status() != DirtyRateCalc.Status.MEASURED) {
                return;
            }
            DirtyRateCalc done = calc.get();
            measured = new MeasuredDirtyRate(
                    io.ferry.conductor.domain.convergence.Bandwidth.ofBytesPerSecond((long) done.rate().bytesPerSecond()),
                    T0.plusMillis(done.startedAt().toMillis()), Duration.ofMillis(done.period().toMillis()));
            long iteration = sim.stats(job).map(JobStats::iteration).orElse(Long.MAX_VALUE);
            Optional<Duration> following = SAMPLING.after(measuring, iteration);
            measuring = following.isPresent() && sim.startDirtyRateCalc(job, following.get()) == CommandResult.ACCEPTED
                    ? following.get() : null;
        }

        /** The reading the simulated agent publishes and the conductor decodes (SimulatedFabric, ConductorMessages). */
        private ProgressReading reading(JobStats s) {
            MigrationPhase phase = switch (s.phase()) {
                case POST_COPY -> MigrationPhase.POST_COPY;
                case PAUSED -> MigrationPhase.PAUSED;
                default -> MigrationPhase.PRE_COPY;
            };
            return new ProgressReading(T0.plusMillis(s.at().toMillis()), Duration.ofMillis(s.elapsed().toMillis()),
                    s.iteration(), conductorBytes(s.memoryTotal()), conductorBytes(s.memoryProcessed()),
                    conductorBytes(s.memoryRemaining()), conductorBytes(ByteSize.ZERO), conductorBytes(ByteSize.ZERO),
                    conductorBytes(ByteSize.ZERO),
                    io.ferry.conductor.domain.convergence.Bandwidth.ofBytesPerSecond((long) s.dirtyRate().bytesPerSecond()),
                    io.ferry.conductor.domain.convergence.Bandwidth.ofBytesPerSecond((long) s.bandwidth().bytesPerSecond()),
                    downtimeLimit, s.expectedDowntime().map(d -> Duration.ofMillis(d.toMillis())).orElse(Duration.ZERO),
                    (int) Math.round(s.cpuThrottle() * 100), phase, measured);
        }

        private static io.ferry.conductor.domain.convergence.ByteSize conductorBytes(ByteSize b) {
            return io.ferry.conductor.domain.convergence.ByteSize.ofBytes(b.bytes());
        }

        private Run finish(EndedJob ended) {
            JobStats s = ended.finalStats();
            MigrationInput.JobOutcome outcome = switch (ended.outcome()) {
                case Outcome.Completed done -> MigrationInput.JobOutcome.COMPLETED;
                case Outcome.Cancelled cancelled -> MigrationInput.JobOutcome.CANCELLED;
                case Outcome.Failed failed -> MigrationInput.JobOutcome.FAILED;
                case Outcome.GuestLost lost -> MigrationInput.JobOutcome.GUEST_LOST;
            };
            String jobReason = switch (ended.outcome()) {
                case Outcome.Completed done -> null;
                case Outcome.Cancelled cancelled -> cancelled.reason();
                case Outcome.Failed failed -> failed.reason();
                case Outcome.GuestLost lost -> lost.reason();
            };
            apply(process.decide(migration, new MigrationInput.JobEnded(outcome, jobReason,
                    io.ferry.conductor.domain.JobFigures.NONE, at())));
            drainInbox();
            String status = migration.status().novaName();
            return switch (ended.outcome()) {
                case Outcome.Completed done -> new Run(c, variant, contender, true,
                        status + (done.viaPostCopy() ? " via post-copy" : ""), seconds(done.totalTime()),
                        done.downtime().toNanos() / 1e6, done.dataSent().bytes(), null, List.copyOf(decisions));
                default -> new Run(c, variant, contender, false, status, seconds(s.elapsed()), 0,
                        s.dataProcessed().bytes(), migration.reason(), List.copyOf(decisions));
            };
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

}

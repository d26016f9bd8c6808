package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Closed-form pre-copy model for policy tests. Each pass sends its pending pages at bandwidth B
 * while the guest dirties pages at rate D (capped at the guest's memory); at the end of a pass the
 * dirtied pages become the next pass (so with constant D, pass i holds M * (D/B)^i). The job
 * switches over at the end of a pass when the next pass fits in {@code B x downtime limit} (QEMU's
 * rule); the real downtime is that copy plus the switchover cost. Auto-converge throttles the guest
 * as QEMU does: 20 % at the first pass that dirtied more than half of what it sent, then +10 % per
 * such pass, up to 99 %. Post-copy resumes the guest on the destination at once (downtime = the
 * switchover cost) and finishes when the rest is sent. A paused guest dirties nothing.
 *
 * <p>Readings come every second of simulated time; the policy's decisions take effect at once.
 */
final class PreCopySimulator {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration QEMU_DEFAULT_DOWNTIME = Duration.ofMillis(300);

    record TimedDecision(Duration elapsed, Decision decision) {
    }

    record Result(Workload workload, boolean completed, boolean aborted, double seconds, Duration downtime,
            boolean postCopy, boolean paused, long bytesSent, List<TimedDecision> decisions,
            ConvergenceState finalState) {

        List<Duration> downtimeLimitsSet() {
            return decisions.stream()
                    .filter(d -> d.decision() instanceof Decision.SetMaxDowntime)
                    .map(d -> ((Decision.SetMaxDowntime) d.decision()).downtime())
                    .toList();
        }

        <T extends Decision> List<TimedDecision> decisionsOf(Class<T> type) {
            return decisions.stream().filter(d -> type.isInstance(d.decision())).toList();
        }

        @Override
        public String toString() {
            return String.format("%s: completed=%s aborted=%s after %.1f s, downtime %d ms, postCopy=%s, decisions=%s",
                    workload, completed, aborted, seconds, downtime.toMillis(), postCopy,
                    decisions.stream().filter(d -> !(d.decision() instanceof Decision.Continue)).toList());
        }
    }

    private final Workload workload;
    private final ConvergencePolicy policy;
    private final ConvergenceSettings settings;
    private final double bandwidth;
    private final double memory;
    private final double switchoverSeconds;

    private double t;
    private double pending;
    private double passSize;
    private double dirtied;
    private double sent;
    private long iteration = 1;
    private int throttle;
    private Duration limit = QEMU_DEFAULT_DOWNTIME;
    private boolean autoConverge;
    private boolean postCopy;
    private boolean paused;
    private double pausedAt;
    private boolean completed;
    private boolean aborted;
    private double downtimeSeconds;

    private PreCopySimulator(Workload workload, ConvergencePolicy policy, ConvergenceSettings settings) {
        this.workload = workload;
        this.policy = policy;
        this.settings = settings;
        this.bandwidth = workload.bandwidth().bytesPerSecond();
        this.memory = workload.memory().bytes();
        this.switchoverSeconds = settings.switchoverCost().toNanos() / 1e9;
        this.pending = memory;
        this.passSize = memory;
    }

    static Result run(Workload workload, ConvergencePolicy policy, ConvergenceSettings settings, Duration horizon) {
        return new PreCopySimulator(workload, policy, settings).run(horizon);
    }

    private Result run(Duration horizon) {
        List<TimedDecision> decisions = new ArrayList<>();
        GuestFootprint guest = GuestFootprint.ofRam(workload.memory());
        Outcome outcome = policy.start(guest, START, settings);
        ConvergenceState state = outcome.state();
        apply(outcome.decisions(), decisions, Duration.ZERO);
        long ticks = horizon.toSeconds();
        for (long tick = 1; tick <= ticks && !completed && !aborted; tick++) {
            advanceTo(tick);
            if (completed) {
                break;
            }
            outcome = policy.decide(state, reading(), settings);
            state = outcome.state();
            apply(outcome.decisions(), decisions, Duration.ofSeconds(tick));
        }
        return new Result(workload, completed, aborted, t, Duration.ofNanos(Math.round(downtimeSeconds * 1e9)),
                postCopy, paused, Math.round(sent), List.copyOf(decisions), state);
    }

    private void apply(List<Decision> batch, List<TimedDecision> log, Duration at) {
        for (Decision decision : batch) {
            log.add(new TimedDecision(at, decision));
            switch (decision) {
                case Decision.Continue c -> { }
                case Decision.SetMaxDowntime s -> limit = s.downtime();
                case Decision.EnableAutoConverge e -> autoConverge = true;
                case Decision.SwitchToPostCopy p -> {
                    postCopy = true;
                    downtimeSeconds = switchoverSeconds;
                    pending += dirtied;
                    dirtied = 0;
                }
                case Decision.ForceComplete f -> {
                    paused = true;
                    pausedAt = t;
                }
                case Decision.Abort a -> aborted = true;
            }
        }
    }

    private double dirtyRateNow() {
        if (postCopy || paused) {
            return 0;
        }
        return workload.dirtyRateAt().applyAsDouble(t) * (100 - throttle) / 100.0;
    }

    private void advanceTo(double until) {
        while (t < until && !completed) {
            double dt = until - t;
            double d = dirtyRateNow();
            double passEnd = pending / bandwidth;
            if (passEnd > dt) {
                pending -= bandwidth * dt;
                sent += bandwidth * dt;
                dirtied = Math.min(memory, dirtied + d * dt);
                t = until;
                return;
            }
            t += passEnd;
            sent += pending;
            dirtied = Math.min(memory, dirtied + d * passEnd);
            pending = 0;
            endOfPass();
        }
    }

    private void endOfPass() {
        if (postCopy) {
            completed = true;
            return;
        }
        double threshold = bandwidth * limit.toNanos() / 1e9;
        if (dirtied <= threshold) {
            double copy = dirtied / bandwidth;
            sent += dirtied;
            t += copy + switchoverSeconds;
            downtimeSeconds = paused ? t - pausedAt : copy + switchoverSeconds;
            completed = true;
            return;
        }
        if (autoConverge && dirtied > 0.5 * passSize) {
            throttle = throttle == 0 ? 20 : Math.min(99, throttle + 10);
        }
        pending = dirtied;
        passSize = dirtied;
        dirtied = 0;
        iteration++;
    }

    private ProgressReading reading() {
        ByteSize remaining = ByteSize.ofBytes(Math.round(pending));
        double d = dirtyRateNow();
        return new ProgressReading(
                START.plusNanos(Math.round(t * 1e9)),
                Duration.ofNanos(Math.round(t * 1e9)),
                iteration,
                workload.memory(),
                ByteSize.ofBytes(Math.round(sent)),
                remaining,
                ByteSize.ZERO, ByteSize.ZERO, ByteSize.ZERO,
                Bandwidth.ofBytesPerSecond(Math.round(d)),
                workload.bandwidth(),
                limit,
                Duration.ofNanos(Math.round(pending / bandwidth * 1e9)),
                throttle,
                postCopy ? MigrationPhase.POST_COPY : paused ? MigrationPhase.PAUSED : MigrationPhase.PRE_COPY);
    }
}

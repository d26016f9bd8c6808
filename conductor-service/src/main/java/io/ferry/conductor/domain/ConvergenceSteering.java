package io.ferry.conductor.domain;

import io.ferry.conductor.domain.Effect.ToHost;
import io.ferry.conductor.domain.MigrationProcess.Step;
import io.ferry.conductor.domain.convergence.ByteSize;
import io.ferry.conductor.domain.convergence.ConvergencePolicy;
import io.ferry.conductor.domain.convergence.ConvergenceSettings;
import io.ferry.conductor.domain.convergence.ConvergenceState;
import io.ferry.conductor.domain.convergence.Decision;
import io.ferry.conductor.domain.convergence.GuestFootprint;
import io.ferry.conductor.domain.convergence.MigrationPhase;
import io.ferry.conductor.domain.convergence.Outcome;
import io.ferry.conductor.domain.convergence.ProgressReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Steers a running migration: every progress reading goes through the configured convergence policy (its state kept
 * on the migration), and each decision that acts becomes an order to the source agent and is written into the record
 * with the figures that caused it. Operator force-complete goes the same way.
 */
final class ConvergenceSteering {

    private final ConvergencePolicy policy;
    private final ConvergenceSettings settings;

    ConvergenceSteering(ConvergencePolicy policy, ConvergenceSettings settings) {
        this.policy = policy;
        this.settings = settings;
    }

    Step onProgress(Migration m, ProgressReading reading, Instant now) {
        if (m.status() != MigrationStatus.RUNNING && m.status() != MigrationStatus.RUNNING_POST_COPY) {
            return Step.unchanged(m);
        }
        Migration next = m.withFigures(figures(reading), now);
        List<Migration> records = new ArrayList<>();
        if (reading.phase() == MigrationPhase.POST_COPY && m.status() == MigrationStatus.RUNNING) {
            next = next.moveTo(MigrationStatus.RUNNING_POST_COPY,
                    "switched to post-copy: the guest runs on " + m.destHost(), now);
            records.add(next);
        }
        if (m.abortReason() != null || next.status() == MigrationStatus.RUNNING_POST_COPY) {
            return new Step(next, records, List.of());
        }
        ConvergenceState state = m.convergence() != null ? m.convergence() : initialState(m, reading);
        Outcome outcome = policy.decide(state, reading, settings);
        next = next.withConvergence(outcome.state());
        Duration downtime = m.lastDecision() == null ? null : m.lastDecision().downtime();
        LastDecision last = null;
        AgentStep order = null;
        for (Decision decision : outcome.decisions()) {
            switch (decision) {
                case Decision.Continue c -> {
                }
                case Decision.SetMaxDowntime set -> {
                    // one order per reading: a switch to post-copy, a pause or an abort decided on the same reading
                    // (Nova's completion timeout can fire on a step of its ramp) outranks a new downtime limit
                    if (!set.downtime().equals(reading.downtimeLimit())
                            && (order == null || order == AgentStep.SET_MAX_DOWNTIME)) {
                        downtime = set.downtime();
                        last = new LastDecision("set-max-downtime", set.reason(), downtime, now);
                        order = AgentStep.SET_MAX_DOWNTIME;
                    }
                }
                case Decision.EnableAutoConverge auto -> last = new LastDecision("enable-auto-converge",
                        auto.reason() + "; auto-converge is a start flag: "
                                + (settings.liveMigrationPermitAutoConverge() ? "on since the start" : "not permitted"),
                        downtime, now);
                case Decision.SwitchToPostCopy post -> {
                    last = new LastDecision("switch-to-post-copy", post.reason(), downtime, now);
                    order = AgentStep.SWITCH_TO_POST_COPY;
                }
                case Decision.ForceComplete force -> {
                    last = new LastDecision("force-complete", force.reason(), downtime, now);
                    order = AgentStep.FORCE_COMPLETE;
                }
                case Decision.Abort abort -> {
                    last = new LastDecision("abort", abort.reason(), downtime, now);
                    next = next.withAbortRequested(String.format(Locale.ROOT, "cancelled by the %s policy (%s): %s",
                            settings.policy().name().toLowerCase(Locale.ROOT),
                            abort.cause().name().toLowerCase(Locale.ROOT).replace('_', ' '), abort.reason()));
                    order = AgentStep.ABORT_JOB;
                }
            }
        }
        if (last == null) {
            return new Step(next, records, List.of());
        }
        next = next.withDecision(last);
        records.add(next);
        List<Effect> effects = new ArrayList<>();
        if (order != null) {
            effects.add(new ToHost(m.sourceHost(), order, next, order == AgentStep.SET_MAX_DOWNTIME ? downtime : null));
        }
        return new Step(next, records, effects);
    }

    Step onForceComplete(Migration m, Instant now) {
        if (m.status() != MigrationStatus.RUNNING || m.abortReason() != null || m.lastDecision() != null
                && ("force-complete".equals(m.lastDecision().kind())
                    || "switch-to-post-copy".equals(m.lastDecision().kind()))) {
            return Step.unchanged(m);
        }
        boolean postCopy = settings.liveMigrationPermitPostCopy();
        Migration next = m;
        if (m.convergence() != null) {
            next = next.withConvergence(postCopy ? m.convergence().withPostCopyRequested()
                    : m.convergence().withForceCompleteRequested());
        }
        Duration downtime = m.lastDecision() == null ? null : m.lastDecision().downtime();
        next = next.withDecision(new LastDecision(postCopy ? "switch-to-post-copy" : "force-complete",
                "force-complete requested by the operator: "
                        + (postCopy ? "switching to post-copy" : "pausing the guest so that the copy finishes"),
                downtime, now));
        return Step.recorded(next, new ToHost(m.sourceHost(),
                postCopy ? AgentStep.SWITCH_TO_POST_COPY : AgentStep.FORCE_COMPLETE, next));
    }

    /** The policy's state at the first reading this conductor sees: started when the agent says it started. */
    private ConvergenceState initialState(Migration m, ProgressReading reading) {
        ConvergenceState state = ConvergenceState.begin(footprint(m, reading), reading.readAt().minus(reading.elapsed()));
        if (m.lastDecision() != null && m.lastDecision().downtime() != null) {
            state = state.withDowntimeLimit(m.lastDecision().downtime());
        }
        return state;
    }

    private static GuestFootprint footprint(Migration m, ProgressReading reading) {
        return footprint(m, reading.memoryTotal().isZero() ? ByteSize.ofMiB(1) : reading.memoryTotal());
    }

    /** What {@code m} moves: the instance's RAM (or {@code unknownRam} when the instance reports none), and disks. */
    static GuestFootprint footprint(Migration m, ByteSize unknownRam) {
        ByteSize ram = m.instance().memoryMb() > 0 ? ByteSize.ofMiB(m.instance().memoryMb()) : unknownRam;
        if (m.blockMigration() && m.instance().diskGb() > 0) {
            return GuestFootprint.blockMigration(ram, List.of(ByteSize.ofGiB(m.instance().diskGb())));
        }
        return GuestFootprint.ofRam(ram);
    }

    static JobFigures figures(ProgressReading r) {
        return new JobFigures(r.memoryTotal().bytes(), r.memoryProcessed().bytes(), r.memoryRemaining().bytes(),
                r.diskTotal().bytes(), r.diskProcessed().bytes(), r.diskRemaining().bytes(),
                r.downtimeLimit().toMillis(), 0, r.throttlePercent(), r.phase() == MigrationPhase.POST_COPY);
    }
}

package io.ferry.conductor.domain;

import io.ferry.conductor.domain.Effect.SelectDestination;
import io.ferry.conductor.domain.Effect.ToHost;
import io.ferry.conductor.domain.MigrationInput.AbortRequested;
import io.ferry.conductor.domain.MigrationInput.AgentReplied;
import io.ferry.conductor.domain.MigrationInput.DestinationClaimed;
import io.ferry.conductor.domain.MigrationInput.ForceCompleteRequested;
import io.ferry.conductor.domain.MigrationInput.JobEnded;
import io.ferry.conductor.domain.MigrationInput.LivenessCheck;
import io.ferry.conductor.domain.MigrationInput.NoValidHost;
import io.ferry.conductor.domain.MigrationInput.Progress;
import io.ferry.conductor.domain.convergence.ConvergencePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides what a migration does next: given its current state and an input, the records to write (one per
 * transition or decision, in order) and the effects to carry out after them. Pure: no I/O, no clock of its own.
 *
 * <pre>
 *   queued ─(slot free)─► preparing ─(claim, prepare destination, check source, start)─► running
 *   running ─(policy: set max downtime, post-copy, force-complete, abort)─► running | running (post-copy)
 *   running | running (post-copy) ─(job completed)─► post-migrating ─(destination activated + source cleaned)─►
 *   completed
 *   destination refused ─► next alternate (up to migrate_max_retries), else failed
 *   any pre-copy step refused or failed ─► failed (destination rolled back, the guest stays on the source)
 *   abort ─► cancelled;   post-copy failure, lost job ─► error (where the guest is and what to do)
 * </pre>
 *
 * Every handler ignores what its state does not expect (a duplicate, a late reply, an input for another step), so
 * delivering any input twice changes nothing. Running migrations are steered by the convergence policy
 * ({@link ConvergenceSteering}).
 */
public final class MigrationProcess {

    /** The outcome of one decision: snapshots to record (each a transition or an update) and effects. */
    public record Step(Migration migration, List<Migration> records, List<Effect> effects) {

        public static Step unchanged(Migration migration) {
            return new Step(migration, List.of(), List.of());
        }

        /** One record of {@code m} (a transition or an update), then the effects. */
        static Step recorded(Migration m, Effect... effects) {
            return new Step(m, List.of(m), List.of(effects));
        }

        /** {@code m} changed in memory only, with effects. */
        static Step quiet(Migration m, Effect... effects) {
            return new Step(m, List.of(), List.of(effects));
        }
    }

    /** Pre-check facts the conductor knows when a request arrives. */
    public record SourceFacts(boolean sourceKnown, boolean sourceUp, String refusal) {
    }

    static final String OPERATOR_ABORT = "aborted by the operator";

    private final LifecycleSettings settings;
    private final ConvergenceSteering steering;
    private final HostSilence silence;

    public MigrationProcess(LifecycleSettings settings) {
        this.settings = settings;
        this.steering = new ConvergenceSteering(ConvergencePolicy.of(settings.convergence()), settings.convergence());
        this.silence = new HostSilence(this, settings.liveness());
    }

    /** The hosts whose silence would end {@code m} now (see {@link HostSilence}); empty when none. */
    public Set<String> watchedHosts(Migration m) {
        return HostSilence.watchedHosts(m);
    }

    public LifecycleSettings settings() {
        return settings;
    }

    /** A new request: record {@code queued}, or refuse it ({@code failed}). It starts when a slot frees. */
    public Step start(Migration queued, SourceFacts facts, Instant now) {
        String refusal = !facts.sourceKnown() ? "source host of the instance is unknown"
                : !facts.sourceUp() ? "compute service of source host " + queued.sourceHost() + " is down"
                : facts.refusal();
        if (refusal != null) {
            Migration failed = queued.moveTo(MigrationStatus.FAILED, refusal, now);
            return new Step(failed, List.of(queued, failed), List.of());
        }
        return Step.recorded(queued);
    }

    /** A slot is free: {@code queued} → {@code preparing}, and ask the scheduler (never for the hosts to ignore). */
    public Step admit(Migration m, Set<String> fullDestinations, Instant now) {
        if (m.status() != MigrationStatus.QUEUED) {
            return Step.unchanged(m);
        }
        Migration preparing = m.moveTo(MigrationStatus.PREPARING, null, now);
        Set<String> ignore = new LinkedHashSet<>(fullDestinations);
        return Step.recorded(preparing, selectDestination(preparing, ignore));
    }

    /** Still queued: record the new place in the queue when it changed. */
    public Step wait(Migration m, MigrationSlots.Waiting waiting, Instant now) {
        if (m.status() != MigrationStatus.QUEUED || m.queuePosition() == waiting.position()
                && waiting.reason().equals(m.reason())) {
            return Step.unchanged(m);
        }
        return Step.recorded(m.withQueuePosition(waiting.position(), waiting.reason(), now));
    }

    /** The next step of {@code m} given {@code input}. */
    public Step decide(Migration m, MigrationInput input) {
        if (m.status().isTerminal()) {
            return HostSilence.awaitsOutcome(m) ? silence.afterError(m, input) : Step.unchanged(m);
        }
        Instant now = input.at();
        return switch (input) {
            case DestinationClaimed claimed -> onClaimed(m, claimed, now);
            case NoValidHost none -> m.status() == MigrationStatus.PREPARING && m.destHost() == null
                    && m.awaiting() == null ? fail(m, noHostLeft(m, none.reason()), now) : Step.unchanged(m);
            case AgentReplied reply -> onReply(m, reply, now);
            case Progress progress -> steering.onProgress(m, progress.reading(), now);
            case JobEnded ended -> onJobEnded(m, ended, now);
            case AbortRequested abort -> onAbort(m, now);
            case ForceCompleteRequested force -> steering.onForceComplete(m, now);
            case LivenessCheck check -> silence.onCheck(m, check);
        };
    }

    /**
     * After a conductor restart: carry on from the recorded state. Sends again the command the migration waits for
     * (agents and the scheduler answer a repeated command for the same migration as they did the first time), and
     * asks the source agent whether the job still runs.
     */
    public Step resume(Migration m, Instant now) {
        return switch (m.status()) {
            case ACCEPTED, QUEUED, COMPLETED, FAILED, CANCELLED -> Step.unchanged(m);
            case ERROR -> {
                // An error after a silent source, waiting for its job's outcome: order the abort again (unless the
                // job was in post-copy, which is never aborted); the source answers a repeated order the same way.
                if (m.awaiting() != AgentStep.ABORT_JOB) {
                    yield Step.unchanged(m);
                }
                yield Step.quiet(m, new ToHost(m.sourceHost(), AgentStep.ABORT_JOB, m));
            }
            case PREPARING -> {
                if (m.destHost() == null) {
                    yield Step.quiet(m, selectDestination(m, Set.of()));
                }
                AgentStep step = m.awaiting() == null ? AgentStep.PREPARE_DESTINATION : m.awaiting();
                String host = step == AgentStep.PREPARE_DESTINATION || step == AgentStep.CHECK_DESTINATION
                        ? m.destHost() : m.sourceHost();
                Migration next = m.awaiting(step);
                yield Step.quiet(next, new ToHost(host, step, next));
            }
            case RUNNING, RUNNING_POST_COPY -> {
                // Probe: a repeated directive the agent refuses when it has no job for the migration.
                if (m.abortReason() != null && m.status() == MigrationStatus.RUNNING) {
                    Migration next = m.awaiting(AgentStep.ABORT_JOB);
                    yield Step.quiet(next, new ToHost(m.sourceHost(), AgentStep.ABORT_JOB, next));
                }
                Migration next = m.awaiting(AgentStep.SET_MAX_DOWNTIME);
                yield Step.quiet(next, new ToHost(m.sourceHost(), AgentStep.SET_MAX_DOWNTIME, next,
                        downtimeInForce(m)));
            }
            case POST_MIGRATING -> {
                List<Effect> effects = new ArrayList<>();
                if (!m.destinationActivated()) {
                    effects.add(new ToHost(m.destHost(), AgentStep.POST_MIGRATE_DESTINATION, m));
                }
                if (!m.sourceCleaned()) {
                    effects.add(new ToHost(m.sourceHost(), AgentStep.CLEANUP_SOURCE, m));
                }
                yield new Step(m, List.of(), effects);
            }
        };
    }

    Duration downtimeInForce(Migration m) {
        if (m.lastDecision() != null && m.lastDecision().downtime() != null) {
            return m.lastDecision().downtime();
        }
        if (m.figures().downtimeLimitMillis() > 0) {
            return Duration.ofMillis(m.figures().downtimeLimitMillis());
        }
        return settings.initialDowntime();
    }

    private static SelectDestination selectDestination(Migration m, Set<String> alsoIgnore) {
        Set<String> ignore = new LinkedHashSet<>();
        ignore.add(m.sourceHost());
        ignore.addAll(m.triedHosts());
        ignore.addAll(alsoIgnore);
        if (m.requestedHost() != null) {
            ignore.remove(m.requestedHost());
        }
        return new SelectDestination(m, ignore);
    }

    private Step onClaimed(Migration m, DestinationClaimed claimed, Instant now) {
        if (m.status() != MigrationStatus.PREPARING || m.destHost() != null || m.awaiting() != null) {
            return Step.unchanged(m);
        }
        if (m.triedHosts().contains(claimed.host()) || claimed.host().equals(m.sourceHost())) {
            return fail(m, noHostLeft(m, "the scheduler offered " + claimed.host() + " again"), now);
        }
        List<String> alternates = claimed.alternates().stream()
                .filter(h -> !m.triedHosts().contains(h) && !h.equals(m.sourceHost()) && !h.equals(claimed.host()))
                .toList();
        Migration next = m.withDestination(claimed.host(), alternates).awaiting(AgentStep.PREPARE_DESTINATION);
        return Step.quiet(next, new ToHost(claimed.host(), AgentStep.PREPARE_DESTINATION, next));
    }

    private static String noHostLeft(Migration m, String why) {
        return m.triedHosts().isEmpty() ? why
                : why + "; destinations that refused: " + String.join(", ", m.triedHosts())
                        + (m.reason() == null ? "" : " (last: " + m.reason() + ")");
    }

    private Step onReply(Migration m, AgentReplied reply, Instant now) {
        if (!expectedFrom(m, reply)) {
            return Step.unchanged(m);
        }
        if (!reply.done()) {
            return onRefused(m, reply, now);
        }
        return switch (reply.step()) {
            case PREPARE_DESTINATION, CHECK_DESTINATION -> {
                Migration next = m.withDestinationPrepared().awaiting(AgentStep.CHECK_SOURCE);
                yield Step.quiet(next, new ToHost(m.sourceHost(), AgentStep.CHECK_SOURCE, next));
            }
            case CHECK_SOURCE -> {
                // Recorded before the start goes out: a conductor restarted from here on knows the destination and
                // that a job may run, so it asks the source again instead of preparing anew.
                Migration next = m.awaiting(AgentStep.START_MIGRATION).noted(m.reason(), now);
                yield Step.recorded(next, new ToHost(m.sourceHost(), AgentStep.START_MIGRATION, next));
            }
            case START_MIGRATION -> {
                Migration running = m.moveTo(MigrationStatus.RUNNING, null, now).awaiting(null);
                if (m.abortReason() != null) {
                    yield Step.recorded(running, new ToHost(m.sourceHost(), AgentStep.ABORT_JOB, running));
                }
                yield Step.recorded(running);
            }
            case SWITCH_TO_POST_COPY -> m.status() == MigrationStatus.RUNNING
                    ? Step.recorded(m.moveTo(MigrationStatus.RUNNING_POST_COPY,
                            "switched to post-copy: the guest runs on " + m.destHost(), now))
                    : Step.unchanged(m);
            case SET_MAX_DOWNTIME, ABORT_JOB -> Step.quiet(m.awaiting(null));
            case POST_MIGRATE_DESTINATION -> finishIfDone(m.withDestinationActivated(), now);
            case CLEANUP_SOURCE -> finishIfDone(m.withSourceCleaned(), now);
            case FORCE_COMPLETE, ROLLBACK_DESTINATION -> Step.unchanged(m);
        };
    }

    /** Whether the reply answers a step this migration waits for, from the host it asked. */
    private static boolean expectedFrom(Migration m, AgentReplied reply) {
        return switch (reply.step()) {
            case PREPARE_DESTINATION, CHECK_DESTINATION -> m.status() == MigrationStatus.PREPARING
                    && m.awaiting() == reply.step() && reply.host().equals(m.destHost());
            case CHECK_SOURCE, START_MIGRATION -> m.status() == MigrationStatus.PREPARING
                    && m.awaiting() == reply.step() && reply.host().equals(m.sourceHost());
            case SET_MAX_DOWNTIME, ABORT_JOB -> m.awaiting() == reply.step() && reply.host().equals(m.sourceHost());
            case SWITCH_TO_POST_COPY, FORCE_COMPLETE -> reply.host().equals(m.sourceHost());
            case POST_MIGRATE_DESTINATION -> m.status() == MigrationStatus.POST_MIGRATING && !m.destinationActivated()
                    && reply.host().equals(m.destHost());
            case CLEANUP_SOURCE -> m.status() == MigrationStatus.POST_MIGRATING && !m.sourceCleaned()
                    && reply.host().equals(m.sourceHost());
            case ROLLBACK_DESTINATION -> false;
        };
    }

    private Step onRefused(Migration m, AgentReplied reply, Instant now) {
        String what = reply.step().name().toLowerCase().replace('_', ' ');
        return switch (reply.step()) {
            case PREPARE_DESTINATION, CHECK_DESTINATION -> tryAnotherDestination(m,
                    what + " refused by " + reply.host() + ": " + reply.reason(), now);
            case CHECK_SOURCE -> fail(m, what + " refused by " + reply.host() + ": " + reply.reason(), now);
            case START_MIGRATION -> m.abortReason() != null
                    ? cancel(m, m.abortReason(), now)
                    : fail(m, what + " refused by " + reply.host() + ": " + reply.reason(), now);
            case SET_MAX_DOWNTIME, ABORT_JOB -> error(m.awaiting(null),
                    m.sourceHost() + " has no migration job for it (asked after a conductor restart or when its"
                            + " progress stopped): " + reply.reason(),
                    "unknown: the guest runs on " + m.sourceHost() + " or, if the job completed unseen, on "
                            + m.destHost(),
                    "find the instance on " + m.sourceHost() + " or " + m.destHost()
                            + ", then reset its host and clean up the other one", now);
            case POST_MIGRATE_DESTINATION, CLEANUP_SOURCE -> error(m,
                    what + " failed on " + reply.host() + ": " + reply.reason(),
                    "the guest runs on " + m.destHost() + "; " + m.sourceHost() + " may still hold its resources",
                    "check the instance on " + m.destHost() + " and clean up " + m.sourceHost(), now);
            case SWITCH_TO_POST_COPY, FORCE_COMPLETE, ROLLBACK_DESTINATION -> Step.unchanged(m);
        };
    }

    /** The scheduler's destination refused: try the next alternate, or ask again, up to migrate_max_retries. */
    Step tryAnotherDestination(Migration m, String why, Instant now) {
        String refusedHost = m.destHost();
        ToHost rollback = new ToHost(refusedHost, AgentStep.ROLLBACK_DESTINATION, m);
        if (m.requestedHost() != null) {
            return fail(m, why, now);
        }
        Migration refused = m.withDestinationRefused(why, now).awaiting(null);
        int retries = refused.triedHosts().size();
        if (settings.migrateMaxRetries() >= 0 && retries > settings.migrateMaxRetries()) {
            return failWithout(refused, why + "; no retries left (migrate_max_retries="
                    + settings.migrateMaxRetries() + ")", now, rollback);
        }
        List<String> left = refused.alternates().stream().filter(h -> !refused.triedHosts().contains(h)).toList();
        if (!left.isEmpty()) {
            Migration next = refused.withDestination(left.getFirst(), left.subList(1, left.size()))
                    .awaiting(AgentStep.PREPARE_DESTINATION);
            Migration noted = next.noted(why + "; trying alternate " + left.getFirst(), now);
            return Step.recorded(noted, rollback, new ToHost(left.getFirst(), AgentStep.PREPARE_DESTINATION, noted));
        }
        Migration noted = refused.noted(why + "; asking the scheduler for another host", now);
        return Step.recorded(noted, rollback, selectDestination(noted, Set.of()));
    }

    private static Step finishIfDone(Migration m, Instant now) {
        if (m.status() == MigrationStatus.POST_MIGRATING && m.destinationActivated() && m.sourceCleaned()) {
            Migration completed = m.moveTo(MigrationStatus.COMPLETED, null, now).awaiting(null);
            return Step.recorded(completed);
        }
        return Step.quiet(m);
    }

    private Step onJobEnded(Migration m, JobEnded ended, Instant now) {
        if (m.status() == MigrationStatus.PREPARING && m.awaiting() == AgentStep.START_MIGRATION) {
            // The start went out and its job already ended: the end overtook the start's answer, or a restarted
            // conductor asked again and the source announced the end of the job that ran meanwhile. It ran.
            Migration running = m.moveTo(MigrationStatus.RUNNING, null, now).awaiting(null);
            Step after = onJobEnded(running, ended, now);
            List<Migration> records = new ArrayList<>(List.of(running));
            records.addAll(after.records());
            return new Step(after.migration(), records, after.effects());
        }
        if (m.status() != MigrationStatus.RUNNING && m.status() != MigrationStatus.RUNNING_POST_COPY) {
            return Step.unchanged(m);
        }
        Migration withFigures = m.withFigures(ended.figures(), now).awaiting(null);
        if (m.status() == MigrationStatus.RUNNING_POST_COPY && ended.outcome() != MigrationInput.JobOutcome.COMPLETED) {
            return error(withFigures, "post-copy failed (" + ended.outcome().name().toLowerCase() + "): " + ended.reason(),
                    "the guest ran on " + m.destHost() + " and may have lost memory pages still on " + m.sourceHost(),
                    "check the instance on " + m.destHost() + "; recover it there (hard reboot) or rebuild it", now);
        }
        return switch (ended.outcome()) {
            case COMPLETED -> {
                // a location set with an abort that came too late no longer holds: the guest left the source
                Migration post = withFigures.moveTo(MigrationStatus.POST_MIGRATING, null, now)
                        .awaiting(AgentStep.POST_MIGRATE_DESTINATION).withLocation(null, null);
                yield new Step(post, List.of(post), List.of(
                        new ToHost(m.destHost(), AgentStep.POST_MIGRATE_DESTINATION, post),
                        new ToHost(m.sourceHost(), AgentStep.CLEANUP_SOURCE, post)));
            }
            case FAILED -> fail(withFigures, "migration job failed on " + m.sourceHost() + ": " + ended.reason(), now);
            case CANCELLED -> cancel(withFigures, m.abortReason() != null ? m.abortReason()
                    : ended.reason() == null ? "aborted" : ended.reason(), now);
            case GUEST_LOST -> error(withFigures, "post-copy failed: the guest was lost (" + ended.reason() + ")",
                    "the guest ran on " + m.destHost() + " and lost memory pages still on " + m.sourceHost(),
                    "recover the instance on " + m.destHost() + " (hard reboot) or rebuild it", now);
        };
    }

    private Step onAbort(Migration m, Instant now) {
        return switch (m.status()) {
            case RUNNING -> {
                if (m.abortReason() != null) {
                    yield Step.unchanged(m);
                }
                Migration next = m.withAbortRequested(OPERATOR_ABORT)
                        .withDecision(new LastDecision("abort", "abort requested by the operator", null, now));
                yield Step.recorded(next, new ToHost(m.sourceHost(), AgentStep.ABORT_JOB, next));
            }
            case PREPARING -> {
                if (m.abortReason() != null) {
                    yield Step.unchanged(m);
                }
                if (m.awaiting() == AgentStep.START_MIGRATION) {
                    // The start is on its way to the source: abort its job once it is acknowledged.
                    yield Step.recorded(m.withAbortRequested(OPERATOR_ABORT).withDecision(new LastDecision("abort",
                            "abort requested by the operator; the job is aborted as soon as it starts", null, now)));
                }
                yield cancel(m, OPERATOR_ABORT, now);
            }
            case ACCEPTED, QUEUED -> cancel(m, OPERATOR_ABORT, now);
            case RUNNING_POST_COPY, POST_MIGRATING, COMPLETED, FAILED, CANCELLED, ERROR -> Step.unchanged(m);
        };
    }

    private Step cancel(Migration m, String why, Instant now) {
        Migration cancelled = m.moveTo(MigrationStatus.CANCELLED, why, now).awaiting(null);
        return new Step(cancelled, List.of(cancelled), rollback(cancelled));
    }

    Step fail(Migration m, String reason, Instant now) {
        Migration failed = m.moveTo(MigrationStatus.FAILED, reason, now).awaiting(null);
        return new Step(failed, List.of(failed), rollback(failed));
    }

    private Step failWithout(Migration m, String reason, Instant now, Effect... effects) {
        Migration failed = m.moveTo(MigrationStatus.FAILED, reason, now).awaiting(null);
        return new Step(failed, List.of(failed), List.of(effects));
    }

    static Step error(Migration m, String reason, String location, String action, Instant now) {
        Migration error = m.moveTo(MigrationStatus.ERROR, reason, now).withLocation(location, action).awaiting(null);
        return Step.recorded(error);
    }

    /** Releases what the destination reserved (idempotent on the agent; harmless when it reserved nothing). */
    private static List<Effect> rollback(Migration m) {
        return m.destHost() != null
                ? List.of(new ToHost(m.destHost(), AgentStep.ROLLBACK_DESTINATION, m))
                : List.of();
    }
}

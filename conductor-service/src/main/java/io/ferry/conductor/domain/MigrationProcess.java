package io.ferry.conductor.domain;

import io.ferry.conductor.domain.Effect.SelectDestination;
import io.ferry.conductor.domain.Effect.ToHost;
import io.ferry.conductor.domain.MigrationInput.AbortRequested;
import io.ferry.conductor.domain.MigrationInput.AgentReplied;
import io.ferry.conductor.domain.MigrationInput.DestinationClaimed;
import io.ferry.conductor.domain.MigrationInput.ForceCompleteRequested;
import io.ferry.conductor.domain.MigrationInput.JobEnded;
import io.ferry.conductor.domain.MigrationInput.NoValidHost;
import io.ferry.conductor.domain.MigrationInput.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides what a migration does next: given its current state and an input, the records to write (one per
 * transition, in order) and the effects to carry out after them. Pure: no I/O, no clock of its own.
 *
 * <pre>
 *   queued ─► preparing ─(claim, prepare destination, check source, start)─► running ─(job completed)─►
 *   post-migrating ─(destination activated + source cleaned)─► completed
 *   any pre-copy step refused or failed ─► failed (destination rolled back, the guest stays on the source)
 *   abort ─► cancelled;   post-copy failure ─► error (where the guest is and what to do)
 * </pre>
 */
public final class MigrationProcess {

    /** The outcome of one decision: snapshots to record (each a transition or an update) and effects. */
    public record Step(Migration migration, List<Migration> records, List<Effect> effects) {

        static Step unchanged(Migration migration) {
            return new Step(migration, List.of(), List.of());
        }
    }

    /** Pre-check facts the conductor knows when a request arrives. */
    public record SourceFacts(boolean sourceKnown, boolean sourceUp, String refusal) {
    }

    private MigrationProcess() {
    }

    /** A new request: record {@code queued}, then either refuse it or start {@code preparing}. */
    public static Step start(Migration queued, SourceFacts facts, Instant now) {
        List<Migration> records = new ArrayList<>();
        records.add(queued);
        String refusal = !facts.sourceKnown() ? "source host of the instance is unknown"
                : !facts.sourceUp() ? "compute service of source host " + queued.sourceHost() + " is down"
                : facts.refusal();
        if (refusal != null) {
            Migration failed = queued.moveTo(MigrationStatus.FAILED, refusal, now);
            records.add(failed);
            return new Step(failed, records, List.of());
        }
        Migration preparing = queued.moveTo(MigrationStatus.PREPARING, null, now);
        records.add(preparing);
        return new Step(preparing, records, List.of(new SelectDestination(preparing, Set.of(queued.sourceHost()))));
    }

    /** The next step of {@code m} given {@code input}. */
    public static Step decide(Migration m, MigrationInput input) {
        if (m.status().isTerminal()) {
            return Step.unchanged(m);
        }
        Instant now = input.at();
        return switch (input) {
            case DestinationClaimed claimed -> onClaimed(m, claimed, now);
            case NoValidHost none -> m.status() == MigrationStatus.PREPARING && m.destHost() == null
                    ? fail(m, none.reason(), now) : Step.unchanged(m);
            case AgentReplied reply -> onReply(m, reply, now);
            case Progress progress -> Step.unchanged(m.withFigures(progress.figures(), now));
            case JobEnded ended -> onJobEnded(m, ended, now);
            case AbortRequested abort -> onAbort(m, now);
            case ForceCompleteRequested force -> m.status() == MigrationStatus.RUNNING
                    ? new Step(m, List.of(), List.of(new ToHost(m.sourceHost(), AgentStep.FORCE_COMPLETE, m)))
                    : Step.unchanged(m);
        };
    }

    private static Step onClaimed(Migration m, DestinationClaimed claimed, Instant now) {
        if (m.status() != MigrationStatus.PREPARING || m.destHost() != null) {
            return Step.unchanged(m);
        }
        Migration next = m.withDestination(claimed.host(), claimed.alternates())
                .awaiting(AgentStep.PREPARE_DESTINATION);
        return new Step(next, List.of(), List.of(new ToHost(claimed.host(), AgentStep.PREPARE_DESTINATION, next)));
    }

    private static Step onReply(Migration m, AgentReplied reply, Instant now) {
        if (m.awaiting() != reply.step() && !isPostMigrateStep(reply.step())) {
            return Step.unchanged(m);
        }
        if (!reply.done()) {
            return switch (reply.step()) {
                case PREPARE_DESTINATION, CHECK_DESTINATION, CHECK_SOURCE, START_MIGRATION ->
                        fail(m, reply.step().name().toLowerCase().replace('_', ' ') + " refused by " + reply.host()
                                + ": " + reply.reason(), now);
                case POST_MIGRATE_DESTINATION, CLEANUP_SOURCE -> error(m,
                        reply.step().name().toLowerCase().replace('_', ' ') + " failed on " + reply.host() + ": "
                                + reply.reason(),
                        "the guest runs on " + m.destHost() + "; " + m.sourceHost() + " may still hold its resources",
                        "check the instance on " + m.destHost() + " and clean up " + m.sourceHost(), now);
                default -> Step.unchanged(m);
            };
        }
        return switch (reply.step()) {
            case PREPARE_DESTINATION -> {
                Migration next = m.withDestinationPrepared().awaiting(AgentStep.CHECK_SOURCE);
                yield new Step(next, List.of(), List.of(new ToHost(m.sourceHost(), AgentStep.CHECK_SOURCE, next)));
            }
            case CHECK_SOURCE -> {
                Migration next = m.awaiting(AgentStep.START_MIGRATION);
                yield new Step(next, List.of(), List.of(new ToHost(m.sourceHost(), AgentStep.START_MIGRATION, next)));
            }
            case START_MIGRATION -> {
                Migration running = m.moveTo(MigrationStatus.RUNNING, null, now).awaiting(null);
                yield new Step(running, List.of(running), List.of());
            }
            case POST_MIGRATE_DESTINATION -> finishIfDone(m.withDestinationActivated(), now);
            case CLEANUP_SOURCE -> finishIfDone(m.withSourceCleaned(), now);
            default -> Step.unchanged(m);
        };
    }

    private static boolean isPostMigrateStep(AgentStep step) {
        return step == AgentStep.POST_MIGRATE_DESTINATION || step == AgentStep.CLEANUP_SOURCE;
    }

    private static Step finishIfDone(Migration m, Instant now) {
        if (m.status() == MigrationStatus.POST_MIGRATING && m.destinationActivated() && m.sourceCleaned()) {
            Migration completed = m.moveTo(MigrationStatus.COMPLETED, null, now).awaiting(null);
            return new Step(completed, List.of(completed), List.of());
        }
        return Step.unchanged(m);
    }

    private static Step onJobEnded(Migration m, JobEnded ended, Instant now) {
        if (m.status() != MigrationStatus.RUNNING && m.status() != MigrationStatus.RUNNING_POST_COPY) {
            return Step.unchanged(m);
        }
        Migration withFigures = m.withFigures(ended.figures(), now);
        return switch (ended.outcome()) {
            case COMPLETED -> {
                Migration post = withFigures.moveTo(MigrationStatus.POST_MIGRATING, null, now)
                        .awaiting(AgentStep.POST_MIGRATE_DESTINATION);
                yield new Step(post, List.of(post), List.of(
                        new ToHost(m.destHost(), AgentStep.POST_MIGRATE_DESTINATION, post),
                        new ToHost(m.sourceHost(), AgentStep.CLEANUP_SOURCE, post)));
            }
            case FAILED -> fail(withFigures, "migration job failed on " + m.sourceHost() + ": " + ended.reason(), now);
            case CANCELLED -> {
                Migration cancelled = withFigures.moveTo(MigrationStatus.CANCELLED,
                        ended.reason() == null ? "aborted" : ended.reason(), now).awaiting(null);
                yield new Step(cancelled, List.of(cancelled), rollback(cancelled));
            }
            case GUEST_LOST -> error(withFigures, "post-copy failed: the guest was lost (" + ended.reason() + ")",
                    "the guest ran on " + m.destHost() + " and lost memory pages still on " + m.sourceHost(),
                    "recover the instance on " + m.destHost() + " (hard reboot) or rebuild it", now);
        };
    }

    private static Step onAbort(Migration m, Instant now) {
        return switch (m.status()) {
            case RUNNING -> new Step(m, List.of(), List.of(new ToHost(m.sourceHost(), AgentStep.ABORT_JOB, m)));
            case ACCEPTED, QUEUED, PREPARING -> {
                Migration cancelled = m.moveTo(MigrationStatus.CANCELLED, "aborted by the operator", now).awaiting(null);
                yield new Step(cancelled, List.of(cancelled), rollback(cancelled));
            }
            default -> Step.unchanged(m);
        };
    }

    private static Step fail(Migration m, String reason, Instant now) {
        Migration failed = m.moveTo(MigrationStatus.FAILED, reason, now).awaiting(null);
        return new Step(failed, List.of(failed), rollback(failed));
    }

    private static Step error(Migration m, String reason, String location, String action, Instant now) {
        Migration error = m.moveTo(MigrationStatus.ERROR, reason, now).withLocation(location, action).awaiting(null);
        return new Step(error, List.of(error), List.of());
    }

    private static List<Effect> rollback(Migration m) {
        return m.destHost() != null && m.destinationPrepared()
                ? List.of(new ToHost(m.destHost(), AgentStep.ROLLBACK_DESTINATION, m))
                : List.of();
    }
}

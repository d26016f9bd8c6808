package io.ferry.conductor.domain;

import io.ferry.conductor.domain.convergence.ConvergenceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One live migration: what the operator asked, where it stands, and what the conductor waits for. Immutable;
 * {@link #moveTo} is the only way to change status and refuses what {@link MigrationStatus#next()} does not allow.
 *
 * @param sequence      number of the last transition (1 for the first record)
 * @param awaiting      the agent step the conductor waits for next, or null
 * @param alternates    destinations the scheduler offered besides the one chosen, not yet tried
 * @param triedHosts    destinations that refused this migration
 * @param lastDecision  the last convergence or operator decision, or null
 * @param abortReason   set once an abort was asked for: the reason the migration is cancelled with
 * @param queuePosition while queued: place in the source host's queue (1 = next); 0 otherwise
 * @param convergence   the convergence policy's state while the stream runs (null before the first reading); not
 *                      recorded: rebuilt from the first reading after a restart
 */
public record Migration(long id, String uuid, Instance instance, MigrationStatus status, long sequence,
                        String sourceHost, String destHost, String requestedHost, boolean force,
                        boolean blockMigration, JobFigures figures, Instant createdAt, Instant updatedAt,
                        String reason, String vmLocation, String operatorAction,
                        AgentStep awaiting, boolean destinationPrepared, boolean destinationActivated,
                        boolean sourceCleaned, List<String> alternates, List<String> triedHosts,
                        LastDecision lastDecision, String abortReason, int queuePosition,
                        ConvergenceState convergence) {

    public Migration {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(figures, "figures");
        alternates = List.copyOf(alternates);
        triedHosts = List.copyOf(triedHosts);
    }

    /** A new migration, recorded as {@code queued}. */
    public static Migration queued(long id, String uuid, Instance instance, String sourceHost, String requestedHost,
                                   boolean force, boolean blockMigration, Instant now) {
        return new Migration(id, uuid, instance, MigrationStatus.QUEUED, 1, sourceHost, null, requestedHost, force,
                blockMigration, JobFigures.NONE, now, now, null, null, null, null, false, false, false, List.of(),
                List.of(), null, null, 0, null);
    }

    /** This migration in {@code target}, with the reason; throws when the lifecycle does not allow the move. */
    public Migration moveTo(MigrationStatus target, String why, Instant now) {
        if (!status.canMoveTo(target)) {
            throw new IllegalTransitionException(uuid, status, target);
        }
        return copy(c -> {
            c.status = target;
            c.sequence = sequence + 1;
            c.updatedAt = now;
            c.reason = why;
            c.queuePosition = 0;
        });
    }

    /** The destination to try next; {@code offeredAlternates} replaces the alternates still to try. */
    public Migration withDestination(String host, List<String> offeredAlternates) {
        return copy(c -> {
            c.destHost = host;
            c.alternates = offeredAlternates;
            c.destinationPrepared = false;
        });
    }

    /** The current destination refused: remember it, and forget it as the destination. */
    public Migration withDestinationRefused(String why, Instant now) {
        return copy(c -> {
            List<String> tried = new ArrayList<>(triedHosts);
            tried.add(destHost);
            c.triedHosts = tried;
            c.destHost = null;
            c.destinationPrepared = false;
            c.reason = why;
            c.updatedAt = now;
        });
    }

    public Migration awaiting(AgentStep step) {
        return copy(c -> c.awaiting = step);
    }

    public Migration withDestinationPrepared() {
        return copy(c -> c.destinationPrepared = true);
    }

    public Migration withDestinationActivated() {
        return copy(c -> c.destinationActivated = true);
    }

    public Migration withSourceCleaned() {
        return copy(c -> c.sourceCleaned = true);
    }

    public Migration withFigures(JobFigures newFigures, Instant now) {
        return copy(c -> {
            c.figures = newFigures;
            c.updatedAt = now;
        });
    }

    public Migration withLocation(String location, String action) {
        return copy(c -> {
            c.vmLocation = location;
            c.operatorAction = action;
        });
    }

    public Migration withDecision(LastDecision decision) {
        return copy(c -> {
            c.lastDecision = decision;
            c.updatedAt = decision.at();
        });
    }

    public Migration withAbortRequested(String why) {
        return copy(c -> c.abortReason = why);
    }

    public Migration withQueuePosition(int position, String why, Instant now) {
        return copy(c -> {
            c.queuePosition = position;
            c.reason = why;
            c.updatedAt = now;
        });
    }

    /** The same status, with a new reason (an update, not a transition). */
    public Migration noted(String why, Instant now) {
        return copy(c -> {
            c.reason = why;
            c.updatedAt = now;
        });
    }

    public Migration withConvergence(ConvergenceState state) {
        return copy(c -> c.convergence = state);
    }

    /** The host the slot limits count this migration against as destination: claimed, else forced. */
    public String destinationForLimits() {
        return destHost != null ? destHost : requestedHost;
    }

    private Migration copy(Consumer<Fields> change) {
        Fields c = new Fields(this);
        change.accept(c);
        return c.build();
    }

    /** Mutable scratch copy, used only inside {@link #copy}. */
    private static final class Fields {
        private final Migration m;
        MigrationStatus status;
        long sequence;
        String destHost;
        JobFigures figures;
        Instant updatedAt;
        String reason;
        String vmLocation;
        String operatorAction;
        AgentStep awaiting;
        boolean destinationPrepared;
        boolean destinationActivated;
        boolean sourceCleaned;
        List<String> alternates;
        List<String> triedHosts;
        LastDecision lastDecision;
        String abortReason;
        int queuePosition;
        ConvergenceState convergence;

        Fields(Migration m) {
            this.m = m;
            status = m.status;
            sequence = m.sequence;
            destHost = m.destHost;
            figures = m.figures;
            updatedAt = m.updatedAt;
            reason = m.reason;
            vmLocation = m.vmLocation;
            operatorAction = m.operatorAction;
            awaiting = m.awaiting;
            destinationPrepared = m.destinationPrepared;
            destinationActivated = m.destinationActivated;
            sourceCleaned = m.sourceCleaned;
            alternates = m.alternates;
            triedHosts = m.triedHosts;
            lastDecision = m.lastDecision;
            abortReason = m.abortReason;
            queuePosition = m.queuePosition;
            convergence = m.convergence;
        }

        Migration build() {
            return new Migration(m.id, m.uuid, m.instance, status, sequence, m.sourceHost, destHost, m.requestedHost,
                    m.force, m.blockMigration, figures, m.createdAt, updatedAt, reason, vmLocation, operatorAction,
                    awaiting, destinationPrepared, destinationActivated, sourceCleaned, alternates, triedHosts,
                    lastDecision, abortReason, queuePosition, convergence);
        }
    }
}

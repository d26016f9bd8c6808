package io.ferry.conductor.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One live migration: what the operator asked, where it stands, and what the conductor waits for. Immutable;
 * {@link #moveTo} is the only way to change status and refuses what {@link MigrationStatus#next()} does not allow.
 *
 * @param sequence   number of the last transition (1 for the first record)
 * @param awaiting   the agent step the conductor waits for next, or null
 * @param alternates destinations the scheduler offered besides the one chosen
 */
public record Migration(long id, String uuid, Instance instance, MigrationStatus status, long sequence,
                        String sourceHost, String destHost, String requestedHost, boolean force,
                        boolean blockMigration, JobFigures figures, Instant createdAt, Instant updatedAt,
                        String reason, String vmLocation, String operatorAction,
                        AgentStep awaiting, boolean destinationPrepared, boolean destinationActivated,
                        boolean sourceCleaned, List<String> alternates) {

    public Migration {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(status, "status");
        alternates = List.copyOf(alternates);
    }

    /** A new migration, recorded as {@code queued}. */
    public static Migration queued(long id, String uuid, Instance instance, String sourceHost, String requestedHost,
                                   boolean force, boolean blockMigration, Instant now) {
        return new Migration(id, uuid, instance, MigrationStatus.QUEUED, 1, sourceHost, null, requestedHost, force,
                blockMigration, JobFigures.NONE, now, now, null, null, null, null, false, false, false, List.of());
    }

    /** This migration in {@code target}, with the reason; throws when the lifecycle does not allow the move. */
    public Migration moveTo(MigrationStatus target, String why, Instant now) {
        if (!status.canMoveTo(target)) {
            throw new IllegalTransitionException(uuid, status, target);
        }
        return new Migration(id, uuid, instance, target, sequence + 1, sourceHost, destHost, requestedHost, force,
                blockMigration, figures, createdAt, now, why, vmLocation, operatorAction, awaiting,
                destinationPrepared, destinationActivated, sourceCleaned, alternates);
    }

    public Migration withDestination(String host, List<String> offeredAlternates) {
        return new Migration(id, uuid, instance, status, sequence, sourceHost, host, requestedHost, force,
                blockMigration, figures, createdAt, updatedAt, reason, vmLocation, operatorAction, awaiting,
                destinationPrepared, destinationActivated, sourceCleaned, offeredAlternates);
    }

    public Migration awaiting(AgentStep step) {
        return new Migration(id, uuid, instance, status, sequence, sourceHost, destHost, requestedHost, force,
                blockMigration, figures, createdAt, updatedAt, reason, vmLocation, operatorAction, step,
                destinationPrepared, destinationActivated, sourceCleaned, alternates);
    }

    public Migration withDestinationPrepared() {
        return new Migration(id, uuid, instance, status, sequence, sourceHost, destHost, requestedHost, force,
                blockMigration, figures, createdAt, updatedAt, reason, vmLocation, operatorAction, awaiting,
                true, destinationActivated, sourceCleaned, alternates);
    }

    public Migration withDestinationActivated() {
        return new Migration(id, uuid, instance, status, sequence, sourceHost, destHost, requestedHost, force,
                blockMigration, figures, createdAt, updatedAt, reason, vmLocation, operatorAction, awaiting,
                destinationPrepared, true, sourceCleaned, alternates);
    }

    public Migration withSourceCleaned() {
        return new Migration(id, uuid, instance, status, sequence, sourceHost, destHost, requestedHost, force,
                blockMigration, figures, createdAt, updatedAt, reason, vmLocation, operatorAction, awaiting,
                destinationPrepared, destinationActivated, true, alternates);
    }

    public Migration withFigures(JobFigures newFigures, Instant now) {
        return new Migration(id, uuid, instance, status, sequence, sourceHost, destHost, requestedHost, force,
                blockMigration, newFigures, createdAt, now, reason, vmLocation, operatorAction, awaiting,
                destinationPrepared, destinationActivated, sourceCleaned, alternates);
    }

    public Migration withLocation(String location, String action) {
        return new Migration(id, uuid, instance, status, sequence, sourceHost, destHost, requestedHost, force,
                blockMigration, figures, createdAt, updatedAt, reason, location, action, awaiting,
                destinationPrepared, destinationActivated, sourceCleaned, alternates);
    }
}

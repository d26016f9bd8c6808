package io.ferry.conductor.domain;

/** A transition the lifecycle does not allow: a bug, never a business outcome. */
public final class IllegalTransitionException extends IllegalStateException {

    public IllegalTransitionException(String migrationUuid, MigrationStatus from, MigrationStatus to) {
        super("migration " + migrationUuid + " cannot go from " + from.novaName() + " to " + to.novaName());
    }
}

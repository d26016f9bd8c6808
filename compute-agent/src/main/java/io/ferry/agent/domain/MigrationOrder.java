package io.ferry.agent.domain;

import java.time.Duration;

/**
 * What the conductor asked the source host to do: stream a guest to a destination, with these limits.
 *
 * @param deadline the completion deadline the source enforces on its own ({@link CompletionDeadline#NONE}: none)
 */
public record MigrationOrder(String migrationUuid, Guest guest, String sourceHost, String destinationHost,
                             boolean blockMigration, Duration maxDowntime, long bandwidthMibps,
                             boolean autoConverge, boolean postCopyPermitted, CompletionDeadline deadline) {

    public MigrationOrder {
        deadline = deadline == null ? CompletionDeadline.NONE : deadline;
    }

    /** An order without a deadline of its own. */
    public MigrationOrder(String migrationUuid, Guest guest, String sourceHost, String destinationHost,
                          boolean blockMigration, Duration maxDowntime, long bandwidthMibps, boolean autoConverge,
                          boolean postCopyPermitted) {
        this(migrationUuid, guest, sourceHost, destinationHost, blockMigration, maxDowntime, bandwidthMibps,
                autoConverge, postCopyPermitted, CompletionDeadline.NONE);
    }

    public MigrationOrder withGuest(Guest value) {
        return new MigrationOrder(migrationUuid, value, sourceHost, destinationHost, blockMigration, maxDowntime,
                bandwidthMibps, autoConverge, postCopyPermitted, deadline);
    }
}

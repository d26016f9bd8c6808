package io.ferry.agent.domain;

import java.time.Duration;

/** What the conductor asked the source host to do: stream a guest to a destination, with these limits. */
public record MigrationOrder(String migrationUuid, Guest guest, String sourceHost, String destinationHost,
                             boolean blockMigration, Duration maxDowntime, long bandwidthMibps,
                             boolean autoConverge, boolean postCopyPermitted) {
}

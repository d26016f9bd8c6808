package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationStatus;
import io.ferry.conductor.domain.convergence.Bandwidth;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One instance of a drain: its place in the plan and, once it exists, where its migration stands.
 *
 * @param order         start order, -1 for an instance that is not migrated
 * @param blocker       why it is not migrated (with the advice), or null
 * @param migrationUuid the migration the drain asked for (null when not migrated)
 * @param status        the migration's last recorded status, null until it is recorded
 * @param startedAt     when the migration left the queue, or null
 * @param endedAt       when it ended, or null
 */
public record DrainEntry(String instanceUuid, String name, long memoryBytes, Bandwidth dirtyRate, Bandwidth needed,
                         int order, String blocker, Duration predictedStart, Duration predictedDuration,
                         String migrationUuid, long migrationId, MigrationStatus status, String destHost,
                         Instant startedAt, Instant endedAt, long downtimeMillis, long bytesSent,
                         long remainingBytes) {

    public boolean migrated() {
        return blocker == null;
    }

    public boolean ended() {
        return status != null && status.isTerminal();
    }

    /** This entry after its migration's latest record. */
    DrainEntry observe(Migration m) {
        Instant started = startedAt;
        if (started == null && m.status() != MigrationStatus.QUEUED && m.status() != MigrationStatus.ACCEPTED) {
            started = m.updatedAt();
        }
        Instant ended = m.status().isTerminal() ? (endedAt == null ? m.updatedAt() : endedAt) : null;
        long remaining = m.status().isTerminal() ? 0
                : m.figures().memoryTotalBytes() > 0 ? m.figures().memoryRemainingBytes() : memoryBytes;
        return new DrainEntry(instanceUuid, name, memoryBytes, dirtyRate, needed, order, blocker, predictedStart,
                predictedDuration, migrationUuid, m.id(), m.status(), m.destHost(), started, ended,
                m.figures().downtimeMillis(), m.figures().memoryProcessedBytes(), remaining);
    }

    /** Whether {@code other} differs in what a reader of the drain follows (not every progress reading). */
    boolean differsNotablyFrom(DrainEntry other) {
        return status != other.status || migrationId != other.migrationId
                || !Objects.equals(destHost, other.destHost);
    }
}

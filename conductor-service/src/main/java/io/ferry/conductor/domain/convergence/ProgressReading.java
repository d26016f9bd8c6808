package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.time.Instant;

/**
 * One progress report of a running migration job, as the source agent reads it from libvirt's job
 * statistics (or as the simulator produces it).
 *
 * @param readAt when the figures were read, on the agent's (or simulated) clock: the policy's "now"
 * @param elapsed time since the migration stream started
 * @param iteration memory iterations so far (QEMU's dirty-sync count: 1 during the first full pass)
 * @param memoryTotal guest RAM to transfer
 * @param memoryProcessed RAM bytes sent so far (can exceed the total: dirty pages are resent)
 * @param memoryRemaining RAM bytes still to send in this pass
 * @param diskTotal local disk bytes to mirror (zero without block migration)
 * @param diskProcessed disk bytes mirrored so far
 * @param diskRemaining disk bytes still to mirror
 * @param dirtyRate rate at which the guest dirties memory (zero until measured)
 * @param bandwidth measured rate of the migration stream (zero until measured)
 * @param downtimeLimit max downtime currently in force in the hypervisor
 * @param expectedDowntime the hypervisor's own estimate of downtime if it switched over now
 * @param throttlePercent CPU throttle applied by auto-converge, 0 to 99
 * @param phase pre-copy, post-copy or paused
 * @param measuredDirtyRate the guest's dirty rate measured apart from the stream (calc-dirty-rate), the last completed
 *        measurement; {@code null} when none completed
 */
public record ProgressReading(
        Instant readAt,
        Duration elapsed,
        long iteration,
        ByteSize memoryTotal,
        ByteSize memoryProcessed,
        ByteSize memoryRemaining,
        ByteSize diskTotal,
        ByteSize diskProcessed,
        ByteSize diskRemaining,
        Bandwidth dirtyRate,
        Bandwidth bandwidth,
        Duration downtimeLimit,
        Duration expectedDowntime,
        int throttlePercent,
        MigrationPhase phase,
        MeasuredDirtyRate measuredDirtyRate) {

    public ProgressReading {
        requireAll(readAt, elapsed, memoryTotal, memoryProcessed, memoryRemaining, diskTotal,
                diskProcessed, diskRemaining, dirtyRate, bandwidth, downtimeLimit, expectedDowntime, phase);
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("elapsed cannot be negative: " + elapsed);
        }
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration cannot be negative: " + iteration);
        }
        if (throttlePercent < 0 || throttlePercent > 100) {
            throw new IllegalArgumentException("throttle percent out of range: " + throttlePercent);
        }
    }

    /** A reading without a separate dirty rate measurement. */
    public ProgressReading(Instant readAt, Duration elapsed, long iteration, ByteSize memoryTotal,
            ByteSize memoryProcessed, ByteSize memoryRemaining, ByteSize diskTotal, ByteSize diskProcessed,
            ByteSize diskRemaining, Bandwidth dirtyRate, Bandwidth bandwidth, Duration downtimeLimit,
            Duration expectedDowntime, int throttlePercent, MigrationPhase phase) {
        this(readAt, elapsed, iteration, memoryTotal, memoryProcessed, memoryRemaining, diskTotal, diskProcessed,
                diskRemaining, dirtyRate, bandwidth, downtimeLimit, expectedDowntime, throttlePercent, phase, null);
    }

    /** The same reading with this separate dirty rate measurement. */
    public ProgressReading withMeasuredDirtyRate(MeasuredDirtyRate value) {
        return new ProgressReading(readAt, elapsed, iteration, memoryTotal, memoryProcessed, memoryRemaining, diskTotal,
                diskProcessed, diskRemaining, dirtyRate, bandwidth, downtimeLimit, expectedDowntime, throttlePercent,
                phase, value);
    }

    /** Memory plus disk still to send. */
    public ByteSize totalRemaining() {
        return memoryRemaining.plus(diskRemaining);
    }

    private static void requireAll(Object... values) {
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException("every progress figure is required");
            }
        }
    }
}

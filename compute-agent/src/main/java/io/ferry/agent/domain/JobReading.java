package io.ferry.agent.domain;

/**
 * One reading of a running migration job, like libvirt's job stats. Times are on the driver's clock.
 * {@code measuredDirtyRate} is the last completed calc-dirty-rate of the guest ({@link DirtyRateSampling}), null when
 * none completed.
 */
public record JobReading(long readingTimeMillis, long elapsedMillis, long iteration,
                         long memoryTotalBytes, long memoryProcessedBytes, long memoryRemainingBytes,
                         long dirtyRateBytesPerSec, long bandwidthBytesPerSec,
                         long downtimeLimitMillis, long expectedDowntimeMillis, int throttlePercent,
                         JobPhase phase, DirtyRateSample measuredDirtyRate) {

    /** A reading without a separate dirty rate measurement. */
    public JobReading(long readingTimeMillis, long elapsedMillis, long iteration,
                      long memoryTotalBytes, long memoryProcessedBytes, long memoryRemainingBytes,
                      long dirtyRateBytesPerSec, long bandwidthBytesPerSec,
                      long downtimeLimitMillis, long expectedDowntimeMillis, int throttlePercent, JobPhase phase) {
        this(readingTimeMillis, elapsedMillis, iteration, memoryTotalBytes, memoryProcessedBytes, memoryRemainingBytes,
                dirtyRateBytesPerSec, bandwidthBytesPerSec, downtimeLimitMillis, expectedDowntimeMillis,
                throttlePercent, phase, null);
    }

    /** Phase of a hypervisor job. */
    public enum JobPhase { SETUP, PRE_COPY, POST_COPY, PAUSED }
}

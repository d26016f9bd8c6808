package io.ferry.agent.domain;

/** One reading of a running migration job, like libvirt's job stats. Times are on the driver's clock. */
public record JobReading(long readingTimeMillis, long elapsedMillis, long iteration,
                         long memoryTotalBytes, long memoryProcessedBytes, long memoryRemainingBytes,
                         long dirtyRateBytesPerSec, long bandwidthBytesPerSec,
                         long downtimeLimitMillis, long expectedDowntimeMillis, int throttlePercent,
                         JobPhase phase) {

    /** Phase of a hypervisor job. */
    public enum JobPhase { SETUP, PRE_COPY, POST_COPY, PAUSED }
}

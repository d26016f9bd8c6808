package io.ferry.conductor.domain;

/** The latest figures of a migration's hypervisor job (from progress readings and the job's end). */
public record JobFigures(long memoryTotalBytes, long memoryProcessedBytes, long memoryRemainingBytes,
                         long diskTotalBytes, long diskProcessedBytes, long diskRemainingBytes,
                         long downtimeLimitMillis, long downtimeMillis, int throttlePercent, boolean postCopy) {

    public static final JobFigures NONE = new JobFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, false);
}

package io.ferry.agent.domain;

/** How a migration job ended, with its final figures. */
public record JobEnd(Outcome outcome, String reason, long downtimeMillis, long elapsedMillis, long iterations,
                     long memoryTotalBytes, long memoryTransferredBytes, boolean postCopy) {

    /** The end of a job; {@code GUEST_LOST} only when a post-copy migration failed part-way. */
    public enum Outcome { COMPLETED, FAILED, CANCELLED, GUEST_LOST }
}

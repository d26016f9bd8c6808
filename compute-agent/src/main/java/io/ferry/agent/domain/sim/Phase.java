package io.ferry.agent.domain.sim;

/**
 * The job phase, as libvirt/QEMU report it. A guest lost during post-copy ends in {@link #FAILED}
 * with the distinct {@link Outcome.GuestLost} outcome.
 */
public enum Phase {
    /** Connecting, checking the destination, reserving memory; no data yet. */
    SETUP,
    /** The guest runs on the source while disks and memory are copied. */
    PRE_COPY,
    /** The guest is paused: final stop-and-copy, switchover, or device state for post-copy. */
    PAUSED,
    /** The guest runs on the destination; remaining pages are pulled from the source. */
    POST_COPY,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}

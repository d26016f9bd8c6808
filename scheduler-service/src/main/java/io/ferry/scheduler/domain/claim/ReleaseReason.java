package io.ferry.scheduler.domain.claim;

/** Why a claim was given back without becoming usage. */
public enum ReleaseReason {
    FAILED,
    CANCELLED,
    ERROR,
    /** The conductor asked again with the claimed host in its ignore list: the old claim makes way for a new one. */
    RESCHEDULED
}

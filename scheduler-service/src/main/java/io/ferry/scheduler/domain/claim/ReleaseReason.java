package io.ferry.scheduler.domain.claim;

/** Why a claim was given back without becoming usage. */
public enum ReleaseReason {
    FAILED,
    CANCELLED,
    ERROR
}

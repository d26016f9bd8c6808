package io.ferry.scheduler.domain.claim;

/**
 * The states of one claim. OPEN may go to COMMITTED or RELEASED; both are final. Events that do not
 * fit (a second claim, a release after commit) are ignored on replay: apply is idempotent.
 */
public enum ClaimStatus {
    OPEN,
    COMMITTED,
    RELEASED
}

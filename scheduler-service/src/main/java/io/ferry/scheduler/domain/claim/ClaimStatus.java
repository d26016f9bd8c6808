package io.ferry.scheduler.domain.claim;

/**
 * The states of one claim. OPEN may go to COMMITTED or RELEASED; COMMITTED goes to SETTLED when a report of the
 * destination counts the instance (or is long enough after the commit to be authoritative). RELEASED and SETTLED
 * are final, except that a migration whose claim was RELEASED to reschedule it claims again, as a new attempt.
 * OPEN and COMMITTED claims count against the host. Events that do not fit (a second claim, a release
 * after commit) are ignored on replay: apply is idempotent. SETTLED is derived from host reports, never logged.
 */
public enum ClaimStatus {
    OPEN,
    COMMITTED,
    SETTLED,
    RELEASED
}

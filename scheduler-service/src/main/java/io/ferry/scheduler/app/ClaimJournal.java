package io.ferry.scheduler.app;

import io.ferry.scheduler.domain.claim.Claim;

/** Where claims are made durable: the scheduler rebuilds its ledger from it after a restart. */
public interface ClaimJournal {

    /**
     * Records the claim's current state (claimed, released or committed) and returns once it is durable; throws when
     * it cannot be, so that no decision is announced on a claim a restart would forget.
     */
    void append(Claim claim);
}

/**
 * Claims on destination resources: the thread-safe {@link io.ferry.scheduler.domain.claim.ClaimLedger}
 * decides a claim against the host's capacity minus every open claim and applies it atomically, so
 * concurrent requests never overcommit a host. Every change is a {@link io.ferry.scheduler.domain.claim.ClaimEvent}
 * keyed by migration id; {@code apply} is idempotent, so the ledger is rebuilt by replaying the log.
 */
package io.ferry.scheduler.domain.claim;

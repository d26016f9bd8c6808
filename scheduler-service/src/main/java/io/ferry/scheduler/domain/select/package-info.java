/**
 * The decision: {@link io.ferry.scheduler.domain.select.HostSelector} is a pure function
 * {@code select(request, hosts, claims) → Selected | NoValidHost | NotMigratable};
 * {@link io.ferry.scheduler.domain.select.Scheduler} pairs it with the claim ledger so that choosing a
 * host claims it, retrying alternates when a concurrent request won the race.
 */
package io.ferry.scheduler.domain.select;

package io.ferry.scheduler.domain.claim;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.host.CellPlacement;
import io.ferry.scheduler.domain.host.HostClaims;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.NumaFit;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open claims on destination hosts, thread-safe.
 *
 * <p>Live path: {@link #tryClaim}, {@link #release}, {@link #commit} decide under one lock against the
 * latest claims and return the event to publish, having applied it. Recovery: {@link #apply} replays
 * events from the log; it is idempotent per migration id (a claim is made at most once, closed at most
 * once), so re-delivered or re-read events change nothing.
 *
 * <p>Writers take a single lock: claims are made once per migration, far rarer than decisions.
 * Readers ({@link #claimsOn}) never lock: per-host sums live in a concurrent map of immutable values,
 * so a decision sees each host's claims as of some moment and the claim itself re-checks under the
 * lock. Closed claims are remembered (for idempotency) until {@link #forgetClosed} compacts them.
 */
public final class ClaimLedger implements ClaimView {

    private final Map<MigrationId, Claim> claims = new ConcurrentHashMap<>();
    private final Map<HostName, HostClaims> byHost = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    @Override
    public HostClaims claimsOn(HostName host) {
        HostClaims sum = byHost.get(host);
        return sum == null ? HostClaims.NONE : sum;
    }

    /**
     * Claims {@code request}'s demand on {@code host} (given without claims: the ledger adds its own)
     * if it still fits with every open claim counted. Idempotent: the same migration claiming the same
     * host again gets its existing claim back.
     */
    public ClaimResult tryClaim(MigrationId migration, HostState host, RequestSpec request) {
        synchronized (lock) {
            Claim existing = claims.get(migration);
            if (existing != null) {
                if (existing.status() == ClaimStatus.OPEN && existing.host().equals(host.name())) {
                    return new ClaimResult.Claimed(new ClaimEvent.ResourcesClaimed(
                            migration, existing.host(), existing.resources(), existing.placements()));
                }
                return new ClaimResult.Refused("migration " + migration + " already has a " + existing.status()
                        + " claim on " + existing.host());
            }
            HostState claimed = host.withClaims(claimsOn(host.name()));
            if (!claimed.fits(request.demand())) {
                return new ClaimResult.Refused("host " + host.name() + " no longer fits " + request.demand()
                        + ": free " + claimed.freeVcpus() + " vCPU, " + claimed.freeRamMb() + " MB RAM, "
                        + claimed.freeDiskGb() + " GB disk");
            }
            List<CellPlacement> placements = List.of();
            if (request.hasNumaTopology()) {
                placements = NumaFit.fit(claimed.numaCells(), request.numaCells());
                if (placements == null) {
                    return new ClaimResult.Refused("host " + host.name() + " no longer has NUMA room for the guest");
                }
            }
            ClaimEvent.ResourcesClaimed event =
                    new ClaimEvent.ResourcesClaimed(migration, host.name(), request.demand(), placements);
            applyLocked(event);
            return new ClaimResult.Claimed(event);
        }
    }

    /** Gives back an open claim; empty when there is none (unknown or already closed). */
    public Optional<ClaimEvent> release(MigrationId migration, ReleaseReason reason) {
        synchronized (lock) {
            Claim existing = claims.get(migration);
            if (existing == null || existing.status() != ClaimStatus.OPEN) {
                return Optional.empty();
            }
            ClaimEvent event = new ClaimEvent.ClaimReleased(migration, reason);
            applyLocked(event);
            return Optional.of(event);
        }
    }

    /** Turns an open claim into usage; empty when there is none (unknown or already closed). */
    public Optional<ClaimEvent> commit(MigrationId migration) {
        synchronized (lock) {
            Claim existing = claims.get(migration);
            if (existing == null || existing.status() != ClaimStatus.OPEN) {
                return Optional.empty();
            }
            ClaimEvent event = new ClaimEvent.ClaimCommitted(migration, existing.host(), existing.resources());
            applyLocked(event);
            return Optional.of(event);
        }
    }

    /** Replays one event; returns whether it changed anything (false for duplicates and stale events). */
    public boolean apply(ClaimEvent event) {
        synchronized (lock) {
            return applyLocked(event);
        }
    }

    private boolean applyLocked(ClaimEvent event) {
        return switch (event) {
            case ClaimEvent.ResourcesClaimed c -> {
                if (claims.containsKey(c.migration())) {
                    yield false;
                }
                claims.put(c.migration(), new Claim(c.migration(), c.host(), c.resources(), c.placements(), ClaimStatus.OPEN));
                byHost.merge(c.host(), HostClaims.NONE.plus(c.resources(), c.placements()),
                        (sum, one) -> sum.plus(c.resources(), c.placements()));
                yield true;
            }
            case ClaimEvent.ClaimReleased r -> close(r.migration(), ClaimStatus.RELEASED);
            case ClaimEvent.ClaimCommitted c -> close(c.migration(), ClaimStatus.COMMITTED);
        };
    }

    private boolean close(MigrationId migration, ClaimStatus to) {
        Claim existing = claims.get(migration);
        if (existing == null || existing.status() != ClaimStatus.OPEN) {
            return false;
        }
        claims.put(migration, existing.withStatus(to));
        byHost.computeIfPresent(existing.host(), (host, sum) -> {
            HostClaims rest = sum.minus(existing.resources(), existing.placements());
            return rest.isEmpty() ? null : rest;
        });
        return true;
    }

    public Optional<Claim> claim(MigrationId migration) {
        return Optional.ofNullable(claims.get(migration));
    }

    public List<Claim> openClaims() {
        List<Claim> open = new ArrayList<>();
        for (Claim c : claims.values()) {
            if (c.status() == ClaimStatus.OPEN) {
                open.add(c);
            }
        }
        return open;
    }

    /** Drops closed claims (after the log below them is compacted); replays of them are no longer ignored. */
    public int forgetClosed() {
        synchronized (lock) {
            int before = claims.size();
            claims.values().removeIf(c -> c.status() != ClaimStatus.OPEN);
            return before - claims.size();
        }
    }
}

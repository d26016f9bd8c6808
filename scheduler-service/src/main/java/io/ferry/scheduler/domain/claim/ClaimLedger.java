package io.ferry.scheduler.domain.claim;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.host.CellPlacement;
import io.ferry.scheduler.domain.host.HostClaims;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.NumaFit;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Claims on destination hosts, thread-safe.
 *
 * <p>Live path: {@link #tryClaim}, {@link #release}, {@link #commit} decide under one lock against the
 * latest claims and return the event to publish, having applied it. Recovery: {@link #apply} and {@link #restore}
 * replay the log; they are idempotent per migration id and attempt (each attempt is claimed at most once and closed
 * at most once, and a newer attempt supersedes an older one), so re-delivered or re-read events change nothing. A
 * migration claims again only after its claim was released to reschedule it ({@link ReleaseReason#RESCHEDULED}).
 *
 * <p>A claim counts against its host while it is open and, once committed, until a report of the host counts the
 * instance itself ({@link #settle}). Whatever the moment, a host's reported usage plus its counting claims counts
 * the migrating instance at least once: a claim whose instance the host state reports is left out
 * ({@link #claimsOn(HostState)}), and a committed claim is settled in the same critical section that publishes the
 * report that counts it ({@link #hostReported}), which {@link #tryClaim(MigrationId, HostName, Function, RequestSpec)}
 * reads under the lock.
 *
 * <p>Writers take a single lock: claims are made once per migration, far rarer than decisions. Readers
 * ({@link #claimsOn}) never lock: per-host sums live in a concurrent map of immutable values, so a decision sees each
 * host's claims as of some moment and the claim itself re-checks under the lock. Closed claims are remembered (for
 * idempotency) until {@link #forgetClosed} drops them.
 */
public final class ClaimLedger implements ClaimView {

    /** The counting claims of one host and their sum: immutable, replaced on every change. */
    private record Bucket(HostClaims sum, List<Claim> claims) {

        static final Bucket EMPTY = new Bucket(HostClaims.NONE, List.of());

        Bucket plus(Claim claim) {
            List<Claim> all = new ArrayList<>(claims);
            all.add(claim);
            return new Bucket(sum.plus(claim.resources(), claim.placements()), all);
        }

        Bucket minus(Claim claim) {
            List<Claim> rest = new ArrayList<>(claims);
            rest.removeIf(c -> c.migration().equals(claim.migration()));
            return rest.isEmpty() ? null : new Bucket(sum.minus(claim.resources(), claim.placements()), rest);
        }

        Bucket replace(Claim claim) {
            List<Claim> all = new ArrayList<>(claims);
            all.replaceAll(c -> c.migration().equals(claim.migration()) ? claim : c);
            return new Bucket(sum, all);
        }
    }

    private final Map<MigrationId, Claim> claims = new ConcurrentHashMap<>();
    private final Map<HostName, Bucket> byHost = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    @Override
    public HostClaims claimsOn(HostName host) {
        Bucket bucket = byHost.get(host);
        return bucket == null ? HostClaims.NONE : bucket.sum();
    }

    @Override
    public HostClaims claimsOn(HostState host) {
        Bucket bucket = byHost.get(host.name());
        if (bucket == null) {
            return HostClaims.NONE;
        }
        Set<UUID> reported = host.reportedInstances();
        if (reported.isEmpty()) {
            return bucket.sum();
        }
        boolean anyReported = false;
        for (Claim claim : bucket.claims()) {
            if (reported.contains(claim.instance())) {
                anyReported = true;
                break;
            }
        }
        if (!anyReported) {
            return bucket.sum();
        }
        HostClaims sum = HostClaims.NONE;
        for (Claim claim : bucket.claims()) {
            if (!reported.contains(claim.instance())) {
                sum = sum.plus(claim.resources(), claim.placements());
            }
        }
        return sum;
    }

    /**
     * Claims {@code request}'s demand on {@code host} (given without claims: the ledger adds its own)
     * if it still fits with every counting claim. Idempotent: the same migration claiming the same
     * host again gets its existing claim back.
     */
    public ClaimResult tryClaim(MigrationId migration, HostState host, RequestSpec request) {
        synchronized (lock) {
            return tryClaimLocked(migration, host, request);
        }
    }

    /**
     * As {@link #tryClaim(MigrationId, HostState, RequestSpec)}, reading the host's current state from
     * {@code current} under the lock, so that the check sees the same report that settled the host's claims.
     */
    public ClaimResult tryClaim(MigrationId migration, HostName host, Function<HostName, HostState> current,
            RequestSpec request) {
        synchronized (lock) {
            HostState state = current.apply(host);
            if (state == null) {
                return new ClaimResult.Refused("host " + host + " is no longer known");
            }
            return tryClaimLocked(migration, state, request);
        }
    }

    private ClaimResult tryClaimLocked(MigrationId migration, HostState host, RequestSpec request) {
        Claim existing = claims.get(migration);
        int attempt = 1;
        if (existing != null) {
            if (existing.status() == ClaimStatus.OPEN && existing.host().equals(host.name())) {
                return new ClaimResult.Claimed(new ClaimEvent.ResourcesClaimed(migration, existing.attempt(),
                        existing.instance(), existing.host(), existing.resources(), existing.placements()));
            }
            if (existing.status() != ClaimStatus.RELEASED || existing.releaseReason() != ReleaseReason.RESCHEDULED) {
                return new ClaimResult.Refused("migration " + migration + " already has a " + existing.status()
                        + " claim on " + existing.host());
            }
            attempt = existing.attempt() + 1;
        }
        HostState claimed = host.withClaims(claimsOn(host));
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
        ClaimEvent.ResourcesClaimed event = new ClaimEvent.ResourcesClaimed(migration, attempt,
                request.instanceUuid(), host.name(), request.demand(), placements);
        applyLocked(event);
        return new ClaimResult.Claimed(event);
    }

    /** Gives back an open claim; empty when there is none (unknown or already closed). */
    public Optional<ClaimEvent> release(MigrationId migration, ReleaseReason reason) {
        synchronized (lock) {
            Claim existing = claims.get(migration);
            if (existing == null || existing.status() != ClaimStatus.OPEN) {
                return Optional.empty();
            }
            ClaimEvent event = new ClaimEvent.ClaimReleased(migration, existing.attempt(), reason);
            applyLocked(event);
            return Optional.of(event);
        }
    }

    /**
     * The migration completed at {@code at}: the open claim becomes committed, and keeps counting until a report of
     * its host counts the instance ({@link #settle}). Empty when there is no open claim (unknown or already closed).
     */
    public Optional<ClaimEvent> commit(MigrationId migration, Instant at) {
        synchronized (lock) {
            Claim existing = claims.get(migration);
            if (existing == null || existing.status() != ClaimStatus.OPEN) {
                return Optional.empty();
            }
            ClaimEvent event = new ClaimEvent.ClaimCommitted(migration, existing.attempt(), existing.host(),
                    existing.resources(), at);
            applyLocked(event);
            return Optional.of(event);
        }
    }

    /**
     * Settles the committed claims on {@code reported}'s host that the report makes redundant: those whose instance it
     * counts, and those committed at least {@code grace} before {@code reportedAt} (a report that late is
     * authoritative: the instance left again, or never arrived). Returns the settled claims.
     */
    public List<Claim> settle(HostState reported, Instant reportedAt, Duration grace) {
        synchronized (lock) {
            return settleLocked(reported, reportedAt, grace);
        }
    }

    /**
     * Publishes a new report of a host (through {@code publish}, e.g. into the fleet map decisions read) and settles
     * the host's committed claims against it, in one critical section with {@link #tryClaim}.
     */
    public List<Claim> hostReported(HostState reported, Instant reportedAt, Duration grace, Consumer<HostState> publish) {
        synchronized (lock) {
            publish.accept(reported);
            return settleLocked(reported, reportedAt, grace);
        }
    }

    private List<Claim> settleLocked(HostState reported, Instant reportedAt, Duration grace) {
        Bucket bucket = byHost.get(reported.name());
        if (bucket == null) {
            return List.of();
        }
        List<Claim> settled = new ArrayList<>();
        for (Claim claim : bucket.claims()) {
            if (claim.status() == ClaimStatus.COMMITTED
                    && (reported.reportedInstances().contains(claim.instance())
                        || !reportedAt.isBefore(claim.committedAt().plus(grace)))) {
                Claim done = claim.settled();
                claims.put(claim.migration(), done);
                byHost.computeIfPresent(claim.host(), (host, b) -> b.minus(claim));
                settled.add(done);
            }
        }
        return settled;
    }

    /** Replays one event; returns whether it changed anything (false for duplicates and stale events). */
    public boolean apply(ClaimEvent event) {
        synchronized (lock) {
            return applyLocked(event);
        }
    }

    /**
     * Replays a claim as the log keeps it (its last state only, once compacted): the claim, then its closing if it
     * is closed. Idempotent like {@link #apply}; returns whether it changed anything.
     */
    public boolean restore(Claim snapshot) {
        synchronized (lock) {
            boolean changed = applyLocked(new ClaimEvent.ResourcesClaimed(snapshot.migration(), snapshot.attempt(),
                    snapshot.instance(), snapshot.host(), snapshot.resources(), snapshot.placements()));
            changed |= switch (snapshot.status()) {
                case OPEN -> false;
                case RELEASED -> applyLocked(new ClaimEvent.ClaimReleased(snapshot.migration(), snapshot.attempt(),
                        snapshot.releaseReason() == null ? ReleaseReason.FAILED : snapshot.releaseReason()));
                case COMMITTED, SETTLED -> applyLocked(new ClaimEvent.ClaimCommitted(snapshot.migration(),
                        snapshot.attempt(), snapshot.host(), snapshot.resources(),
                        snapshot.committedAt() == null ? Instant.EPOCH : snapshot.committedAt()));
            };
            return changed;
        }
    }

    private boolean applyLocked(ClaimEvent event) {
        Claim existing = claims.get(event.migration());
        return switch (event) {
            case ClaimEvent.ResourcesClaimed c -> {
                if (existing != null && existing.attempt() >= c.attempt()) {
                    yield false;
                }
                if (existing != null && existing.counts()) {
                    // superseded without a release we have seen: it no longer counts
                    byHost.computeIfPresent(existing.host(), (host, bucket) -> bucket.minus(existing));
                }
                Claim claim = Claim.open(c);
                claims.put(c.migration(), claim);
                byHost.compute(c.host(), (host, bucket) -> (bucket == null ? Bucket.EMPTY : bucket).plus(claim));
                yield true;
            }
            case ClaimEvent.ClaimReleased r -> {
                if (!isOpen(existing, r.attempt())) {
                    yield false;
                }
                claims.put(r.migration(), existing.released(r.reason()));
                byHost.computeIfPresent(existing.host(), (host, bucket) -> bucket.minus(existing));
                yield true;
            }
            case ClaimEvent.ClaimCommitted c -> {
                if (!isOpen(existing, c.attempt())) {
                    yield false;
                }
                Claim committed = existing.committed(c.at());
                claims.put(c.migration(), committed);
                byHost.computeIfPresent(existing.host(), (host, bucket) -> bucket.replace(committed));
                yield true;
            }
        };
    }

    private static boolean isOpen(Claim claim, int attempt) {
        return claim != null && claim.status() == ClaimStatus.OPEN && claim.attempt() == attempt;
    }

    public Optional<Claim> claim(MigrationId migration) {
        return Optional.ofNullable(claims.get(migration));
    }

    public List<Claim> openClaims() {
        return claimsIn(ClaimStatus.OPEN);
    }

    /** Claims that count against their host: open, and committed but not yet settled. */
    public List<Claim> countingClaims() {
        List<Claim> counting = new ArrayList<>();
        for (Bucket bucket : byHost.values()) {
            counting.addAll(bucket.claims());
        }
        return counting;
    }

    private List<Claim> claimsIn(ClaimStatus status) {
        List<Claim> found = new ArrayList<>();
        for (Claim c : claims.values()) {
            if (c.status() == status) {
                found.add(c);
            }
        }
        return found;
    }

    /** Drops released and settled claims; replays of them are no longer ignored. */
    public int forgetClosed() {
        synchronized (lock) {
            int before = claims.size();
            claims.values().removeIf(c -> !c.counts());
            return before - claims.size();
        }
    }
}

package io.ferry.scheduler.app;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.claim.Claim;
import io.ferry.scheduler.domain.claim.ClaimLedger;
import io.ferry.scheduler.domain.claim.ClaimStatus;
import io.ferry.scheduler.domain.claim.ReleaseReason;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.select.Decision;
import io.ferry.scheduler.domain.select.FilterCount;
import io.ferry.scheduler.domain.select.Scheduled;
import io.ferry.scheduler.domain.select.Scheduler;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a destination is chosen: each request goes through the domain's {@link Scheduler} (pre-check,
 * filters, weighers, a race-free claim) against the {@link FleetProjection}, and the claim is made durable through
 * the {@link ClaimJournal} before the decision is returned. Migrations that end release their claim (failed,
 * cancelled, error) or commit it (completed). Thread-safe; requests for one migration arrive in order.
 */
public final class SchedulingService {

    private static final Logger log = LoggerFactory.getLogger(SchedulingService.class);
    private static final int REMEMBERED_ENDS = 100_000;

    /** What became of a request. */
    public sealed interface Outcome permits Claimed, Refused {
    }

    /** The destination is claimed; the alternates are the next best hosts, best first (not claimed). */
    public record Claimed(HostName host, List<HostName> alternates) implements Outcome {
        public Claimed {
            Objects.requireNonNull(host, "host");
            alternates = List.copyOf(alternates);
        }
    }

    /**
     * No destination: {@code filters} says which filter removed how many hosts; {@code notLiveMigratable} when the
     * instance cannot be live-migrated at all (no host was tried).
     */
    public record Refused(String reason, List<FilterCount> filters, boolean notLiveMigratable) implements Outcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            filters = List.copyOf(filters);
        }
    }

    private final Scheduler scheduler;
    private final ClaimLedger ledger;
    private final FleetProjection fleet;
    private final ClaimJournal journal;
    private final Map<MigrationId, MigrationEnd> ended = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MigrationId, MigrationEnd> eldest) {
            return size() > REMEMBERED_ENDS;
        }
    };

    public SchedulingService(Scheduler scheduler, ClaimLedger ledger, FleetProjection fleet, ClaimJournal journal) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    /**
     * Picks and claims a destination for {@code migration}. A repeated request (re-delivered, or re-sent by a
     * restarted conductor) gets its open claim back; a request that ignores the host of its open claim, or asks for
     * another host (an alternate), is a reschedule: the old claim is released and the request placed anew; a request
     * for a migration that already ended is refused without claiming.
     */
    public Outcome place(MigrationId migration, RequestSpec request) {
        MigrationEnd end = endOf(migration);
        if (end != null) {
            return new Refused("migration " + migration + " already ended (" + end.name().toLowerCase() + ")",
                    List.of(), false);
        }
        Optional<Claim> existing = ledger.claim(migration);
        if (existing.isPresent()) {
            Claim claim = existing.get();
            if (claim.status() != ClaimStatus.OPEN) {
                return new Refused("migration " + migration + " already has a " + claim.status()
                        + " claim on " + claim.host(), List.of(), false);
            }
            HostName asked = request.requestedHostOrNull();
            boolean elsewhere = request.ignoreHosts().contains(claim.host()) || (asked != null && !asked.equals(claim.host()));
            if (!elsewhere) {
                journal.append(claim); // it may not have reached the log before a crash; appending again is harmless
                log.info("migration {}: already claimed {}", migration, claim.host());
                return new Claimed(claim.host(), List.of());
            }
            ledger.release(migration, ReleaseReason.RESCHEDULED)
                    .ifPresent(event -> journal.append(ledger.claim(migration).orElseThrow()));
            log.info("migration {}: released {} to reschedule ({})", migration, claim.host(),
                    asked != null && !asked.equals(claim.host()) ? "asked for " + asked : "it is now ignored");
        }
        Scheduled scheduled = scheduler.schedule(migration, request, fleet.hosts());
        return switch (scheduled.decision()) {
            case Decision.Selected selected -> {
                journal.append(ledger.claim(migration).orElseThrow());
                yield new Claimed(selected.host(), selected.alternates());
            }
            case Decision.NoValidHost none -> new Refused(none.reason(), none.filterCounts(), false);
            case Decision.NotMigratable not -> new Refused(not.reason(), List.of(), true);
        };
    }

    /**
     * A migration ended at {@code at}: completed commits its claim (which counts until the destination reports the
     * instance), anything else releases it. A completion on another host than the claimed one (the conductor went to
     * an alternate without asking again) releases the claim instead: the host the instance landed on counts it in its
     * own reports. Idempotent: replays of the same end change nothing.
     *
     * @param destination where the migration record says the instance went; null when it does not say
     */
    public void migrationEnded(MigrationId migration, MigrationEnd end, Instant at, HostName destination) {
        synchronized (ended) {
            ended.put(migration, end);
        }
        Optional<ReleaseReason> release = end.releaseReason();
        Optional<Claim> current = ledger.claim(migration);
        if (release.isEmpty() && destination != null && current.isPresent()
                && current.get().status() == ClaimStatus.OPEN && !current.get().host().equals(destination)) {
            log.warn("migration {} completed on {}, not on its claimed {}: releasing the claim", migration,
                    destination, current.get().host());
            release = Optional.of(ReleaseReason.RESCHEDULED);
        }
        if (release.isPresent()) {
            ledger.release(migration, release.get()).ifPresent(event -> {
                Claim claim = ledger.claim(migration).orElseThrow();
                journal.append(claim);
                log.info("migration {} {}: released its claim on {}", migration, end.name().toLowerCase(), claim.host());
            });
            return;
        }
        ledger.commit(migration, at).ifPresent(event -> {
            Claim claim = ledger.claim(migration).orElseThrow();
            journal.append(claim);
            boolean settled = !fleet.settle(claim.host()).isEmpty();
            log.info("migration {} completed: its claim on {} {}", migration, claim.host(),
                    settled ? "is settled (the host already reports the instance)"
                            : "counts until the host reports the instance");
        });
    }

    /** Applies a host's report; returns whether it was newer than what was known. */
    public boolean hostReported(HostReport report) {
        return fleet.apply(report).isPresent();
    }

    /** Replays a claim from the journal (at start, or another scheduler's); returns whether it changed anything. */
    public boolean recover(Claim claim) {
        return ledger.restore(claim);
    }

    private MigrationEnd endOf(MigrationId migration) {
        synchronized (ended) {
            return ended.get(migration);
        }
    }
}

package io.ferry.gateway.app;

import io.ferry.schemas.migration.DrainRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drains as {@code ferry.drains} records them (the newest sequence of each), the drains this gateway requested that
 * no record answers yet (so a second drain of the host is refused at once, for at most {@code requestTimeout}: the
 * conductor is the authority and refuses a drain of a host already being drained, so a request no record answered
 * in that time, e.g. sent while no conductor ran, no longer blocks the host), and waiters for a drain's first record
 * (a dry run answers with its plan).
 */
public class DrainView {

    /** The statuses after which nothing more happens to a drain. */
    public static final Set<String> ENDED = Set.of("planned", "completed", "stopped", "failed");

    /** A drain requested here, not recorded yet. */
    public record Requested(String drainId, String host) {
    }

    /** A request mark and when it stops holding its host. */
    private record Mark(Requested requested, Instant expiresAt) {
    }

    private final Clock clock;
    private final Duration requestTimeout;
    private final Map<String, DrainRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, Mark> requestedByHost = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<DrainRecord>> waiters = new ConcurrentHashMap<>();

    public DrainView(Clock clock, Duration requestTimeout) {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("ferry.drain.request-timeout must be positive: " + requestTimeout);
        }
        this.clock = clock;
        this.requestTimeout = requestTimeout;
    }

    public void apply(DrainRecord record) {
        DrainRecord kept = byId.merge(record.getDrainId(), record,
                (old, neu) -> neu.getSequence() >= old.getSequence() ? neu : old);
        requestedByHost.computeIfPresent(record.getHost(),
                (host, m) -> m.requested().drainId().equals(record.getDrainId()) ? null : m);
        CompletableFuture<DrainRecord> waiter = waiters.remove(record.getDrainId());
        if (waiter != null) {
            waiter.complete(kept);
        }
    }

    public static boolean isEnded(DrainRecord record) {
        return ENDED.contains(record.getStatus());
    }

    public Optional<DrainRecord> byId(String drainId) {
        return Optional.ofNullable(byId.get(drainId));
    }

    /** A drain requested here whose record has not arrived yet. */
    public Optional<Requested> requested(String drainId) {
        Instant now = clock.instant();
        return requestedByHost.values().stream().filter(m -> m.expiresAt().isAfter(now)).map(Mark::requested)
                .filter(r -> r.drainId().equals(drainId)).findFirst();
    }

    /** Every drain, newest first. */
    public List<DrainRecord> all() {
        List<DrainRecord> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong(DrainRecord::getCreatedAt).reversed()
                .thenComparing(DrainRecord::getDrainId));
        return all;
    }

    /**
     * The drain id of the drain under way on {@code host} (running, stopping, or requested here within the request
     * timeout), if any.
     */
    public Optional<String> activeOn(String host) {
        Mark pending = requestedByHost.get(host);
        if (pending != null && pending.expiresAt().isAfter(clock.instant())) {
            return Optional.of(pending.requested().drainId());
        }
        return byId.values().stream().filter(d -> d.getHost().equals(host) && !d.getDryRun() && !isEnded(d))
                .map(DrainRecord::getDrainId).findFirst();
    }

    /**
     * Remembers a drain this gateway is about to publish; false when one for the host is already pending (requested
     * here, unanswered, within the request timeout). An expired mark is replaced.
     */
    public boolean markRequested(String host, String drainId) {
        Instant now = clock.instant();
        Mark mark = new Mark(new Requested(drainId, host), now.plus(requestTimeout));
        return requestedByHost.compute(host, (h, old) -> old == null || !old.expiresAt().isAfter(now) ? mark : old)
                == mark;
    }

    public void forgetRequest(String host, String drainId) {
        requestedByHost.computeIfPresent(host, (h, m) -> m.requested().drainId().equals(drainId) ? null : m);
    }

    /** Registers interest in a drain's first record; call before publishing its command. */
    public void expect(String drainId) {
        waiters.computeIfAbsent(drainId, id -> new CompletableFuture<>());
        DrainRecord already = byId.get(drainId);
        if (already != null) {
            CompletableFuture<DrainRecord> waiter = waiters.remove(drainId);
            if (waiter != null) {
                waiter.complete(already);
            }
        }
    }

    /** Waits (at most {@code timeout}) for the record of a drain registered with {@link #expect}. */
    public Optional<DrainRecord> await(String drainId, Duration timeout) throws InterruptedException {
        DrainRecord already = byId.get(drainId);
        CompletableFuture<DrainRecord> waiter = waiters.get(drainId);
        if (already != null || waiter == null) {
            waiters.remove(drainId);
            return Optional.ofNullable(already);
        }
        try {
            return Optional.of(waiter.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            waiters.remove(drainId);
        }
    }
}

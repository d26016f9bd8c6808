package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A host drain: the request, its plan and every instance's migration. Immutable; every change returns a new drain
 * with the next sequence number, which the conductor records before anything that depends on it.
 *
 * @param request  what the operator asked
 * @param plan     the plan it runs (kept in memory; its figures are recorded in the entries)
 * @param entries  the planned migrations in start order, then the instances it does not migrate
 * @param note     the reason of the last status change (stop reason, failure), or null
 * @param stop     how the operator's stop treats the migrations under way, or null (not stopped, or taken back from
 *                 its record after a restart: the note then stays as recorded)
 */
public record Drain(Request request, DrainStatus status, long sequence, DrainPlan plan, List<DrainEntry> entries,
                    Instant createdAt, Instant updatedAt, Instant endedAt, String note, DrainStop stop) {

    /** An operator's request to drain a host. */
    public record Request(String drainId, String host, String reason, boolean dryRun, boolean disableHost,
                          String userId, String projectId) {
        public Request {
            Objects.requireNonNull(drainId, "drainId");
            Objects.requireNonNull(host, "host");
        }
    }

    public Drain {
        entries = List.copyOf(entries);
    }

    /** A drain as its record holds it (the stop's counts are not recorded, only its note). */
    public Drain(Request request, DrainStatus status, long sequence, DrainPlan plan, List<DrainEntry> entries,
                 Instant createdAt, Instant updatedAt, Instant endedAt, String note) {
        this(request, status, sequence, plan, entries, createdAt, updatedAt, endedAt, note, null);
    }

    public String id() {
        return request.drainId();
    }

    /** The migration uuid a drain gives an instance: the same on every redelivery of the request. */
    public static String migrationUuid(String drainId, String instanceUuid) {
        return UUID.nameUUIDFromBytes(("drain:" + drainId + ":" + instanceUuid).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** A new drain with its plan: running, or planned only for a dry run (completed at once when nothing moves). */
    public static Drain planned(Request request, DrainPlan plan, Instant now) {
        List<DrainEntry> entries = new ArrayList<>();
        for (DrainPlan.Planned p : plan.migrations()) {
            DrainCandidate vm = p.vm();
            entries.add(new DrainEntry(vm.instanceUuid(), vm.name(), vm.memory().bytes(), vm.dirtyRate(), p.needed(),
                    p.order(), null, p.predictedStart(), p.predictedDuration(),
                    migrationUuid(request.drainId(), vm.instanceUuid()), 0, null, null, null, null, 0, 0,
                    vm.memory().bytes()));
        }
        for (DrainPlan.Excluded x : plan.excluded()) {
            DrainCandidate vm = x.vm();
            entries.add(new DrainEntry(vm.instanceUuid(), vm.name(), vm.memory().bytes(), vm.dirtyRate(),
                    plan.rule().needed(vm.dirtyRate()), -1, x.reason(), Duration.ZERO, Duration.ZERO, null, 0, null,
                    null, null, null, 0, 0, 0));
        }
        DrainStatus status = request.dryRun() ? DrainStatus.PLANNED
                : plan.migrations().isEmpty() ? DrainStatus.COMPLETED : DrainStatus.RUNNING;
        return new Drain(request, status, 1, plan, entries, now, now, status.isFinal() ? now : null, null);
    }

    /** A drain that could not be planned. */
    public static Drain failed(Request request, String why, Instant now) {
        return new Drain(request, DrainStatus.FAILED, 1, null, List.of(), now, now, now, why);
    }

    /** The entries that are migrated, in start order. */
    public List<DrainEntry> migrations() {
        return entries.stream().filter(DrainEntry::migrated).toList();
    }

    public Optional<DrainEntry> entryOf(String migrationUuid) {
        return entries.stream().filter(e -> migrationUuid.equals(e.migrationUuid())).findFirst();
    }

    /**
     * This drain after a record of one of its migrations; empty when nothing a reader follows changed (figures are
     * still taken in, for the remaining-time estimate, by the caller keeping the returned drain either way).
     */
    public Change observe(Migration m, Instant now) {
        List<DrainEntry> next = new ArrayList<>(entries.size());
        boolean notable = false;
        for (DrainEntry e : entries) {
            if (m.uuid().equals(e.migrationUuid())) {
                DrainEntry updated = e.observe(m);
                notable = updated.differsNotablyFrom(e);
                next.add(updated);
            } else {
                next.add(e);
            }
        }
        Drain changed = new Drain(request, status, sequence, plan, next, createdAt, updatedAt, endedAt, note, stop);
        if (!notable) {
            return new Change(changed, false);
        }
        DrainStatus nextStatus = status;
        Instant ended = endedAt;
        String nextNote = note;
        if (!status.isFinal() && changed.migrations().stream().allMatch(DrainEntry::ended)) {
            nextStatus = status == DrainStatus.STOPPING ? DrainStatus.STOPPED : DrainStatus.COMPLETED;
            ended = now;
            if (nextStatus == DrainStatus.STOPPED && stop != null) {
                nextNote = stop.onceStopped();
            }
        }
        return new Change(new Drain(request, nextStatus, sequence + 1, plan, next, createdAt, now, ended, nextNote,
                stop), true);
    }

    /**
     * The operator stops the drain: no further migration of it starts; {@code stop} counts how the migrations under
     * way are treated (aborted or left to finish) and is the drain's note. Stopped at once when none of its
     * migrations is under way; a stopping or final drain does not change (a repeated stop is no news).
     */
    public Change stop(DrainStop stop, Instant now) {
        if (status.isFinal() || status == DrainStatus.STOPPING) {
            return new Change(this, false);
        }
        boolean anyStarted = migrations().stream().anyMatch(e -> e.startedAt() != null && !e.ended());
        DrainStatus next = anyStarted ? DrainStatus.STOPPING : DrainStatus.STOPPED;
        return new Change(new Drain(request, next, sequence + 1, plan, entries, createdAt, now,
                next.isFinal() ? now : null, next.isFinal() ? stop.onceStopped() : stop.whileStopping(), stop), true);
    }

    /** Whether migrations of this drain may still start. */
    public boolean admitting() {
        return status == DrainStatus.RUNNING;
    }

    /** A new state of the drain, and whether it is to be recorded. */
    public record Change(Drain drain, boolean record) {
    }

    // progress

    public int total() {
        return migrations().size();
    }

    public int done() {
        return (int) migrations().stream().filter(DrainEntry::ended).count();
    }

    public int completed() {
        return (int) migrations().stream().filter(e -> e.status() == MigrationStatus.COMPLETED).count();
    }

    public int failed() {
        return done() - completed();
    }

    public Duration elapsed(Instant now) {
        return Duration.between(createdAt, endedAt != null ? endedAt : now);
    }

    /**
     * Predicted remaining time: the memory still to send over the NIC, scaled by the plan's predicted efficiency
     * (predicted total / lower bound).
     */
    public Duration predictedRemaining() {
        if (status.isFinal() || plan == null) {
            return Duration.ZERO;
        }
        long remaining = migrations().stream().filter(e -> !e.ended()).mapToLong(DrainEntry::remainingBytes).sum();
        double seconds = remaining / (double) plan.nic().bytesPerSecond() * Math.max(1.0, plan.predictedRatio());
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}

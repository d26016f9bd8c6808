package io.ferry.scheduler.domain.claim;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.Resources;
import io.ferry.scheduler.domain.host.CellPlacement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One migration's claim on its destination.
 *
 * @param attempt 1 for the migration's first claim, one more for each reschedule (a claim released so that the
 *        migration can be placed elsewhere): events of an older attempt never touch a newer one
 * @param instance the migrating instance: once the destination reports it, its usage counts it and the claim does not
 * @param committedAt when the migration completed (null unless committed or settled)
 * @param releaseReason why it was given back (null unless released)
 */
public record Claim(MigrationId migration, int attempt, UUID instance, HostName host, Resources resources,
        List<CellPlacement> placements, ClaimStatus status, Instant committedAt, ReleaseReason releaseReason) {

    public Claim {
        Objects.requireNonNull(migration, "migration");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1");
        }
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(status, "status");
        placements = List.copyOf(placements);
    }

    static Claim open(ClaimEvent.ResourcesClaimed event) {
        return new Claim(event.migration(), event.attempt(), event.instance(), event.host(), event.resources(), event.placements(),
                ClaimStatus.OPEN, null, null);
    }

    /** Whether the claim still sets resources aside on its host (open, or committed and not yet reported). */
    public boolean counts() {
        return status == ClaimStatus.OPEN || status == ClaimStatus.COMMITTED;
    }

    Claim released(ReleaseReason reason) {
        return new Claim(migration, attempt, instance, host, resources, placements, ClaimStatus.RELEASED, null, reason);
    }

    Claim committed(Instant at) {
        return new Claim(migration, attempt, instance, host, resources, placements, ClaimStatus.COMMITTED, at, null);
    }

    Claim settled() {
        return new Claim(migration, attempt, instance, host, resources, placements, ClaimStatus.SETTLED, committedAt, null);
    }
}

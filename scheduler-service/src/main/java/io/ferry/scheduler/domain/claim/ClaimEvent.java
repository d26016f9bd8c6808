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
 * What happened to a claim; the ledger's state is the replay of these, keyed by migration id and ordered by
 * {@link #attempt()}: an event of an older attempt than the migration's current claim changes nothing.
 */
public sealed interface ClaimEvent permits ClaimEvent.ResourcesClaimed, ClaimEvent.ClaimReleased, ClaimEvent.ClaimCommitted {

    MigrationId migration();

    /** Which of the migration's claims the event is about: 1, then one more per reschedule. */
    int attempt();

    /** Resources (and NUMA placements) set aside on {@code host} for {@code migration} of {@code instance}. */
    record ResourcesClaimed(MigrationId migration, int attempt, UUID instance, HostName host, Resources resources,
            List<CellPlacement> placements) implements ClaimEvent {
        public ResourcesClaimed {
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(resources, "resources");
            placements = List.copyOf(placements);
        }
    }

    /** The migration failed, was cancelled or errored (or is rescheduled elsewhere): the claim is given back. */
    record ClaimReleased(MigrationId migration, int attempt, ReleaseReason reason) implements ClaimEvent {
        public ClaimReleased {
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The migration completed at {@code at}: the instance now runs on {@code host}. The claim keeps counting until
     * a report of the host counts the instance itself ({@link ClaimLedger#settle}), so there is neither a gap
     * (usage not yet reported) nor a double count (reported and claimed).
     */
    record ClaimCommitted(MigrationId migration, int attempt, HostName host, Resources resources, Instant at)
            implements ClaimEvent {
        public ClaimCommitted {
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(resources, "resources");
            Objects.requireNonNull(at, "at");
        }
    }
}

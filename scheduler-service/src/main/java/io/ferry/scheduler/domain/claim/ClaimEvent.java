package io.ferry.scheduler.domain.claim;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.Resources;
import io.ferry.scheduler.domain.host.CellPlacement;
import java.util.List;
import java.util.Objects;

/** What happened to a claim; the ledger's state is the replay of these, keyed by migration id. */
public sealed interface ClaimEvent permits ClaimEvent.ResourcesClaimed, ClaimEvent.ClaimReleased, ClaimEvent.ClaimCommitted {

    MigrationId migration();

    /** Resources (and NUMA placements) set aside on {@code host} for {@code migration}. */
    record ResourcesClaimed(MigrationId migration, HostName host, Resources resources, List<CellPlacement> placements)
            implements ClaimEvent {
        public ResourcesClaimed {
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(resources, "resources");
            placements = List.copyOf(placements);
        }
    }

    /** The migration failed, was cancelled or errored: the claim is given back. */
    record ClaimReleased(MigrationId migration, ReleaseReason reason) implements ClaimEvent {
        public ClaimReleased {
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The migration completed: the claim leaves the ledger and becomes usage of {@code host}; the
     * host-state projection adds {@code resources} to the host's usage until the agent's next report.
     */
    record ClaimCommitted(MigrationId migration, HostName host, Resources resources) implements ClaimEvent {
        public ClaimCommitted {
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(resources, "resources");
        }
    }
}

package io.ferry.scheduler.domain.claim;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.Resources;
import io.ferry.scheduler.domain.host.CellPlacement;
import java.util.List;

/** One migration's claim on its destination. */
public record Claim(MigrationId migration, HostName host, Resources resources, List<CellPlacement> placements,
        ClaimStatus status) {

    public Claim {
        placements = List.copyOf(placements);
    }

    Claim withStatus(ClaimStatus next) {
        return new Claim(migration, host, resources, placements, next);
    }
}

package io.ferry.scheduler.app;

import io.ferry.scheduler.domain.claim.ReleaseReason;
import java.util.Optional;

/** How a migration ended, as far as its destination claim is concerned. */
public enum MigrationEnd {
    /** The instance runs on the destination: the claim is committed and counts until the destination reports it. */
    COMPLETED(null),
    FAILED(ReleaseReason.FAILED),
    CANCELLED(ReleaseReason.CANCELLED),
    ERROR(ReleaseReason.ERROR);

    private final ReleaseReason releaseReason;

    MigrationEnd(ReleaseReason releaseReason) {
        this.releaseReason = releaseReason;
    }

    /** Why the claim is given back; empty for {@link #COMPLETED}, which keeps it. */
    public Optional<ReleaseReason> releaseReason() {
        return Optional.ofNullable(releaseReason);
    }

    /** The end a Nova migration status means; empty for statuses of migrations still under way. */
    public static Optional<MigrationEnd> ofNovaStatus(String status) {
        if (status == null) {
            return Optional.empty();
        }
        return switch (status) {
            case "completed" -> Optional.of(COMPLETED);
            case "failed" -> Optional.of(FAILED);
            case "cancelled" -> Optional.of(CANCELLED);
            case "error" -> Optional.of(ERROR);
            default -> Optional.empty();
        };
    }
}

package io.ferry.scheduler.domain.claim;

import java.util.Objects;

/** The outcome of trying to claim a host: the event to publish, or why not (a business refusal). */
public sealed interface ClaimResult permits ClaimResult.Claimed, ClaimResult.Refused {

    record Claimed(ClaimEvent.ResourcesClaimed event) implements ClaimResult {
        public Claimed {
            Objects.requireNonNull(event, "event");
        }
    }

    record Refused(String reason) implements ClaimResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}

package io.ferry.scheduler.domain.select;

import io.ferry.scheduler.domain.claim.ClaimEvent;
import java.util.Objects;
import java.util.Optional;

/** A decision plus, when a host was selected, the claim event to publish. */
public record Scheduled(Decision decision, Optional<ClaimEvent.ResourcesClaimed> claim) {

    public Scheduled {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(claim, "claim");
        if (decision instanceof Decision.Selected != claim.isPresent()) {
            throw new IllegalArgumentException("a selection always carries its claim, a refusal never");
        }
    }
}

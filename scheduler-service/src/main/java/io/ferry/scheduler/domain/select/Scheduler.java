package io.ferry.scheduler.domain.select;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.claim.ClaimLedger;
import io.ferry.scheduler.domain.claim.ClaimResult;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Select, then claim: the chosen host is claimed at once; when a concurrent request claimed it first
 * the alternates are tried in order, and when all are gone a new round is selected with the new
 * claims counted, up to {@code maxClaimAttempts} rounds. Thread-safe.
 */
public final class Scheduler {

    private final HostSelector selector;
    private final ClaimLedger ledger;
    private final int maxClaimAttempts;

    public Scheduler(HostSelector selector, ClaimLedger ledger, int maxClaimAttempts) {
        this.selector = Objects.requireNonNull(selector, "selector");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.maxClaimAttempts = maxClaimAttempts;
    }

    /** @param fleet the current host states by name (without claims: the ledger adds them) */
    public Scheduled schedule(MigrationId migration, RequestSpec request, Map<HostName, HostState> fleet) {
        String lastRefusal = null;
        for (int attempt = 1; attempt <= maxClaimAttempts; attempt++) {
            Decision decision = selector.select(request, fleet.values(), ledger);
            if (!(decision instanceof Decision.Selected selected)) {
                return new Scheduled(decision, Optional.empty());
            }
            List<HostName> candidates = new ArrayList<>(1 + selected.alternates().size());
            candidates.add(selected.host());
            candidates.addAll(selected.alternates());
            for (int i = 0; i < candidates.size(); i++) {
                // the host's state is read under the ledger's lock: the same report that settled its claims
                ClaimResult result = ledger.tryClaim(migration, candidates.get(i), fleet::get, request);
                switch (result) {
                    case ClaimResult.Claimed claimed -> {
                        return new Scheduled(
                                new Decision.Selected(candidates.get(i), candidates.subList(i + 1, candidates.size())),
                                Optional.of(claimed.event()));
                    }
                    case ClaimResult.Refused refused -> lastRefusal = refused.reason();
                }
            }
        }
        return new Scheduled(new Decision.NoValidHost("No valid host was found: concurrent requests claimed every candidate in "
                + maxClaimAttempts + " rounds; last refusal: " + lastRefusal, List.of()), Optional.empty());
    }
}

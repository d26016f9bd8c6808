package io.ferry.scheduler.app;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.claim.Claim;
import io.ferry.scheduler.domain.claim.ClaimLedger;
import io.ferry.scheduler.domain.host.HostState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet as its hosts last reported it: what every decision reads. A report replaces the host's previous one when
 * it is at least as new; publishing it and settling the host's committed claims against it is one step of the
 * {@link ClaimLedger} (see {@link ClaimLedger#hostReported}). Reads are lock-free; writes are serialised.
 */
public final class FleetProjection {

    private final ClaimLedger ledger;
    private final Duration settleGrace;
    private final Map<HostName, HostState> hosts = new ConcurrentHashMap<>();
    private final Map<HostName, Instant> reportedAt = new ConcurrentHashMap<>();
    private final Map<HostName, Map<String, Integer>> groupsByHost = new ConcurrentHashMap<>();
    private final Map<HostName, HostState> view = Collections.unmodifiableMap(hosts);

    /**
     * @param settleGrace a report this much newer than a commit settles the committed claim even when it does not
     *        count the instance (it left again, or never arrived): Nova's service_down_time is a natural choice
     */
    public FleetProjection(ClaimLedger ledger, Duration settleGrace) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.settleGrace = Objects.requireNonNull(settleGrace, "settleGrace");
    }

    /** Applies a report unless an newer one of the host is known; returns the claims it settled, or empty. */
    public synchronized Optional<List<Claim>> apply(HostReport report) {
        HostName name = report.state().name();
        Instant previous = reportedAt.get(name);
        if (previous != null && previous.isAfter(report.reportedAt())) {
            return Optional.empty();
        }
        List<Claim> settled = ledger.hostReported(report.state(), report.reportedAt(), settleGrace,
                state -> hosts.put(state.name(), state));
        reportedAt.put(name, report.reportedAt());
        if (report.serverGroupMembers().isEmpty()) {
            groupsByHost.remove(name);
        } else {
            groupsByHost.put(name, report.serverGroupMembers());
        }
        return Optional.of(settled);
    }

    /** Settles the committed claims of {@code host} against its current report (after a commit). */
    public synchronized List<Claim> settle(HostName host) {
        HostState state = hosts.get(host);
        return state == null ? List.of() : ledger.settle(state, reportedAt.get(host), settleGrace);
    }

    /** Every known host by name: a live, unmodifiable view. */
    public Map<HostName, HostState> hosts() {
        return view;
    }

    public Optional<HostState> host(HostName name) {
        return Optional.ofNullable(hosts.get(name));
    }

    public int size() {
        return hosts.size();
    }

    /** How many instances of server group {@code groupId} each host runs, as last reported. */
    public Map<HostName, Integer> serverGroupMembers(String groupId) {
        Map<HostName, Integer> members = new HashMap<>();
        groupsByHost.forEach((host, groups) -> {
            Integer n = groups.get(groupId);
            if (n != null && n > 0) {
                members.put(host, n);
            }
        });
        return members;
    }
}

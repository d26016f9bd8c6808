package io.ferry.scheduler.app;

import io.ferry.scheduler.domain.host.HostState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One host's report, as the projection keeps it.
 *
 * @param state the host as reported, without claims
 * @param reportedAt when the agent took the report (its event time): newer reports replace older ones
 * @param serverGroupMembers how many instances of each server group (by id) run on the host
 */
public record HostReport(HostState state, Instant reportedAt, Map<String, Integer> serverGroupMembers) {

    public HostReport {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reportedAt, "reportedAt");
        serverGroupMembers = Map.copyOf(serverGroupMembers);
    }
}

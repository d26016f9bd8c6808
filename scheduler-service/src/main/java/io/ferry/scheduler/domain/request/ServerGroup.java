package io.ferry.scheduler.domain.request;

import io.ferry.scheduler.domain.HostName;
import java.util.Map;
import java.util.Objects;

/**
 * The instance's server group: its policy and how many members (other than the migrating instance)
 * run on each host.
 */
public record ServerGroup(String id, GroupPolicy policy, Map<HostName, Integer> membersPerHost) {

    public ServerGroup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policy, "policy");
        membersPerHost = Map.copyOf(membersPerHost);
    }

    public int membersOn(HostName host) {
        return membersPerHost.getOrDefault(host, 0);
    }

    public boolean hasMembers() {
        return !membersPerHost.isEmpty();
    }
}

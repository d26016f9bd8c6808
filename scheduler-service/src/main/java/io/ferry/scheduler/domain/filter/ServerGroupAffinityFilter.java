package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.request.ServerGroup;

/**
 * Nova's ServerGroupAffinityFilter: with an affinity group, only hosts that already run a member
 * (any host when the group has no other member).
 */
public final class ServerGroupAffinityFilter implements HostFilter {

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        ServerGroup group = request.serverGroupWith(GroupPolicy.AFFINITY);
        if (group == null || !group.hasMembers() || group.membersOn(host.name()) > 0) {
            return FilterResult.PASS;
        }
        return FilterResult.reject("affinity group " + group.id() + " has no member on the host");
    }
}

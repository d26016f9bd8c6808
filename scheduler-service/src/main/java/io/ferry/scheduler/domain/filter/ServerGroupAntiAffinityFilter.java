package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.request.ServerGroup;

/** Nova's ServerGroupAntiAffinityFilter: no other member of an anti-affinity group on the host. */
public final class ServerGroupAntiAffinityFilter implements HostFilter {

    @Override
    public boolean passes(HostState host, RequestSpec request) {
        ServerGroup group = request.serverGroupWith(GroupPolicy.ANTI_AFFINITY);
        return group == null || group.membersOn(host.name()) == 0;
    }

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        ServerGroup group = request.serverGroupWith(GroupPolicy.ANTI_AFFINITY);
        if (group == null) {
            return FilterResult.PASS;
        }
        int members = group.membersOn(host.name());
        return members == 0 ? FilterResult.PASS
                : FilterResult.reject("anti-affinity group " + group.id() + " has " + members + " member(s) on the host");
    }
}

package io.ferry.scheduler.domain.weigher;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.request.ServerGroup;

/** Nova's ServerGroupSoftAffinityWeigher: raw weight = members of a soft-affinity group on the host. */
public final class ServerGroupSoftAffinityWeigher implements HostWeigher {

    public static final double DEFAULT_MULTIPLIER = 1.0;

    private final double multiplier;

    public ServerGroupSoftAffinityWeigher() {
        this(DEFAULT_MULTIPLIER);
    }

    public ServerGroupSoftAffinityWeigher(double multiplier) {
        this.multiplier = multiplier;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }

    @Override
    public boolean appliesTo(RequestSpec request) {
        return multiplier != 0.0 && request.serverGroupWith(GroupPolicy.SOFT_AFFINITY) != null;
    }

    @Override
    public double weigh(HostState host, RequestSpec request) {
        ServerGroup group = request.serverGroupWith(GroupPolicy.SOFT_AFFINITY);
        return group == null ? 0.0 : group.membersOn(host.name());
    }
}

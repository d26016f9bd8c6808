package io.ferry.scheduler.domain.weigher;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.request.ServerGroup;

/**
 * Nova's ServerGroupSoftAntiAffinityWeigher: raw weight = minus the members of a soft-anti-affinity
 * group on the host, so with the default multiplier 1.0 the emptiest host wins.
 */
public final class ServerGroupSoftAntiAffinityWeigher implements HostWeigher {

    public static final double DEFAULT_MULTIPLIER = 1.0;

    private final double multiplier;

    public ServerGroupSoftAntiAffinityWeigher() {
        this(DEFAULT_MULTIPLIER);
    }

    public ServerGroupSoftAntiAffinityWeigher(double multiplier) {
        this.multiplier = multiplier;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }

    @Override
    public boolean appliesTo(RequestSpec request) {
        return multiplier != 0.0 && request.serverGroupWith(GroupPolicy.SOFT_ANTI_AFFINITY) != null;
    }

    @Override
    public double weigh(HostState host, RequestSpec request) {
        ServerGroup group = request.serverGroupWith(GroupPolicy.SOFT_ANTI_AFFINITY);
        return group == null ? 0.0 : -group.membersOn(host.name());
    }
}

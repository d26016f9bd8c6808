package io.ferry.scheduler.domain.weigher;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.request.ServerGroup;

/**
 * Nova's two server-group weighers in one: {@code ServerGroupSoftAffinityWeigher} (raw weight = the members of the
 * request's soft-affinity group on the host) and {@code ServerGroupSoftAntiAffinityWeigher} (minus that count, so
 * with the default multiplier 1.0 the emptiest host wins). Each keeps Nova's name for its multiplier.
 */
public final class ServerGroupSoftWeigher implements HostWeigher {

    public static final double DEFAULT_MULTIPLIER = 1.0;
    public static final String AFFINITY = "ServerGroupSoftAffinityWeigher";
    public static final String ANTI_AFFINITY = "ServerGroupSoftAntiAffinityWeigher";

    private final GroupPolicy policy;
    private final double multiplier;

    private ServerGroupSoftWeigher(GroupPolicy policy, double multiplier) {
        this.policy = policy;
        this.multiplier = multiplier;
    }

    public static ServerGroupSoftWeigher affinity(double multiplier) {
        return new ServerGroupSoftWeigher(GroupPolicy.SOFT_AFFINITY, multiplier);
    }

    public static ServerGroupSoftWeigher antiAffinity(double multiplier) {
        return new ServerGroupSoftWeigher(GroupPolicy.SOFT_ANTI_AFFINITY, multiplier);
    }

    @Override
    public String name() {
        return policy == GroupPolicy.SOFT_AFFINITY ? AFFINITY : ANTI_AFFINITY;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }

    @Override
    public boolean appliesTo(RequestSpec request) {
        return multiplier != 0.0 && request.serverGroupWith(policy) != null;
    }

    @Override
    public double weigh(HostState host, RequestSpec request) {
        ServerGroup group = request.serverGroupWith(policy);
        if (group == null) {
            return 0.0;
        }
        int members = group.membersOn(host.name());
        return policy == GroupPolicy.SOFT_AFFINITY ? members : -members;
    }
}

package io.ferry.scheduler.domain.weigher;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/** Nova's RAMWeigher: raw weight = free RAM (MB); positive multiplier spreads, negative stacks. Nova's ram_weight_multiplier, default 1.0. */
public final class RAMWeigher implements HostWeigher {

    public static final double DEFAULT_MULTIPLIER = 1.0;

    private final double multiplier;

    public RAMWeigher() {
        this(DEFAULT_MULTIPLIER);
    }

    public RAMWeigher(double multiplier) {
        this.multiplier = multiplier;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }

    @Override
    public double weigh(HostState host, RequestSpec request) {
        return host.freeRamMb();
    }
}

package io.ferry.scheduler.domain.weigher;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/** Nova's CPUWeigher: raw weight = free vCPUs; Nova's cpu_weight_multiplier, default 1.0 (spread). */
public final class CPUWeigher implements HostWeigher {

    public static final double DEFAULT_MULTIPLIER = 1.0;

    private final double multiplier;

    public CPUWeigher() {
        this(DEFAULT_MULTIPLIER);
    }

    public CPUWeigher(double multiplier) {
        this.multiplier = multiplier;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }

    @Override
    public double weigh(HostState host, RequestSpec request) {
        return host.freeVcpus();
    }
}

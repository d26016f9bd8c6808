package io.ferry.scheduler.domain.weigher;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/** Nova's DiskWeigher: raw weight = free disk (GB); Nova's disk_weight_multiplier, default 1.0 (spread). */
public final class DiskWeigher implements HostWeigher {

    public static final double DEFAULT_MULTIPLIER = 1.0;

    private final double multiplier;

    public DiskWeigher() {
        this(DEFAULT_MULTIPLIER);
    }

    public DiskWeigher(double multiplier) {
        this.multiplier = multiplier;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }

    @Override
    public double weigh(HostState host, RequestSpec request) {
        return host.freeDiskGb();
    }
}

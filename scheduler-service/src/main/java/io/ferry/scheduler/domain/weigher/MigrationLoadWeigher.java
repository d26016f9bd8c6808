package io.ferry.scheduler.domain.weigher;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/**
 * Fewer live migrations in or out of a host wins: raw weight = migrations in flight (in + out, open
 * claims counting as incoming), default multiplier −1.0, as Nova's IoOpsWeigher. Avoids piling
 * migration streams onto one NIC. Not a Nova weigher.
 */
public final class MigrationLoadWeigher implements HostWeigher {

    public static final double DEFAULT_MULTIPLIER = -1.0;

    private final double multiplier;

    public MigrationLoadWeigher() {
        this(DEFAULT_MULTIPLIER);
    }

    public MigrationLoadWeigher(double multiplier) {
        this.multiplier = multiplier;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }

    @Override
    public double weigh(HostState host, RequestSpec request) {
        return host.migrations().total();
    }
}

package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/** Nova's RamFilter: free RAM (total × ram_allocation_ratio − reserved − used − claimed) covers the flavor. */
public final class RamFilter implements HostFilter {

    @Override
    public boolean passes(HostState host, RequestSpec request) {
        return host.freeRamMb() >= request.demand().ramMb();
    }

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        long free = host.freeRamMb();
        long wanted = request.demand().ramMb();
        return free >= wanted ? FilterResult.PASS
                : FilterResult.reject("insufficient RAM: " + free + " MB free, " + wanted + " MB requested");
    }
}

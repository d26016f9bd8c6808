package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/**
 * Nova's DiskFilter: free disk covers the flavor's disk. Only block migration copies the disk; on
 * shared storage (or volume-backed) the demand is 0 and every host passes.
 */
public final class DiskFilter implements HostFilter {

    @Override
    public boolean passes(HostState host, RequestSpec request) {
        long wanted = request.demand().diskGb();
        return wanted == 0 || host.freeDiskGb() >= wanted;
    }

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        long wanted = request.demand().diskGb();
        if (wanted == 0) {
            return FilterResult.PASS;
        }
        long free = host.freeDiskGb();
        return free >= wanted ? FilterResult.PASS
                : FilterResult.reject("insufficient disk for block migration: " + free + " GB free, "
                        + wanted + " GB requested");
    }
}

package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/** Nova's CoreFilter: free vCPUs (total × cpu_allocation_ratio − reserved − used − claimed) cover the flavor. */
public final class CoreFilter implements HostFilter {

    @Override
    public boolean passes(HostState host, RequestSpec request) {
        return host.freeVcpus() >= request.demand().vcpus();
    }

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        long free = host.freeVcpus();
        int wanted = request.demand().vcpus();
        return free >= wanted ? FilterResult.PASS
                : FilterResult.reject("insufficient vCPUs: " + free + " free, " + wanted + " requested");
    }
}

package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.NumaFit;
import io.ferry.scheduler.domain.request.RequestSpec;

/**
 * Nova's NUMATopologyFilter: a guest with a NUMA topology (explicit, pinned CPUs or huge pages) needs
 * a distinct host cell with room for each guest cell: free pinned CPUs, memory of the page size. A
 * host with enough RAM in total may still fail here when no single cell has room.
 */
public final class NUMATopologyFilter implements HostFilter {

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        if (!request.hasNumaTopology()) {
            return FilterResult.PASS;
        }
        if (host.numaCells().isEmpty()) {
            return FilterResult.reject("host reports no NUMA topology, guest needs "
                    + request.numaCells().size() + " NUMA cell(s)");
        }
        if (NumaFit.fit(host.numaCells(), request.numaCells()) == null) {
            return FilterResult.reject("no NUMA cell assignment fits the guest's "
                    + request.numaCells().size() + " cell(s) " + request.numaCells());
        }
        return FilterResult.PASS;
    }
}

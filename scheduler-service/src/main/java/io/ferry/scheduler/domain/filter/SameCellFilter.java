package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/**
 * Live migration never crosses cells (Nova cells v2): the destination must be in the source's cell.
 * Nova enforces this by scheduling within the instance's cell; we make it a named filter so that
 * NoValidHost counts show it.
 */
public final class SameCellFilter implements HostFilter {

    @Override
    public boolean passes(HostState host, RequestSpec request) {
        return host.cell().equals(request.sourceCell());
    }

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        return host.cell().equals(request.sourceCell()) ? FilterResult.PASS
                : FilterResult.reject("host is in cell " + host.cell() + ", the instance in "
                        + request.sourceCell() + ": live migration never crosses cells");
    }
}

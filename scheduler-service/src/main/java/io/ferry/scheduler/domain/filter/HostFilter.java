package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/**
 * One scheduling rule, Nova's {@code BaseHostFilter.host_passes} with a reason. Implementations are
 * stateless and thread-safe; a pass returns {@link FilterResult#PASS} and allocates nothing.
 */
public interface HostFilter {

    /** The name used in configuration, rejection counts and metrics (Nova's class name). */
    default String name() {
        return getClass().getSimpleName();
    }

    FilterResult test(HostState host, RequestSpec request);

    /**
     * The verdict without its reason: the engine's per-host fast path, which must allocate nothing.
     * Filters whose rejection reason is costly to format override it with the same check as
     * {@link #test}; the engine asks {@link #test} only for the sample reason it reports.
     */
    default boolean passes(HostState host, RequestSpec request) {
        return test(host, request) instanceof FilterResult.Pass;
    }
}

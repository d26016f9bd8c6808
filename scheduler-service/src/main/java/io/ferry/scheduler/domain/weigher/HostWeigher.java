package io.ferry.scheduler.domain.weigher;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/**
 * Nova's {@code BaseHostWeigher}: a raw weight per host (higher = preferred before the multiplier) and
 * a multiplier from configuration; a negative multiplier turns "more" into "less is better".
 */
public interface HostWeigher {

    default String name() {
        return getClass().getSimpleName();
    }

    double multiplier();

    /** False when this weigher has nothing to say about the request (skipped, no cost per host). */
    default boolean appliesTo(RequestSpec request) {
        return multiplier() != 0.0;
    }

    double weigh(HostState host, RequestSpec request);
}

package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.ServiceState;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Nova's ComputeFilter: the compute service is enabled, not forced down, and up (recent heartbeat). */
public final class ComputeFilter implements HostFilter {

    private final Clock clock;
    private final Duration serviceDownTime;

    public ComputeFilter(Clock clock, Duration serviceDownTime) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serviceDownTime = Objects.requireNonNull(serviceDownTime, "serviceDownTime");
    }

    @Override
    public boolean passes(HostState host, RequestSpec request) {
        ServiceState service = host.service();
        return service.enabled() && !service.forcedDown() && service.isUp(clock.instant(), serviceDownTime);
    }

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        ServiceState service = host.service();
        if (!service.enabled()) {
            return FilterResult.reject("compute service disabled"
                    + (service.disabledReason() == null ? "" : ": " + service.disabledReason()));
        }
        if (service.forcedDown()) {
            return FilterResult.reject("compute service forced down");
        }
        Instant now = clock.instant();
        if (!service.isUp(now, serviceDownTime)) {
            return FilterResult.reject("compute service down: last heartbeat " + service.lastHeartbeat()
                    + " is older than service_down_time " + serviceDownTime.toSeconds() + " s");
        }
        return FilterResult.PASS;
    }
}

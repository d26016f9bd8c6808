package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;

/** Nova's AvailabilityZoneFilter: an instance booted into a zone stays in that zone. */
public final class AvailabilityZoneFilter implements HostFilter {

    @Override
    public boolean passes(HostState host, RequestSpec request) {
        String zone = request.availabilityZoneOrNull();
        return zone == null || zone.equals(host.availabilityZone());
    }

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        String zone = request.availabilityZoneOrNull();
        if (zone == null || zone.equals(host.availabilityZone())) {
            return FilterResult.PASS;
        }
        return FilterResult.reject("host is in zone " + host.availabilityZone() + ", the instance in " + zone);
    }
}

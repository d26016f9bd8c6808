package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.CpuInfo;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.CpuMode;
import io.ferry.scheduler.domain.request.GuestCpu;
import io.ferry.scheduler.domain.request.RequestSpec;

/**
 * The guest's CPU must run on the destination: same architecture and vendor, and the destination's
 * features a superset of the guest CPU's (for host-model the source's model, for custom the
 * configured model such as Westmere); host-passthrough guests only to an identical model with
 * identical features. Nova does this in the libvirt driver's {@code compare_cpu} pre-check
 * ("Unacceptable CPU info: CPU doesn't have compatibility"); we do it while filtering, so an
 * incompatible host is never tried. No Nova filter of this name exists.
 */
public final class CpuCompatibilityFilter implements HostFilter {

    @Override
    public boolean passes(HostState host, RequestSpec request) {
        GuestCpu guest = request.guestCpu();
        CpuInfo cpu = host.cpu();
        if (!cpu.arch().equals(guest.arch()) || !cpu.vendor().equals(guest.vendor())) {
            return false;
        }
        if (guest.mode() == CpuMode.HOST_PASSTHROUGH) {
            return cpu.model().equals(guest.model()) && cpu.features().equals(guest.features());
        }
        return cpu.features().containsAll(guest.features());
    }

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        GuestCpu guest = request.guestCpu();
        CpuInfo cpu = host.cpu();
        if (!cpu.arch().equals(guest.arch())) {
            return FilterResult.reject("CPU architecture " + cpu.arch() + " differs from the guest's " + guest.arch());
        }
        if (!cpu.vendor().equals(guest.vendor())) {
            return FilterResult.reject("CPU vendor " + cpu.vendor() + " differs from the guest's " + guest.vendor());
        }
        if (guest.mode() == CpuMode.HOST_PASSTHROUGH) {
            if (!cpu.model().equals(guest.model()) || !cpu.features().equals(guest.features())) {
                return FilterResult.reject("host-passthrough guest needs CPU model " + guest.model()
                        + " with identical features, host has " + cpu.model());
            }
            return FilterResult.PASS;
        }
        if (!cpu.features().containsAll(guest.features())) {
            return FilterResult.reject("CPU " + cpu.model() + " lacks features of guest CPU " + guest.model()
                    + ": " + cpu.features().missingFrom(guest.features()));
        }
        return FilterResult.PASS;
    }
}

package io.ferry.scheduler.domain.filter;

import static io.ferry.scheduler.domain.Fixtures.ARM_HOST;
import static io.ferry.scheduler.domain.Fixtures.BROADWELL;
import static io.ferry.scheduler.domain.Fixtures.BROADWELL_HOST;
import static io.ferry.scheduler.domain.Fixtures.EPYC_HOST;
import static io.ferry.scheduler.domain.Fixtures.SKYLAKE_HOST;
import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.customWestmere;
import static io.ferry.scheduler.domain.Fixtures.hostModelOf;
import static io.ferry.scheduler.domain.Fixtures.passthroughOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.scheduler.domain.host.CpuInfo;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;
import org.junit.jupiter.api.Test;

class CpuCompatibilityFilterTest {

    private final CpuCompatibilityFilter filter = new CpuCompatibilityFilter();

    @Test
    void refusesAHostModelGuestFromANewerCpuToAnOlderOne() {
        // given the seed's "Unacceptable CPU info: CPU doesn't have compatibility": Skylake guest, Broadwell host
        HostState older = aHost().withCpu(BROADWELL_HOST).build();
        RequestSpec request = aRequest().guestCpu(hostModelOf(SKYLAKE_HOST)).build();
        // when
        FilterResult result = filter.test(older, request);
        // then
        assertThat(result).isInstanceOf(FilterResult.Reject.class);
        assertThat(((FilterResult.Reject) result).reason())
                .contains("Broadwell lacks features of guest CPU Skylake-Server").contains("avx512f");
    }

    @Test
    void allowsAHostModelGuestFromAnOlderCpuToANewerOne() {
        // given
        HostState newer = aHost().withCpu(SKYLAKE_HOST).build();
        // when
        FilterResult result = filter.test(newer, aRequest().guestCpu(hostModelOf(BROADWELL_HOST)).build());
        // then
        assertThat(result.passed()).isTrue();
    }

    @Test
    void allowsACustomWestmereGuestOnAnyHostWithWestmeresFeatures() {
        // given the seed's fix: cpu_mode=custom, cpu_model=Westmere on every hypervisor
        HostState older = aHost().withCpu(BROADWELL_HOST).build();
        // when
        FilterResult result = filter.test(older, aRequest().guestCpu(customWestmere()).build());
        // then
        assertThat(result.passed()).isTrue();
    }

    @Test
    void sendsAHostPassthroughGuestOnlyToAnIdenticalCpu() {
        // given
        RequestSpec request = aRequest().guestCpu(passthroughOf(SKYLAKE_HOST)).build();
        HostState identical = aHost().withCpu(SKYLAKE_HOST).build();
        HostState extraFlag = aHost().withCpu(new CpuInfo("x86_64", "Intel", "Skylake-Server",
                SKYLAKE_HOST.features().with("avx512_vnni"))).build();
        // when / then
        assertThat(filter.test(identical, request).passed()).isTrue();
        assertThat(filter.test(extraFlag, request).passed()).isFalse();
    }

    @Test
    void refusesADifferentVendorOrArchitectureEvenWithEnoughFeatures() {
        // given an EPYC host with all of Broadwell's flags, and an ARM host
        RequestSpec request = aRequest().guestCpu(hostModelOf(BROADWELL_HOST)).build();
        // when
        FilterResult amd = filter.test(aHost().withCpu(EPYC_HOST).build(), request);
        FilterResult arm = filter.test(aHost().withCpu(ARM_HOST).build(), request);
        // then
        assertThat(amd).isEqualTo(new FilterResult.Reject("CPU vendor AMD differs from the guest's Intel"));
        assertThat(arm).isEqualTo(new FilterResult.Reject("CPU architecture aarch64 differs from the guest's x86_64"));
        assertThat(EPYC_HOST.features().containsAll(BROADWELL)).isTrue();
    }
}

package io.ferry.scheduler.domain.filter;

import static io.ferry.scheduler.domain.Fixtures.CLOCK;
import static io.ferry.scheduler.domain.Fixtures.NOW;
import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.scheduler.domain.host.HostState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ComputeFilterTest {

    private final ComputeFilter filter = new ComputeFilter(CLOCK, Duration.ofSeconds(60));

    @Test
    void passesAnEnabledHostWithARecentHeartbeat() {
        // given
        HostState host = aHost().withHeartbeat(NOW.minusSeconds(59)).build();
        // when
        FilterResult result = filter.test(host, aRequest().build());
        // then
        assertThat(result).isEqualTo(FilterResult.PASS);
    }

    @Test
    void skipsAHostDisabledForMaintenanceWithItsReason() {
        // given
        HostState host = aHost().disabled("maintenance: BIOS update").build();
        // when
        FilterResult result = filter.test(host, aRequest().build());
        // then
        assertThat(result).isEqualTo(new FilterResult.Reject("compute service disabled: maintenance: BIOS update"));
    }

    @Test
    void skipsAForcedDownHostEvenWithAFreshHeartbeat() {
        // given
        HostState host = aHost().withHeartbeat(NOW).forcedDown().build();
        // when
        FilterResult result = filter.test(host, aRequest().build());
        // then
        assertThat(result).isInstanceOf(FilterResult.Reject.class);
        assertThat(((FilterResult.Reject) result).reason()).contains("forced down");
    }

    @Test
    void skipsAHostWhoseHeartbeatIsServiceDownTimeOld() {
        // given
        HostState host = aHost().withHeartbeat(NOW.minusSeconds(60)).build();
        // when
        FilterResult result = filter.test(host, aRequest().build());
        // then
        assertThat(result).isInstanceOf(FilterResult.Reject.class);
        assertThat(((FilterResult.Reject) result).reason()).contains("down").contains("60 s");
    }
}

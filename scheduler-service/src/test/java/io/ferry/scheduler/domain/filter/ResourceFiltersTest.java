package io.ferry.scheduler.domain.filter;

import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.flavor;
import static io.ferry.scheduler.domain.Fixtures.gib;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.scheduler.domain.Resources;
import io.ferry.scheduler.domain.host.HostClaims;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RamFilter, CoreFilter, DiskFilter: capacity × ratio − reserved − usage − open claims. */
class ResourceFiltersTest {

    @Test
    void ramLimitIsTotalTimesRatioMinusReservedMinusUsed() {
        // given 16 GiB at ratio 1.5 = 24576 MB, minus 512 reserved, minus 16000 used = 8064 MB free
        HostState host = aHost().withRam(gib(16)).withRamAllocationRatio(1.5)
                .withUsedRam(io.ferry.scheduler.domain.ByteSize.mib(16000)).build();
        // when / then
        assertThat(host.freeRamMb()).isEqualTo(8064);
        assertThat(new RamFilter().test(host, aRequest().flavor(flavor(1, gib(7), 0)).build()).passed()).isTrue();
        assertThat(new RamFilter().test(host, aRequest().flavor(flavor(1, gib(8), 0)).build()))
                .isEqualTo(new FilterResult.Reject("insufficient RAM: 8064 MB free, 8192 MB requested"));
    }

    @Test
    void openClaimsCountAgainstFreeRam() {
        // given a host with exactly 8 GiB free, half of it claimed by another migration
        HostState host = aHost().withFreeRam(gib(8)).build()
                .withClaims(HostClaims.NONE.plus(new Resources(1, 4096, 0), List.of()));
        // when
        FilterResult result = new RamFilter().test(host, aRequest().build());
        // then
        assertThat(result.passed()).isFalse();
    }

    @Test
    void coreFilterUsesTheCpuAllocationRatio() {
        // given 8 cores at Nova's default ratio 4.0 = 32 vCPUs, 30 used
        HostState host = aHost().withVcpus(8).withUsedVcpus(30).build();
        // when
        FilterResult result = new CoreFilter().test(host, aRequest().build());
        // then
        assertThat(result).isEqualTo(new FilterResult.Reject("insufficient vCPUs: 2 free, 4 requested"));
    }

    @Test
    void blockMigrationNeedsFreeDiskOnTheDestination() {
        // given
        HostState host = aHost().withFreeDiskGb(20).build();
        RequestSpec block = aRequest().blockMigration(true).build();
        // when
        FilterResult result = new DiskFilter().test(host, block);
        // then
        assertThat(result).isEqualTo(new FilterResult.Reject(
                "insufficient disk for block migration: 20 GB free, 40 GB requested"));
    }

    @Test
    void sharedStorageMigrationIgnoresDestinationDisk() {
        // given
        HostState host = aHost().withFreeDiskGb(0).build();
        RequestSpec shared = aRequest().blockMigration(false).build();
        // when
        FilterResult result = new DiskFilter().test(host, shared);
        // then
        assertThat(result.passed()).isTrue();
        assertThat(shared.demand().diskGb()).isZero();
    }
}

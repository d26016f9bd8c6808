package io.ferry.scheduler.domain.filter;

import static io.ferry.scheduler.domain.Fixtures.aHost;
import static io.ferry.scheduler.domain.Fixtures.aRequest;
import static io.ferry.scheduler.domain.Fixtures.flavor;
import static io.ferry.scheduler.domain.Fixtures.gib;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.HugePages;
import io.ferry.scheduler.domain.host.NumaCell;
import io.ferry.scheduler.domain.request.GuestNumaCell;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class NUMATopologyFilterTest {

    private final NUMATopologyFilter filter = new NUMATopologyFilter();

    private static NumaCell cell(int id, int cpus, int pinned, long memMb, long usedMb) {
        return new NumaCell(id, cpus, pinned, memMb, usedMb, List.of());
    }

    @Test
    void refusesWhenNoSingleCellHasRoomThoughTheHostHasEnoughInTotal() {
        // given two cells with 6 GiB free each: 12 GiB on the host, but the guest's one cell needs 8
        HostState host = aHost().withFreeRam(gib(64))
                .withNumaCell(cell(0, 16, 0, 32768, 26624))
                .withNumaCell(cell(1, 16, 0, 32768, 26624)).build();
        RequestSpec request = aRequest().flavor(flavor(4, gib(8), 0))
                .addNumaCell(new GuestNumaCell(4, 8192, true, 0)).build();
        // when
        FilterResult result = filter.test(host, request);
        // then
        assertThat(host.freeRamMb()).isGreaterThan(8192);
        assertThat(result.passed()).isFalse();
        assertThat(((FilterResult.Reject) result).reason()).contains("no NUMA cell assignment fits");
    }

    @Test
    void placesEachGuestCellOnADistinctHostCellWithFreePinnedCpus() {
        // given cell 0 has only 2 free pCPUs, cell 1 has 8
        HostState host = aHost().withNumaCell(cell(0, 16, 14, 65536, 0)).withNumaCell(cell(1, 16, 8, 65536, 0)).build();
        RequestSpec oneCell = aRequest().addNumaCell(new GuestNumaCell(4, 4096, true, 0)).build();
        RequestSpec twoCells = aRequest().addNumaCell(new GuestNumaCell(4, 4096, true, 0))
                .addNumaCell(new GuestNumaCell(4, 4096, true, 0)).build();
        // when / then
        assertThat(filter.test(host, oneCell).passed()).isTrue();
        assertThat(filter.test(host, twoCells).passed()).isFalse();
    }

    @Test
    void needsFreeHugePagesOfTheRequestedSize() {
        // given 1 GiB pages: 4 free on cell 0; no 2 MiB pool
        HostState host = aHost().withNumaCell(new NumaCell(0, 16, 0, 65536, 0,
                List.of(new HugePages(1048576, 8, 4)))).build();
        // when
        FilterResult fits = filter.test(host, aRequest().addNumaCell(new GuestNumaCell(2, 4096, false, 1048576)).build());
        FilterResult tooBig = filter.test(host, aRequest().addNumaCell(new GuestNumaCell(2, 5120, false, 1048576)).build());
        FilterResult wrongSize = filter.test(host, aRequest().addNumaCell(new GuestNumaCell(2, 1024, false, 2048)).build());
        // then
        assertThat(fits.passed()).isTrue();
        assertThat(tooBig.passed()).isFalse();
        assertThat(wrongSize.passed()).isFalse();
    }

    @Test
    void passesGuestsWithoutNumaTopologyOnAnyHost() {
        // given
        HostState noNuma = aHost().build();
        // when / then
        assertThat(filter.test(noNuma, aRequest().build())).isEqualTo(FilterResult.PASS);
    }
}

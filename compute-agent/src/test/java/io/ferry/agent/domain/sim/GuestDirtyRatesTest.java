package io.ferry.agent.domain.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The dirty rates a simulated host reports: calc-dirty-rate over its guests' workload models. */
class GuestDirtyRatesTest {

    private static final double MIB = 1024 * 1024;
    private static final Workload DATABASE = WorkloadProfiles.named(WorkloadProfiles.DATABASE);
    private static final Workload BURSTY = WorkloadProfiles.named(WorkloadProfiles.BURSTY);

    @Test
    void measuresTheGuestsDirtyRateInWholeMibPerSecond() {
        // given a database guest (600 MB/s over a 6 GiB working set)
        GuestDirtyRates rates = new GuestDirtyRates(Duration.ofSeconds(30), GuestDirtyRates.DEFAULT_PERIOD);

        // when
        DirtyRateCalc calc = rates.measured("db-1", DATABASE, ByteSize.gib(8), Duration.ofSeconds(40));

        // then: floor(600e6 / 2^20) MiB/s, over the 5 s that just ended
        assertThat(calc.status()).isEqualTo(DirtyRateCalc.Status.MEASURED);
        assertThat(calc.rate().bytesPerSecond()).isEqualTo(Math.floor(600e6 / MIB) * MIB);
        assertThat(calc.startedAt()).isEqualTo(Duration.ofSeconds(35));
        assertThat(calc.period()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBurstyGuestMeasuredOverItsCycleShowsItsAverageWhateverThePhase() {
        // given the bursty profile: 900 MB/s for 2 s, then 20 MB/s for 3 s (372 MB/s on average)
        GuestDirtyRates rates = new GuestDirtyRates(Duration.ofSeconds(30), GuestDirtyRates.DEFAULT_PERIOD);

        // when measured at different phases of its cycle
        double atBurst = rates.measured("a", BURSTY, ByteSize.gib(4), Duration.ofMillis(12_000)).rate().bytesPerSecond();
        double atLull = rates.measured("b", BURSTY, ByteSize.gib(4), Duration.ofMillis(14_500)).rate().bytesPerSecond();

        // then
        assertThat(atBurst).isEqualTo(Math.floor(372e6 / MIB) * MIB).isEqualTo(atLull);
    }

    @Test
    void reportsTheLastResultUntilTheIntervalHasPassedThenMeasuresAgain() {
        // given measurements over 1 s, at most every 30 s, of the bursty guest
        GuestDirtyRates rates = new GuestDirtyRates(Duration.ofSeconds(30), Duration.ofSeconds(1));

        // when it is asked in a burst (1 s), in a lull 3 s later, then in a lull 33 s later
        DirtyRateCalc first = rates.measured("bursty-1", BURSTY, ByteSize.gib(4), Duration.ofSeconds(2));
        DirtyRateCalc soonAfter = rates.measured("bursty-1", BURSTY, ByteSize.gib(4), Duration.ofSeconds(5));
        DirtyRateCalc later = rates.measured("bursty-1", BURSTY, ByteSize.gib(4), Duration.ofSeconds(35));

        // then the burst's figure stays reported until 30 s after it started, then the lull's is measured
        assertThat(first.rate().bytesPerSecond()).isEqualTo(Math.floor(900e6 / MIB) * MIB);
        assertThat(soonAfter).isEqualTo(first);
        assertThat(later.startedAt()).isEqualTo(Duration.ofSeconds(34));
        assertThat(later.rate().bytesPerSecond()).isEqualTo(Math.floor(20e6 / MIB) * MIB);
    }

    @Test
    void aWorkingSetSmallerThanRateTimesPeriodSaturatesTheMeasurement() {
        // given a guest writing 1,000 MB/s over a hot set of 256 MiB
        Workload hot = Workload.constant(Bandwidth.mbPerSecond(1000), ByteSize.mib(256), 2);

        // when measured over 5 s
        DirtyRateCalc calc = DirtyRateCalc.measured(hot, ByteSize.gib(16), Duration.ZERO, Duration.ofSeconds(5));

        // then QEMU's count of distinct pages: 256 MiB / 5 s
        assertThat(calc.rate().bytesPerSecond()).isEqualTo(Math.floor(256.0 / 5) * MIB);
    }
}

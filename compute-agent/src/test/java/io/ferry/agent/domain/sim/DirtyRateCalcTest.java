package io.ferry.agent.domain.sim;

import static io.ferry.agent.domain.sim.Fixtures.aFabric;
import static io.ferry.agent.domain.sim.Fixtures.aGuest;
import static io.ferry.agent.domain.sim.Fixtures.migrate;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** calc-dirty-rate on the simulator: what the guest dirties in the period, saturating at its working set. */
class DirtyRateCalcTest {

    private static final double MIB = 1024 * 1024;

    @Test
    void measuresTheGuestsDirtyRateInWholeMibPerSecondWhileTheFirstPassRuns() {
        // given a 32 GiB guest dirtying 1,500 MB/s over a 4 GiB working set: its first pass lasts ~27 s
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(aGuest(ByteSize.gib(32), WorkloadProfiles.named(WorkloadProfiles.MEMORY_STRESS))));

        // when
        assertThat(hv.startDirtyRateCalc(job, Duration.ofSeconds(1))).isEqualTo(CommandResult.ACCEPTED);
        hv.advanceTo(Duration.ofMillis(500));
        DirtyRateCalc measuring = hv.dirtyRate(job).orElseThrow();
        hv.advanceTo(Duration.ofMillis(1000));
        DirtyRateCalc measured = hv.dirtyRate(job).orElseThrow();

        // then: measuring until the period has passed, then floor(1.5e9 / 2^20) MiB/s, long before the pass ends
        assertThat(measuring.status()).isEqualTo(DirtyRateCalc.Status.MEASURING);
        assertThat(measuring.rate()).isEqualTo(Bandwidth.ZERO);
        assertThat(measured.status()).isEqualTo(DirtyRateCalc.Status.MEASURED);
        assertThat(measured.rate().bytesPerSecond()).isEqualTo(Math.floor(1.5e9 / MIB) * MIB);
        assertThat(measured.startedAt()).isEqualTo(Duration.ZERO);
        assertThat(measured.period()).isEqualTo(Duration.ofSeconds(1));
        assertThat(hv.stats(job).orElseThrow().iteration()).isEqualTo(1);
        assertThat(hv.stats(job).orElseThrow().dirtyRate()).isEqualTo(Bandwidth.ZERO);
    }

    @Test
    void aHotSetSmallerThanRateTimesPeriodSaturates() {
        // given a guest writing 1,000 MB/s over a hot set of only 256 MiB
        SimulatedHypervisor hv = aFabric();
        Workload hot = Workload.constant(Bandwidth.mbPerSecond(1000), ByteSize.mib(256), 2);
        JobId job = hv.start(migrate(aGuest(ByteSize.gib(64), hot)));

        // when it is measured over 2 s
        hv.startDirtyRateCalc(job, Duration.ofSeconds(2));
        hv.advanceTo(Duration.ofSeconds(2));

        // then only the 256 MiB it can dirty count: 128 MiB/s, not 1,000 MB/s
        assertThat(hv.dirtyRate(job).orElseThrow().rate()).isEqualTo(Bandwidth.mibPerSecond(128));
    }

    @Test
    void aLongerPeriodAveragesABurstyGuest() {
        // given the bursty profile: 900 MB/s for 2 s, 20 MB/s for 3 s (working set 2 GiB)
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(aGuest(ByteSize.gib(64), WorkloadProfiles.named(WorkloadProfiles.BURSTY))));

        // when measured over the first second, then over the next five
        hv.startDirtyRateCalc(job, Duration.ofSeconds(1));
        hv.advanceTo(Duration.ofSeconds(1));
        Bandwidth burst = hv.dirtyRate(job).orElseThrow().rate();
        hv.startDirtyRateCalc(job, Duration.ofSeconds(5));
        hv.advanceTo(Duration.ofSeconds(6));
        Bandwidth cycle = hv.dirtyRate(job).orElseThrow().rate();

        // then the burst alone, then a whole cycle's distinct bytes (1.86 GB, under the 2 GiB set) over 5 s
        assertThat(burst).isEqualTo(Bandwidth.mibPerSecond(Math.floor(900e6 / MIB)));
        assertThat(cycle).isEqualTo(Bandwidth.mibPerSecond(Math.floor((900e6 * 2 + 20e6 * 3) / 5 / MIB)));
    }

    @Test
    void theAutoConvergeThrottleSlowsWhatItMeasures() {
        // given the memory-stress guest (1,500 MB/s over 4 GiB) with auto-converge, run until it is throttled
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(aGuest(ByteSize.gib(32), WorkloadProfiles.named(WorkloadProfiles.MEMORY_STRESS)),
                MigrationSettings.defaults().withAutoConverge(true)));
        long second = 0;
        while (hv.stats(job).orElseThrow().cpuThrottle() == 0 && second < 120) {
            hv.advanceTo(Duration.ofSeconds(++second));
        }
        double throttle = hv.stats(job).orElseThrow().cpuThrottle();
        assertThat(throttle).isGreaterThan(0);

        // when
        hv.startDirtyRateCalc(job, Duration.ofSeconds(1));
        hv.advanceTo(Duration.ofSeconds(second + 1));

        // then it sees the throttled guest: (1 - p) x 1,500 MB/s
        assertThat(hv.stats(job).orElseThrow().cpuThrottle()).isEqualTo(throttle);
        assertThat(hv.dirtyRate(job).orElseThrow().rate())
                .isEqualTo(Bandwidth.mibPerSecond(Math.floor(1500e6 * (1 - throttle) / MIB)));
    }

    @Test
    void refusesASecondMeasurementWhileOneRunsAndPeriodsQemuRejects() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(aGuest(ByteSize.gib(8), Bandwidth.mbPerSecond(100))));
        hv.startDirtyRateCalc(job, Duration.ofSeconds(3));

        // when / then
        assertThat(hv.startDirtyRateCalc(job, Duration.ofSeconds(1))).isInstanceOf(CommandResult.Refused.class);
        assertThat(hv.startDirtyRateCalc(job, Duration.ofMillis(500))).isInstanceOf(CommandResult.Refused.class);
        assertThat(hv.startDirtyRateCalc(job, Duration.ofSeconds(61))).isInstanceOf(CommandResult.Refused.class);
        hv.advanceTo(Duration.ofSeconds(3));
        assertThat(hv.startDirtyRateCalc(job, Duration.ofSeconds(1))).isEqualTo(CommandResult.ACCEPTED);
        assertThat(hv.dirtyRate(new JobId(99))).isEmpty();
    }

    @Test
    void aPausedGuestDirtiesNothing() {
        // given a guest paused to force completion (stop-and-copy of a 64 GiB guest takes many seconds)
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(aGuest(ByteSize.gib(64), Bandwidth.mbPerSecond(500))));
        hv.advanceTo(Duration.ofSeconds(1));
        hv.startDirtyRateCalc(job, Duration.ofSeconds(2));
        hv.advanceTo(Duration.ofSeconds(2));
        hv.forceComplete(job);

        // when
        hv.advanceTo(Duration.ofSeconds(3));

        // then only the second it ran counts: 500 MB over 2 s
        assertThat(hv.dirtyRate(job).orElseThrow().rate()).isEqualTo(Bandwidth.mibPerSecond(Math.floor(250e6 / MIB)));
    }
}

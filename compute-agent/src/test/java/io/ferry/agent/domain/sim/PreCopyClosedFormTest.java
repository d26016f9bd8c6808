package io.ferry.agent.domain.sim;

import static io.ferry.agent.domain.sim.Fixtures.TEN_GBIT;
import static io.ferry.agent.domain.sim.Fixtures.aFabric;
import static io.ferry.agent.domain.sim.Fixtures.aGuest;
import static io.ferry.agent.domain.sim.Fixtures.completed;
import static io.ferry.agent.domain.sim.Fixtures.migrate;
import static io.ferry.agent.domain.sim.Fixtures.onlyEnded;
import static io.ferry.agent.domain.sim.Fixtures.roundBytes;
import static io.ferry.agent.domain.sim.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreCopyClosedFormTest {

    private static final Duration LIMIT = MigrationSettings.DEFAULT_MAX_DOWNTIME;
    private static final Duration SWITCHOVER = MigrationSettings.DEFAULT_SWITCHOVER_COST;

    @ParameterizedTest(name = "D = {0} MB/s")
    @ValueSource(doubles = {100, 400, 600, 1000, 1200})
    void roundISendsFirstRoundTimesDirtyRatioToTheI(double dirtyMb) {
        // given
        Bandwidth d = Bandwidth.mbPerSecond(dirtyMb);
        Guest guest = aGuest(ByteSize.gib(8), d);
        SimulatedHypervisor hv = aFabric();

        // when
        JobId job = hv.start(migrate(guest));
        hv.runUntilIdle(Duration.ofHours(1));

        // then
        List<Long> rounds = roundBytes(hv, job);
        assertThat(rounds).isNotEmpty();
        for (int i = 0; i < rounds.size(); i++) {
            double expected = PreCopyClosedForm.roundBytes(guest.firstRoundBytes(), TEN_GBIT, d, i);
            assertThat((double) rounds.get(i)).as("round %d", i).isCloseTo(expected, withinPercentage(1));
        }
    }

    @ParameterizedTest(name = "D = {0} MB/s")
    @ValueSource(doubles = {0, 1, 100, 600, 1000, 1200})
    void roundsDowntimeAndTotalsMatchTheClosedForm(double dirtyMb) {
        // given
        Bandwidth d = Bandwidth.mbPerSecond(dirtyMb);
        Guest guest = aGuest(ByteSize.gib(8), d);
        PreCopyClosedForm predicted = PreCopyClosedForm.predict(guest.firstRoundBytes(), TEN_GBIT, d, LIMIT, SWITCHOVER)
                .orElseThrow();
        SimulatedHypervisor hv = aFabric();

        // when
        hv.start(migrate(guest));
        hv.runUntilIdle(Duration.ofHours(1));

        // then
        Outcome.Completed done = completed(onlyEnded(hv));
        assertThat(done.iterations()).isEqualTo(predicted.iterations());
        assertThat(seconds(done.downtime())).isCloseTo(seconds(predicted.downtime()), withinPercentage(1));
        assertThat(seconds(done.totalTime())).isCloseTo(seconds(predicted.totalTime()), withinPercentage(1));
        assertThat((double) done.dataSent().bytes()).isCloseTo(predicted.bytesSent(), withinPercentage(1));
    }

    @Test
    void liveRoundsIsTheCeilingOfLogOfThresholdOverFirstRoundOverLogOfRatio() {
        // given: 8 GiB, B = 1.25 GB/s, L = 300 ms, D = 600 MB/s
        double m = ByteSize.gib(8).bytes();
        double threshold = 1.25e9 * 0.3;
        double r = 600.0 / 1250;

        // when
        int k = PreCopyClosedForm.liveRounds(m, threshold, r);

        // then: x = log(BL/M')/log(r) = 4.27, so k = 5, and k is the first round count below B L
        double x = Math.log(threshold / m) / Math.log(r);
        assertThat(k).isEqualTo((int) Math.ceil(x)).isEqualTo(5);
        assertThat(m * Math.pow(r, k)).isLessThan(threshold);
        assertThat(m * Math.pow(r, k - 1)).isGreaterThanOrEqualTo(threshold);
    }

    @RepeatedTest(40)
    void simulatorMatchesTheClosedFormForRandomConvergingInputs(RepetitionInfo repetition) {
        long seed = 0x5EED_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        // given
        ByteSize ram = ByteSize.mib(random.nextLong(512, 64 * 1024));
        double z = random.nextDouble(0, 0.6);
        Bandwidth b = Bandwidth.gbitPerSecond(random.nextDouble(1, 40));
        Bandwidth d = b.times(random.nextDouble(0.01, 0.9));
        Duration limit = Duration.ofMillis(random.nextLong(20, 1000));
        Guest guest = Guest.of("vm", ram, z, Workload.uncapped(d));
        double x = Math.log(b.bytesPerSecond() * Seconds.of(limit) / guest.firstRoundBytes())
                / Math.log(d.bytesPerSecond() / b.bytesPerSecond());
        if (Math.abs(x - Math.rint(x)) < 1e-6) {
            return; // on the boundary either side is right
        }
        PreCopyClosedForm predicted = PreCopyClosedForm.predict(guest.firstRoundBytes(), b, d, limit, SWITCHOVER)
                .orElseThrow();
        SimulatedHypervisor hv = new SimulatedHypervisor(SimulationSettings.defaults().withSetupTime(Duration.ZERO));
        hv.addHost(new HostSpec(HostName.of("src"), b, ByteSize.gib(256), Bandwidth.ZERO));
        hv.addHost(new HostSpec(HostName.of("dst"), b, ByteSize.gib(256), Bandwidth.ZERO));

        // when
        hv.start(migrate(guest, MigrationSettings.defaults().withMaxDowntime(limit)));
        hv.runUntilIdle(Duration.ofHours(10));

        // then
        Outcome.Completed done = completed(onlyEnded(hv));
        String inputs = "seed " + seed + ": M=" + ram + " z=" + z + " B=" + b + " D=" + d + " L=" + limit;
        assertThat(done.iterations()).as(inputs).isEqualTo(predicted.iterations());
        assertThat(seconds(done.downtime())).as(inputs).isCloseTo(seconds(predicted.downtime()), withinPercentage(1));
        assertThat(seconds(done.totalTime())).as(inputs).isCloseTo(seconds(predicted.totalTime()), withinPercentage(1));
    }

    @ParameterizedTest(name = "D = {0} MB/s")
    @ValueSource(doubles = {50, 100, 200})
    void totalTimeApproachesFirstRoundOverBandwidthMinusDirtyRate(double dirtyMb) {
        // given
        Bandwidth d = Bandwidth.mbPerSecond(dirtyMb);
        Guest guest = aGuest(ByteSize.gib(16), d);
        SimulatedHypervisor hv = aFabric();

        // when
        hv.start(migrate(guest, MigrationSettings.defaults().withSwitchoverCost(Duration.ZERO)));
        hv.runUntilIdle(Duration.ofHours(1));

        // then: the geometric series stops after k + 1 terms, r^(k+1) short of M'/(B - D)
        Outcome.Completed done = completed(onlyEnded(hv));
        double limit = guest.firstRoundBytes() / (TEN_GBIT.bytesPerSecond() - d.bytesPerSecond());
        double r = d.bytesPerSecond() / TEN_GBIT.bytesPerSecond();
        double shortfall = Math.pow(r, done.iterations()); // r^(k+1)
        assertThat(seconds(done.totalTime())).isLessThanOrEqualTo(limit * 1.000001);
        assertThat(seconds(done.totalTime())).isCloseTo(limit * (1 - shortfall), within(limit * 1e-6));
        assertThat(seconds(done.totalTime())).isCloseTo(limit, withinPercentage(1));
    }

    @ParameterizedTest(name = "D = {0} x B")
    @ValueSource(doubles = {1.0, 1.04, 2.0})
    void dirtyRateAtOrAboveBandwidthNeverConvergesWithoutHelp(double ratio) {
        // given
        Bandwidth d = TEN_GBIT.times(ratio);
        Guest guest = aGuest(ByteSize.gib(8), d);
        SimulatedHypervisor hv = aFabric();

        // when
        JobId job = hv.start(migrate(guest));
        boolean ended = hv.runUntilIdle(Duration.ofMinutes(30));

        // then
        assertThat(ended).isFalse();
        assertThat(PreCopyClosedForm.predict(guest.firstRoundBytes(), TEN_GBIT, d, LIMIT, SWITCHOVER)).isEmpty();
        JobStats stats = hv.stats(job).orElseThrow();
        assertThat(stats.phase()).isEqualTo(Phase.PRE_COPY);
        assertThat(stats.memoryRemaining().bytes()).isGreaterThan((long) (TEN_GBIT.bytesPerSecond() * 0.3));
    }
}

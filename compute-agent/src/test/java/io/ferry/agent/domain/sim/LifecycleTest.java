package io.ferry.agent.domain.sim;

import static io.ferry.agent.domain.sim.Fixtures.TEN_GBIT;
import static io.ferry.agent.domain.sim.Fixtures.aFabric;
import static io.ferry.agent.domain.sim.Fixtures.aGuest;
import static io.ferry.agent.domain.sim.Fixtures.completed;
import static io.ferry.agent.domain.sim.Fixtures.migrate;
import static io.ferry.agent.domain.sim.Fixtures.onlyEnded;
import static io.ferry.agent.domain.sim.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private static final Guest STRESSED = aGuest(ByteSize.gib(8),
            Workload.constant(Bandwidth.gbPerSecond(1.5), ByteSize.gib(4), 4));

    @Test
    void jobGoesThroughSetupPreCopyPausedAndCompleted() {
        // given
        SimulatedHypervisor hv = aFabric(SimulationSettings.defaults());
        JobId job = hv.start(migrate(aGuest(ByteSize.gib(2), Bandwidth.mbPerSecond(50))));

        // when
        JobStats setup = hv.stats(job).orElseThrow();
        hv.advanceTo(Duration.ofSeconds(1));
        JobStats copying = hv.stats(job).orElseThrow();
        hv.runUntilIdle(Duration.ofMinutes(1));

        // then
        assertThat(setup.phase()).isEqualTo(Phase.SETUP);
        assertThat(copying.phase()).isEqualTo(Phase.PRE_COPY);
        assertThat(copying.setupTime()).isEqualTo(Duration.ofMillis(200));
        assertThat(copying.iteration()).isEqualTo(1);
        assertThat(copying.expectedDowntime()).isPresent();
        EndedJob ended = onlyEnded(hv);
        assertThat(ended.finalStats().phase()).isEqualTo(Phase.COMPLETED);
        assertThat(ended.finalStats().memoryRemaining()).isEqualTo(ByteSize.ZERO);
        assertThat(ended.finalStats().actualDowntime()).isPresent();
        assertThat(hv.trace()).extracting(TraceEvent::detail).filteredOn(d -> d.contains("->"))
                .containsSubsequence("SETUP->PRE_COPY (PRECOPY)", "PRE_COPY->PAUSED (STOP_COPY)",
                        "PAUSED->PAUSED (SWITCHOVER)");
    }

    @Test
    void abortLeavesTheGuestOnTheSourceAndReleasesTheDestinationMemory() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(STRESSED));
        hv.advanceTo(Duration.ofSeconds(5));

        // when
        CommandResult result = hv.abort(job);

        // then
        assertThat(result).isEqualTo(CommandResult.ACCEPTED);
        EndedJob ended = onlyEnded(hv);
        assertThat(ended.outcome()).isEqualTo(new Outcome.Cancelled("aborted on request"));
        assertThat(ended.finalStats().phase()).isEqualTo(Phase.CANCELLED);
        assertThat(hv.stats(job)).isEmpty();
        // the destination can take an 8 GiB guest again, 256 GiB free as before
        hv.start(migrate(aGuest(ByteSize.gib(256), Bandwidth.ZERO)));
        hv.advanceTo(Duration.ofSeconds(6));
        assertThat(hv.drainEnded()).isEmpty();
    }

    @Test
    void forceCompletePausesAndSendsTheRestWhenPostCopyIsNotPermitted() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(STRESSED));
        hv.advanceTo(Duration.ofSeconds(20));
        double pending = hv.stats(job).orElseThrow().memoryRemaining().bytes();

        // when
        hv.forceComplete(job);
        hv.runUntilIdle(Duration.ofMinutes(1));

        // then: downtime = pending / B + switchover
        Outcome.Completed done = completed(onlyEnded(hv));
        assertThat(done.viaPostCopy()).isFalse();
        assertThat(seconds(done.downtime())).isCloseTo(pending / TEN_GBIT.bytesPerSecond() + 0.03, withinPercentage(0.5));
    }

    @Test
    void raisingTheDowntimeLimitAtRunTimeLetsAStuckMigrationConverge() {
        // given: pending stays at W = 4 GiB, far above B x 300 ms
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(STRESSED));
        hv.advanceTo(Duration.ofSeconds(30));
        assertThat(hv.drainEnded()).isEmpty();

        // when: 4 s x 1.25 GB/s = 5 GB > 4 GiB
        hv.setMaxDowntime(job, Duration.ofSeconds(4));
        hv.runUntilIdle(Duration.ofMinutes(1));

        // then
        Outcome.Completed done = completed(onlyEnded(hv));
        assertThat(done.downtime()).isLessThan(Duration.ofSeconds(4)).isGreaterThan(Duration.ofSeconds(3));
    }

    @Test
    void blockMigrationMirrorsDisksFirstAndCountsThemInTheTotals() {
        // given: 20 GB disk written at 50 MB/s, 4 GiB guest
        Guest guest = aGuest(ByteSize.gib(4), Bandwidth.mbPerSecond(10)).withDisk(ByteSize.gb(20), Bandwidth.mbPerSecond(50));
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(guest, MigrationSettings.defaults().withBlockMigration(true)));

        // when
        hv.advanceTo(Duration.ofSeconds(10));
        JobStats mirroring = hv.stats(job).orElseThrow();
        hv.runUntilIdle(Duration.ofMinutes(5));

        // then: the mirror needs 20 GB / (1,250 - 50) MB/s = 16.7 s before memory starts
        assertThat(mirroring.phase()).isEqualTo(Phase.PRE_COPY);
        assertThat(mirroring.memoryProcessed()).isEqualTo(ByteSize.ZERO);
        assertThat(mirroring.diskProcessed().bytes()).isCloseTo(12_500_000_000L, withinPercentage(0.01));
        assertThat(mirroring.dataTotal()).isEqualTo(ByteSize.gib(4).plus(ByteSize.gb(20)));
        EndedJob ended = onlyEnded(hv);
        assertThat(ended.finalStats().diskRemaining()).isEqualTo(ByteSize.ZERO);
        assertThat(ended.finalStats().dataProcessed().bytes()).isGreaterThan(ByteSize.gb(20).plus(ByteSize.gib(4)).bytes());
        assertThat(seconds(completed(ended).totalTime())).isGreaterThan(20.0 / 1.2 + 4 * 1.0737 / 1.25);
    }

    @Test
    void zeroPagesCostOnlyAHeader() {
        // given: half of an idle 8 GiB guest is zero pages
        Guest guest = Guest.of("vm", ByteSize.gib(8), 0.5, Workload.constant(Bandwidth.ZERO, ByteSize.ZERO, 0));
        SimulatedHypervisor hv = aFabric();

        // when
        hv.start(migrate(guest));
        hv.runUntilIdle(Duration.ofMinutes(1));

        // then: 4 GiB of data plus 9 bytes for each of the 1 Mi zero pages
        assertThat(completed(onlyEnded(hv)).dataSent().bytes()).isEqualTo(ByteSize.gib(4).bytes() + 9L * 1024 * 1024);
    }

    @Test
    void commandsOnAnUnknownOrEndedJobAreRefused() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(aGuest(ByteSize.gib(1), Bandwidth.ZERO)));
        hv.runUntilIdle(Duration.ofMinutes(1));

        // when
        CommandResult beforeDrain = hv.abort(job);
        hv.drainEnded();
        CommandResult afterDrain = hv.abort(job);

        // then
        assertThat(beforeDrain).isInstanceOf(CommandResult.Refused.class);
        assertThat(afterDrain).isEqualTo(CommandResult.refused("no job job-1"));
    }
}

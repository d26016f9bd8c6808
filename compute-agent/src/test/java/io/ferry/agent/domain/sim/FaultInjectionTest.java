package io.ferry.agent.domain.sim;

import static io.ferry.agent.domain.sim.Fixtures.DST;
import static io.ferry.agent.domain.sim.Fixtures.SRC;
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

class FaultInjectionTest {

    private static final Guest QUIET = aGuest(ByteSize.gib(8), Bandwidth.ZERO);

    @Test
    void aShortLinkOutageDelaysPreCopyByItsLength() {
        // given: an idle 8 GiB guest needs 6.87 s at 10 Gbit/s
        SimulatedHypervisor hv = aFabric();
        hv.start(migrate(QUIET, MigrationSettings.defaults().withSwitchoverCost(Duration.ZERO)));

        // when
        hv.inject(new Fault.LinkDown(SRC, Duration.ofSeconds(2), Duration.ofSeconds(3)));
        hv.runUntilIdle(Duration.ofMinutes(1));

        // then
        Outcome.Completed done = completed(onlyEnded(hv));
        assertThat(seconds(done.totalTime())).isCloseTo(ByteSize.gib(8).bytes() / 1.25e9 + 3, withinPercentage(0.01));
    }

    @Test
    void aLinkOutageLongerThanTheTimeoutFailsPreCopyAndKeepsTheGuestOnTheSource() {
        // given
        SimulatedHypervisor hv = aFabric(SimulationSettings.defaults().withSetupTime(Duration.ZERO)
                .withLinkTimeout(Duration.ofSeconds(5)));
        hv.start(migrate(QUIET));

        // when
        hv.inject(new Fault.LinkDown(DST, Duration.ofSeconds(1), Duration.ofSeconds(30)));
        hv.advanceTo(Duration.ofSeconds(10));

        // then
        EndedJob ended = onlyEnded(hv);
        assertThat(ended.outcome()).isEqualTo(new Outcome.Failed("migration stream timed out: link down"));
        assertThat(ended.finalStats().at()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void aBandwidthDropSlowsTheStreamFromItsTime() {
        // given
        SimulatedHypervisor hv = aFabric();
        JobId job = hv.start(migrate(QUIET));

        // when
        hv.inject(new Fault.BandwidthChange(DST, Duration.ofSeconds(2), Bandwidth.gbitPerSecond(1)));
        hv.advanceTo(Duration.ofSeconds(3));

        // then
        JobStats stats = hv.stats(job).orElseThrow();
        assertThat(stats.bandwidth().bytesPerSecond()).isEqualTo(125e6);
        assertThat(stats.memoryProcessed().bytes()).isCloseTo((long) (2 * 1.25e9 + 125e6), withinPercentage(0.001));
    }

    @Test
    void destinationCrashDuringPreCopyFailsTheMigrationButNotTheGuest() {
        // given
        SimulatedHypervisor hv = aFabric();
        hv.start(migrate(QUIET));

        // when
        hv.inject(new Fault.HostCrash(DST, Duration.ofSeconds(2)));
        hv.advanceTo(Duration.ofSeconds(3));

        // then
        assertThat(onlyEnded(hv).outcome()).isInstanceOf(Outcome.Failed.class);
    }

    @Test
    void sourceCrashLosesTheGuestWhateverThePhase() {
        // given
        SimulatedHypervisor hv = aFabric();
        hv.start(migrate(QUIET));

        // when
        hv.inject(new Fault.HostCrash(SRC, Duration.ofSeconds(2)));
        hv.advanceTo(Duration.ofSeconds(3));

        // then
        assertThat(onlyEnded(hv).outcome()).isEqualTo(new Outcome.GuestLost("source host src crashed"));
    }

    @Test
    void aDestinationWithoutMemoryRefusesAtTheEndOfSetup() {
        // given
        SimulatedHypervisor hv = new SimulatedHypervisor(SimulationSettings.defaults());
        hv.addHost(HostSpec.of("src", Fixtures.TEN_GBIT, ByteSize.gib(64)));
        hv.addHost(HostSpec.of("dst", Fixtures.TEN_GBIT, ByteSize.gib(4)));

        // when
        hv.start(migrate(QUIET));
        hv.advanceTo(Duration.ofSeconds(1));

        // then
        EndedJob ended = onlyEnded(hv);
        assertThat(ended.outcome()).isEqualTo(new Outcome.Failed("destination dst refused: not enough free memory"));
        assertThat(ended.finalStats().at()).isEqualTo(Duration.ofMillis(200));
        assertThat(ended.finalStats().memoryProcessed()).isEqualTo(ByteSize.ZERO);
    }

    @Test
    void aDestinationToldToRefuseRefusesNewGuests() {
        // given
        SimulatedHypervisor hv = aFabric(SimulationSettings.defaults());
        hv.inject(new Fault.RefuseIncoming(DST, Duration.ZERO));

        // when
        hv.start(migrate(QUIET));
        hv.advanceTo(Duration.ofSeconds(1));

        // then
        assertThat(onlyEnded(hv).outcome()).isInstanceOf(Outcome.Failed.class);
    }
}

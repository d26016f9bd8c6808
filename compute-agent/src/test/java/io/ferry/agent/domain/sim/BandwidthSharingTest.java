package io.ferry.agent.domain.sim;

import static io.ferry.agent.domain.sim.Fixtures.TEN_GBIT;
import static io.ferry.agent.domain.sim.Fixtures.aFabric;
import static io.ferry.agent.domain.sim.Fixtures.aGuest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BandwidthSharingTest {

    private static final Guest BIG = aGuest(ByteSize.gib(64), Bandwidth.mbPerSecond(10));

    @Test
    void twoConcurrentStreamsLeavingOneNicEachGetHalf() {
        // given
        SimulatedHypervisor hv = aFabric("dst2");
        JobId a = hv.start(new MigrationRequest(BIG, HostName.of("src"), HostName.of("dst"), MigrationSettings.defaults()));
        JobId b = hv.start(new MigrationRequest(BIG, HostName.of("src"), HostName.of("dst2"), MigrationSettings.defaults()));

        // when
        hv.advanceTo(Duration.ofSeconds(10));

        // then
        double half = TEN_GBIT.bytesPerSecond() / 2;
        assertThat(hv.stats(a).orElseThrow().bandwidth().bytesPerSecond()).isCloseTo(half, withinPercentage(0.01));
        assertThat(hv.stats(b).orElseThrow().bandwidth().bytesPerSecond()).isCloseTo(half, withinPercentage(0.01));
        assertThat(hv.stats(a).orElseThrow().memoryProcessed().bytes()).isCloseTo((long) (half * 10), withinPercentage(0.01));
    }

    @Test
    void twoConcurrentStreamsEnteringOneNicEachGetHalf() {
        // given
        SimulatedHypervisor hv = aFabric("src2");
        JobId a = hv.start(new MigrationRequest(BIG, HostName.of("src"), HostName.of("dst"), MigrationSettings.defaults()));
        JobId b = hv.start(new MigrationRequest(BIG, HostName.of("src2"), HostName.of("dst"), MigrationSettings.defaults()));

        // when
        hv.advanceTo(Duration.ofSeconds(3));

        // then
        double half = TEN_GBIT.bytesPerSecond() / 2;
        assertThat(hv.stats(a).orElseThrow().bandwidth().bytesPerSecond()).isCloseTo(half, withinPercentage(0.01));
        assertThat(hv.stats(b).orElseThrow().bandwidth().bytesPerSecond()).isCloseTo(half, withinPercentage(0.01));
    }

    @Test
    void aStreamGetsTheSmallestOfItsCapItsNicSharesAndTheCpuCeiling() {
        // given: a 1 Gbit/s destination, a 400 MB/s cap, a 100 MB/s CPU ceiling on one source
        SimulatedHypervisor hv = new SimulatedHypervisor(SimulationSettings.defaults().withSetupTime(Duration.ZERO));
        hv.addHost(HostSpec.of("src", TEN_GBIT, ByteSize.gib(256)));
        hv.addHost(new HostSpec(HostName.of("slowcpu"), TEN_GBIT, ByteSize.gib(256), Bandwidth.mbPerSecond(100)));
        hv.addHost(HostSpec.of("dst", TEN_GBIT, ByteSize.gib(256)));
        hv.addHost(HostSpec.of("thin", Bandwidth.gbitPerSecond(1), ByteSize.gib(256)));
        JobId capped = hv.start(new MigrationRequest(BIG, HostName.of("src"), HostName.of("dst"),
                MigrationSettings.defaults().withBandwidthCap(Bandwidth.mbPerSecond(400))));
        JobId thin = hv.start(new MigrationRequest(BIG, HostName.of("src"), HostName.of("thin"), MigrationSettings.defaults()));
        JobId cpu = hv.start(new MigrationRequest(BIG, HostName.of("slowcpu"), HostName.of("dst"), MigrationSettings.defaults()));

        // when
        hv.advanceTo(Duration.ofSeconds(1));

        // then
        assertThat(hv.stats(capped).orElseThrow().bandwidth().bytesPerSecond()).isCloseTo(400e6, withinPercentage(0.01));
        assertThat(hv.stats(thin).orElseThrow().bandwidth().bytesPerSecond()).isCloseTo(125e6, withinPercentage(0.01));
        assertThat(hv.stats(cpu).orElseThrow().bandwidth().bytesPerSecond()).isCloseTo(100e6, withinPercentage(0.01));
    }

    @Test
    void whenOneOfTwoStreamsEndsTheOtherGetsTheWholeNicFromTheNextTick() {
        // given
        SimulatedHypervisor hv = aFabric("dst2");
        Guest small = aGuest(ByteSize.gib(1), Bandwidth.ZERO);
        hv.start(new MigrationRequest(small, HostName.of("src"), HostName.of("dst"), MigrationSettings.defaults()));
        JobId big = hv.start(new MigrationRequest(BIG, HostName.of("src"), HostName.of("dst2"), MigrationSettings.defaults()));

        // when
        hv.advanceTo(Duration.ofSeconds(5));

        // then
        assertThat(hv.drainEnded()).hasSize(1);
        assertThat(hv.stats(big).orElseThrow().bandwidth().bytesPerSecond())
                .isCloseTo(TEN_GBIT.bytesPerSecond(), withinPercentage(0.01));
    }
}

package io.ferry.agent.domain.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    /** Eight hosts, twenty migrations of every profile, jitter, faults and commands. */
    private static List<TraceEvent> run(long seed) {
        SimulatedHypervisor hv = new SimulatedHypervisor(SimulationSettings.defaults().withSeed(seed).withJitter(0.3));
        for (int h = 0; h < 8; h++) {
            hv.addHost(HostSpec.of("host-" + h, Bandwidth.gbitPerSecond(10 + h), ByteSize.gib(512)));
        }
        List<String> profiles = WorkloadProfiles.names();
        for (int i = 0; i < 20; i++) {
            Guest guest = Guest.of("vm-" + i, ByteSize.gib(2 + i % 7), 0.1 * (i % 4),
                    WorkloadProfiles.named(profiles.get(i % profiles.size())));
            MigrationSettings settings = MigrationSettings.defaults()
                    .withAutoConverge(i % 3 == 0).withPostCopyPermitted(i % 4 == 1);
            hv.start(new MigrationRequest(guest, HostName.of("host-" + i % 4), HostName.of("host-" + (4 + i % 4)), settings));
            hv.advanceBy(Duration.ofMillis(370));
        }
        hv.inject(new Fault.LinkDown(HostName.of("host-5"), Duration.ofSeconds(12), Duration.ofSeconds(2)));
        hv.inject(new Fault.BandwidthChange(HostName.of("host-6"), Duration.ofSeconds(15), Bandwidth.gbitPerSecond(2)));
        hv.inject(new Fault.HostCrash(HostName.of("host-7"), Duration.ofSeconds(40)));
        hv.advanceTo(Duration.ofSeconds(30));
        hv.startPostCopy(new JobId(2));
        hv.setMaxDowntime(new JobId(3), Duration.ofSeconds(2));
        hv.runUntilIdle(Duration.ofMinutes(10));
        return List.copyOf(hv.trace());
    }

    @Test
    void twoRunsWithOneSeedGiveIdenticalTraces() {
        // given
        long seed = 42;

        // when
        List<TraceEvent> first = run(seed);
        List<TraceEvent> second = run(seed);

        // then
        assertThat(first).hasSizeGreaterThan(100);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void anotherSeedGivesAnotherTrace() {
        // when
        List<TraceEvent> first = run(1);
        List<TraceEvent> second = run(2);

        // then
        assertThat(second).isNotEqualTo(first);
    }
}

package io.ferry.messaging.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.Envelopes;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostDirectoryTest {

    private static final long T0 = 1_800_000_000_000L;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(T0 + 5_000), ZoneOffset.UTC);
    private final HostDirectory directory = new HostDirectory(clock, Duration.ofSeconds(60));

    private static HostedInstance vm(String uuid) {
        return HostedInstance.newBuilder().setSpec(InstanceSpec.newBuilder().setUuid(uuid).setName(uuid)
                .setMemoryMb(1024).setVcpus(1).setAvailabilityZone(null).setCpuModel(null).setServerGroup(null)
                .setWorkload(null).build()).setTaskState(null).setMigrationUuid(null).build();
    }

    private static HostInventory report(String host, long at, boolean forcedDown, HostedInstance... instances) {
        return HostInventory.newBuilder().setEnvelope(Envelopes.of(host, null, at, "test")).setHost(host)
                .setNode(host).setAvailabilityZone(null).setDisabledReason(null).setForcedDown(forcedDown)
                .setHeartbeatAt(at).setVcpus(8).setVcpusUsed(0).setMemoryMb(8192).setMemoryMbUsed(0)
                .setDiskGb(10).setDiskGbUsed(0).setInstances(List.of(instances)).build();
    }

    @Test
    void placesEachInstanceOnTheHostThatReportedItLast() {
        // given vm-1 reported on a, then (after it moved) on b, then a's report without it
        directory.apply(report("a", T0, false, vm("vm-1")));
        directory.apply(report("b", T0 + 1000, false, vm("vm-1")));
        directory.apply(report("a", T0 + 1100, false));

        // then
        assertThat(directory.placement("vm-1")).map(HostDirectory.Placement::host).contains("b");
    }

    @Test
    void anOlderReportArrivingLateDoesNotMoveAnInstanceBack() {
        // given b's newer report, then a stale one from a
        directory.apply(report("b", T0 + 1000, false, vm("vm-1")));
        directory.apply(report("a", T0, false, vm("vm-1")));

        // then
        assertThat(directory.placement("vm-1")).map(HostDirectory.Placement::host).contains("b");
    }

    @Test
    void aHostWithoutARecentHeartbeatOrForcedDownIsNotUp() {
        directory.apply(report("fresh", T0, false));
        directory.apply(report("stale", T0 - 120_000, false));
        directory.apply(report("forced", T0, true));

        assertThat(directory.isUp(directory.host("fresh").orElseThrow())).isTrue();
        assertThat(directory.isUp(directory.host("stale").orElseThrow())).isFalse();
        assertThat(directory.isUp(directory.host("forced").orElseThrow())).isFalse();
    }

    @Test
    void anInstanceGoneFromItsHostsReportIsForgotten() {
        directory.apply(report("a", T0, false, vm("vm-1")));

        directory.apply(report("a", T0 + 1, false));

        assertThat(directory.placement("vm-1")).isEmpty();
        assertThat(directory.placements()).isEmpty();
    }
}

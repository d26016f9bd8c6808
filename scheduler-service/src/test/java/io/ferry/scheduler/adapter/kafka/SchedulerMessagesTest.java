package io.ferry.scheduler.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.scheduler.app.FleetProjection;
import io.ferry.scheduler.app.HostReport;
import io.ferry.scheduler.app.SchedulingService;
import io.ferry.scheduler.domain.CpuFeatures;
import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.Resources;
import io.ferry.scheduler.domain.claim.Claim;
import io.ferry.scheduler.domain.claim.ClaimLedger;
import io.ferry.scheduler.domain.claim.ClaimStatus;
import io.ferry.scheduler.domain.claim.ReleaseReason;
import io.ferry.scheduler.domain.filter.LiveMigrationPrecheck;
import io.ferry.scheduler.domain.host.CellPlacement;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.HugePages;
import io.ferry.scheduler.domain.host.NumaCell;
import io.ferry.scheduler.domain.host.PciDeviceType;
import io.ferry.scheduler.domain.request.CpuMode;
import io.ferry.scheduler.domain.request.DeviceKind;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.GuestDevice;
import io.ferry.scheduler.domain.request.GuestNumaCell;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.select.FilterCount;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.common.ServiceStatus;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.host.HugePagePool;
import io.ferry.schemas.scheduler.ClaimRecord;
import io.ferry.schemas.scheduler.ClaimState;
import io.ferry.schemas.scheduler.DestinationClaimed;
import io.ferry.schemas.scheduler.NoValidHost;
import io.ferry.schemas.scheduler.SelectDestination;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SchedulerMessagesTest {

    private static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    private static final String VM = "5b0b6a3e-54b6-4d6c-9a59-1f0f2d0b2a10";
    private static final SchedulerDefaults DEFAULTS = SchedulerDefaults.nova();

    // ---- host reports

    @Test
    void mapsAnInventoryToTheHostStateTheFiltersRead() {
        // given a full report: capacity, reservations, usage, CPU, NUMA with huge pages, devices, service state
        HostInventory inventory = anInventory("compute-1")
                .setVcpus(32).setVcpusReserved(2).setVcpusUsed(10)
                .setMemoryMb(131072).setMemoryMbReserved(1024).setMemoryMbUsed(65536)
                .setDiskGb(2000).setDiskGbReserved(100).setDiskGbUsed(500)
                .setCpuArch("x86_64").setCpuVendor("Intel").setCpuModel("Cascadelake-Server")
                .setCpuFeatures(List.of("avx2", "AVX512F", "sse4_2"))
                .setNumaCells(List.of(io.ferry.schemas.host.NumaCell.newBuilder().setId(1)
                        .setCpus(List.of(0, 1, 2, 3)).setPinnedCpus(List.of(0)).setMemoryMb(65536).setMemoryMbUsed(1024)
                        .setHugePages(List.of(HugePagePool.newBuilder().setSizeKb(2048).setTotal(1024).setUsed(24).build()))
                        .build()))
                .setPciDevices(List.of("0000:3b:00.1 sriov-vf physnet1", "0000:5e:00.0 gpu"))
                .setCell("cell2").setAvailabilityZone(null)
                .setMigrationsIn(1).setMigrationsOut(2)
                .build();

        // when
        HostReport report = SchedulerMessages.report(inventory, DEFAULTS);
        HostState host = report.state();

        // then
        assertThat(host.name()).isEqualTo(HostName.of("compute-1"));
        assertThat(host.vcpus().total()).isEqualTo(32);
        assertThat(host.vcpus().reserved()).isEqualTo(2);
        assertThat(host.vcpus().allocationRatio()).isEqualTo(4.0);
        assertThat(host.freeVcpus()).isEqualTo(32 * 4 - 2 - 10);
        assertThat(host.freeRamMb()).isEqualTo(131072 - 1024 - 65536);
        assertThat(host.freeDiskGb()).isEqualTo(2000 - 100 - 500);
        assertThat(host.cpu().model()).isEqualTo("Cascadelake-Server");
        assertThat(host.cpu().features()).isEqualTo(CpuFeatures.of("avx2", "avx512f", "sse4_2"));
        assertThat(host.numaCells()).containsExactly(
                new NumaCell(1, 4, 1, 65536, 1024, List.of(new HugePages(2048, 1024, 24))));
        assertThat(host.pciDevices()).extracting(d -> d.type())
                .containsExactly(PciDeviceType.TYPE_VF, PciDeviceType.TYPE_PCI);
        assertThat(host.cell()).isEqualTo("cell2");
        assertThat(host.availabilityZone()).as("Nova's default_availability_zone").isEqualTo("nova");
        assertThat(host.service().enabled()).isTrue();
        assertThat(host.service().forcedDown()).isFalse();
        assertThat(host.service().lastHeartbeat()).isEqualTo(Instant.ofEpochMilli(NOW));
        assertThat(host.migrations().incoming()).isEqualTo(1);
        assertThat(host.migrations().outgoing()).isEqualTo(2);
        assertThat(report.reportedAt()).isEqualTo(Instant.ofEpochMilli(NOW));
    }

    @Test
    void aHostsOwnAllocationRatiosWinOverTheConfiguredOnes() {
        // given a host reporting its own cpu_allocation_ratio, and a scheduler configured with 2.0 for RAM
        SchedulerDefaults configured = new SchedulerDefaults(4.0, 2.0, 1.0, "az-default", Map.of());
        HostInventory inventory = anInventory("compute-1").setCpuAllocationRatio(16.0).setRamAllocationRatio(null)
                .setAvailabilityZone("az-3").build();

        // when
        HostState host = SchedulerMessages.report(inventory, configured).state();

        // then
        assertThat(host.vcpus().allocationRatio()).isEqualTo(16.0);
        assertThat(host.ramMb().allocationRatio()).isEqualTo(2.0);
        assertThat(host.diskGb().allocationRatio()).isEqualTo(1.0);
        assertThat(host.availabilityZone()).isEqualTo("az-3");
    }

    @Test
    void disabledForcedDownAndUnknownServicesMapSoTheComputeFilterRefusesThem() {
        HostState disabled = SchedulerMessages.report(anInventory("a").setServiceStatus(ServiceStatus.DISABLED)
                .setDisabledReason("maintenance").build(), DEFAULTS).state();
        HostState forcedDown = SchedulerMessages.report(anInventory("b").setForcedDown(true).build(), DEFAULTS).state();
        HostState unknown = SchedulerMessages.report(anInventory("c").setServiceStatus(ServiceStatus.UNKNOWN).build(),
                DEFAULTS).state();

        assertThat(disabled.service().enabled()).isFalse();
        assertThat(disabled.service().disabledReason()).isEqualTo("maintenance");
        assertThat(forcedDown.service().forcedDown()).isTrue();
        assertThat(unknown.service().enabled()).isFalse();
        assertThat(unknown.service().disabledReason()).contains("unknown");
    }

    @Test
    void theReportedInstancesAreTheRunningAndTheIncomingOnes() {
        // given two running instances (one in a server group) and one arriving
        String arriving = UUID.randomUUID().toString();
        HostInventory inventory = anInventory("compute-1")
                .setInstances(List.of(hosted(VM, "group-1"), hosted("not-a-uuid", "group-1")))
                .setIncomingInstances(List.of(arriving))
                .build();

        // when
        HostReport report = SchedulerMessages.report(inventory, DEFAULTS);

        // then
        assertThat(report.state().reportedInstances()).containsExactlyInAnyOrder(
                UUID.fromString(VM), SchedulerMessages.instanceId("not-a-uuid"), UUID.fromString(arriving));
        assertThat(report.serverGroupMembers()).containsExactly(Map.entry("group-1", 2));
    }

    // ---- requests

    @Test
    void mapsARequestToTheDomainsRequestSpec() {
        // given a 4 vCPU / 8 GiB / 40 GB instance on compute-src, with the previous destination to ignore
        FleetProjection fleet = fleetWith(anInventory("compute-src").setCell("cell7").setCpuModel("Skylake-Server")
                .setCpuFeatures(List.of("avx2", "sse4_2")).build());
        SelectDestination select = aRequest(anInstance().build()).setIgnoreHosts(List.of("compute-9"))
                .setBlockMigration(true).setMaxAlternates(4).build();

        // when
        RequestSpec spec = SchedulerMessages.request(select, fleet, DEFAULTS);

        // then
        assertThat(spec.instanceUuid()).isEqualTo(UUID.fromString(VM));
        assertThat(spec.flavor().name()).isEqualTo("m1.large");
        assertThat(spec.demand()).as("block migration claims the disk too").isEqualTo(new Resources(4, 8192, 40));
        assertThat(spec.sourceHost()).isEqualTo(HostName.of("compute-src"));
        assertThat(spec.sourceCell()).as("the cell the source host reports").isEqualTo("cell7");
        assertThat(spec.ignoreHosts()).containsExactlyInAnyOrder(HostName.of("compute-9"), HostName.of("compute-src"));
        assertThat(spec.maxAlternates()).isEqualTo(4);
        assertThat(spec.requestedHost()).isEmpty();
        assertThat(spec.force()).isFalse();
        assertThat(spec.hasNumaTopology()).isFalse();
        assertThat(spec.serverGroup()).isEmpty();
        assertThat(spec.availabilityZone()).isEmpty();
        // a host-model guest has its source's CPU
        assertThat(spec.guestCpu().mode()).isEqualTo(CpuMode.HOST_MODEL);
        assertThat(spec.guestCpu().model()).isEqualTo("Skylake-Server");
        assertThat(spec.guestCpu().features()).isEqualTo(CpuFeatures.of("avx2", "sse4_2"));
        assertThat(spec.guestCpu().vendor()).isEqualTo("Intel");
    }

    @Test
    void sharedStorageClaimsNoDestinationDisk() {
        FleetProjection fleet = fleetWith(anInventory("compute-src").build());

        RequestSpec spec = SchedulerMessages.request(aRequest(anInstance().build()).setBlockMigration(false).build(),
                fleet, DEFAULTS);

        assertThat(spec.demand()).isEqualTo(new Resources(4, 8192, 0));
    }

    @Test
    void aTargetHostIsRequestedAndWithForceItSkipsTheFilters() {
        FleetProjection fleet = fleetWith(anInventory("compute-src").build());

        RequestSpec requested = SchedulerMessages.request(aRequest(anInstance().build()).setForcedHost("compute-3")
                .setForce(false).build(), fleet, DEFAULTS);
        RequestSpec forced = SchedulerMessages.request(aRequest(anInstance().build()).setForcedHost("compute-3")
                .setForce(true).build(), fleet, DEFAULTS);
        RequestSpec forceWithoutHost = SchedulerMessages.request(aRequest(anInstance().build()).setForcedHost(null)
                .setForce(true).build(), fleet, DEFAULTS);

        assertThat(requested.requestedHost()).contains(HostName.of("compute-3"));
        assertThat(requested.force()).isFalse();
        assertThat(forced.requestedHost()).contains(HostName.of("compute-3"));
        assertThat(forced.force()).isTrue();
        assertThat(forceWithoutHost.requestedHost()).isEmpty();
        assertThat(forceWithoutHost.force()).isFalse();
    }

    @Test
    void guestCpuFollowsTheCpuMode() {
        FleetProjection fleet = fleetWith(anInventory("compute-src").setCpuModel("Skylake-Server")
                .setCpuFeatures(List.of("avx2", "avx512f", "sse4_2")).build());
        SchedulerDefaults withWestmere = new SchedulerDefaults(4.0, 1.0, 1.0, "nova",
                Map.of("Westmere", CpuFeatures.of("sse4_2", "popcnt", "aes")));

        // host-model with the features the guest booted with (on an older host): those count, not the source's
        var declared = SchedulerMessages.request(aRequest(anInstance().setCpuModel("Broadwell")
                .setCpuFeatures(List.of("avx2")).build()).build(), fleet, DEFAULTS).guestCpu();
        // host-passthrough: exactly the source's CPU
        var passthrough = SchedulerMessages.request(aRequest(anInstance().setCpuMode("host-passthrough").build())
                .build(), fleet, DEFAULTS).guestCpu();
        // custom: the configured model's flags plus any extra flags the spec declares
        var custom = SchedulerMessages.request(aRequest(anInstance().setCpuMode("custom").setCpuModel("Westmere")
                .setCpuFeatures(List.of("pcid")).build()).build(), fleet, withWestmere).guestCpu();

        assertThat(declared.model()).isEqualTo("Broadwell");
        assertThat(declared.features()).isEqualTo(CpuFeatures.of("avx2"));
        assertThat(passthrough.mode()).isEqualTo(CpuMode.HOST_PASSTHROUGH);
        assertThat(passthrough.model()).isEqualTo("Skylake-Server");
        assertThat(passthrough.features()).isEqualTo(CpuFeatures.of("avx2", "avx512f", "sse4_2"));
        assertThat(custom.mode()).isEqualTo(CpuMode.CUSTOM);
        assertThat(custom.model()).isEqualTo("Westmere");
        assertThat(custom.features()).isEqualTo(CpuFeatures.of("sse4_2", "popcnt", "aes", "pcid"));
    }

    @Test
    void requestsThatCannotBeScheduledSayWhy() {
        FleetProjection fleet = fleetWith(anInventory("compute-src").build());

        assertThatThrownBy(() -> SchedulerMessages.request(aRequest(anInstance().build()).setSourceHost("compute-gone")
                .build(), fleet, DEFAULTS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("compute-gone has not reported");
        assertThatThrownBy(() -> SchedulerMessages.request(aRequest(anInstance().setCpuMode("host-magic").build())
                .build(), fleet, DEFAULTS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host-magic");
        assertThatThrownBy(() -> SchedulerMessages.request(aRequest(anInstance().setMemoryMb(0).build()).build(),
                fleet, DEFAULTS)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid flavor");
        assertThatThrownBy(() -> SchedulerMessages.request(aRequest(anInstance()
                .setExtraSpecs(Map.of("hw:numa_nodes", "3")).build()).build(), fleet, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evenly");
    }

    @Test
    void pinnedHugePageFlavorsGetAGuestNumaTopology() {
        FleetProjection fleet = fleetWith(anInventory("compute-src").build());
        InstanceSpec pinned = anInstance().setExtraSpecs(Map.of("hw:cpu_policy", "dedicated", "hw:numa_nodes", "2",
                "hw:mem_page_size", "1GB")).build();

        RequestSpec spec = SchedulerMessages.request(aRequest(pinned).build(), fleet, DEFAULTS);

        assertThat(spec.numaCells()).containsExactly(
                new GuestNumaCell(2, 4096, true, 1048576), new GuestNumaCell(2, 4096, true, 1048576));
    }

    @Test
    void passthroughAndSrIovDevicesMakeTheRequestNotLiveMigratable() {
        FleetProjection fleet = fleetWith(anInventory("compute-src").build());
        InstanceSpec withVf = anInstance().setPciDevices(List.of("port-1 vnic_type=direct")).build();
        InstanceSpec withPf = anInstance().setPciDevices(List.of("port-2 vnic_type=direct-physical")).build();
        InstanceSpec withGpu = anInstance().setPciDevices(List.of("0000:af:00.0")).build();

        RequestSpec vf = SchedulerMessages.request(aRequest(withVf).build(), fleet, DEFAULTS);
        RequestSpec pf = SchedulerMessages.request(aRequest(withPf).build(), fleet, DEFAULTS);
        RequestSpec gpu = SchedulerMessages.request(aRequest(withGpu).build(), fleet, DEFAULTS);

        assertThat(vf.devices()).extracting(GuestDevice::kind).containsExactly(DeviceKind.SRIOV_VF);
        assertThat(pf.devices()).extracting(GuestDevice::kind).containsExactly(DeviceKind.SRIOV_PF);
        assertThat(gpu.devices()).extracting(GuestDevice::kind).containsExactly(DeviceKind.PCI_PASSTHROUGH);
        assertThat(LiveMigrationPrecheck.refusal(vf)).get().asString().contains("SR-IOV virtual function");
    }

    @Test
    void theServerGroupCountsTheOtherMembersPerHost() {
        // given the group's members: this instance and one other on the source, two on compute-2
        FleetProjection fleet = fleetWith(
                anInventory("compute-src").setInstances(List.of(hosted(VM, "g-1"), hosted(UUID.randomUUID().toString(), "g-1"))).build(),
                anInventory("compute-2").setInstances(List.of(hosted(UUID.randomUUID().toString(), "g-1"),
                        hosted(UUID.randomUUID().toString(), "g-1"), hosted(UUID.randomUUID().toString(), "other"))).build());
        InstanceSpec member = anInstance().setServerGroup("g-1").setServerGroupPolicy("anti-affinity").build();

        // when
        RequestSpec spec = SchedulerMessages.request(aRequest(member).build(), fleet, DEFAULTS);

        // then
        assertThat(spec.serverGroup()).hasValueSatisfying(group -> {
            assertThat(group.policy()).isEqualTo(GroupPolicy.ANTI_AFFINITY);
            assertThat(group.membersPerHost()).containsOnly(
                    Map.entry(HostName.of("compute-src"), 1), Map.entry(HostName.of("compute-2"), 2));
        });
    }

    // ---- replies

    @Test
    void aRefusalCarriesTheFilterCountsAndWhetherTheInstanceCanMigrateAtAll() {
        var cause = Envelopes.of("m-1", null, NOW, "conductor");
        SchedulingService.Refused refused = new SchedulingService.Refused("No valid host was found.", List.of(
                new FilterCount("ComputeFilter", 5, 3, "compute-2: compute service disabled: maintenance"),
                new FilterCount("RamFilter", 3, 0, "compute-4: insufficient RAM")), false);

        NoValidHost reply = SchedulerMessages.noValidHost(cause, "m-1", refused, NOW + 5);
        NoValidHost notMigratable = SchedulerMessages.noValidHost(cause, "m-1",
                new SchedulingService.Refused("not live-migratable", List.of(), true), NOW + 5);

        assertThat(reply.getMigrationUuid()).isEqualTo("m-1");
        assertThat(reply.getEnvelope().getCausationId()).isEqualTo(cause.getMessageId());
        assertThat(reply.getEnvelope().getCorrelationId()).isEqualTo("m-1");
        assertThat(reply.getFilters()).extracting(f -> f.getFilter() + " " + f.getHostsBefore() + "->" + f.getHostsAfter())
                .containsExactly("ComputeFilter 5->3", "RamFilter 3->0");
        assertThat(reply.getFilters().get(0).getSampleReason()).contains("maintenance");
        assertThat(reply.getNotLiveMigratable()).isFalse();
        assertThat(notMigratable.getNotLiveMigratable()).isTrue();
        assertThat(FerryCodec.decode(FerryCodec.encode(reply))).isEqualTo(reply);
    }

    @Test
    void aClaimCarriesTheHostAndTheAlternatesInOrder() {
        DestinationClaimed reply = SchedulerMessages.claimed(Envelopes.of("m-1", null, NOW, "conductor"), "m-1",
                new SchedulingService.Claimed(HostName.of("compute-2"),
                        List.of(HostName.of("compute-5"), HostName.of("compute-1"))), NOW);

        assertThat(reply.getHost()).isEqualTo("compute-2");
        assertThat(reply.getNode()).isEqualTo("compute-2");
        assertThat(reply.getAlternates()).containsExactly("compute-5", "compute-1");
    }

    // ---- the claims log

    @Test
    void everyClaimStateSurvivesTheLogRoundTrip() {
        MigrationId migration = MigrationId.random();
        UUID instance = UUID.randomUUID();
        List<CellPlacement> placements = List.of(new CellPlacement(1, 4, 4096, 2048));
        Instant committedAt = Instant.ofEpochMilli(NOW - 1000);
        List<Claim> claims = List.of(
                new Claim(migration, 2, instance, HostName.of("compute-2"), new Resources(4, 8192, 40), placements,
                        ClaimStatus.OPEN, null, null),
                new Claim(migration, 2, instance, HostName.of("compute-2"), new Resources(4, 8192, 40), placements,
                        ClaimStatus.RELEASED, null, ReleaseReason.CANCELLED),
                new Claim(migration, 2, instance, HostName.of("compute-2"), new Resources(4, 8192, 40), placements,
                        ClaimStatus.COMMITTED, committedAt, null));

        for (Claim claim : claims) {
            ClaimRecord record = SchedulerMessages.record(claim, NOW);
            ClaimRecord decoded = (ClaimRecord) FerryCodec.decode(FerryCodec.encode(record));

            assertThat(decoded.getMigrationUuid()).isEqualTo(migration.toString());
            assertThat(SchedulerMessages.claim(decoded)).isEqualTo(claim);
        }
        assertThat(SchedulerMessages.record(claims.get(0), NOW).getStatus()).isEqualTo(ClaimState.CLAIMED);
        assertThat(SchedulerMessages.record(claims.get(1), NOW).getReleaseReason()).isEqualTo("cancelled");
        assertThat(SchedulerMessages.record(claims.get(2), NOW).getEnvelope().getEventTime())
                .as("a committed claim's event time is its commit time").isEqualTo(committedAt.toEpochMilli());
    }

    @Test
    void idsThatAreNotUuidsMapToStableOnes() {
        assertThat(SchedulerMessages.migrationId("migration-7")).isEqualTo(SchedulerMessages.migrationId("migration-7"));
        assertThat(SchedulerMessages.instanceId("vm-7")).isEqualTo(SchedulerMessages.instanceId("vm-7"));
        assertThat(SchedulerMessages.instanceId(VM)).isEqualTo(UUID.fromString(VM));
        assertThatThrownBy(() -> SchedulerMessages.migrationId(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- fixtures

    private static HostInventory.Builder anInventory(String host) {
        return HostInventory.newBuilder()
                .setEnvelope(Envelopes.of(host, null, NOW, "compute-agent/" + host))
                .setHost(host).setNode(host).setAvailabilityZone(null).setDisabledReason(null)
                .setServiceStatus(ServiceStatus.ENABLED).setHeartbeatAt(NOW)
                .setVcpus(16).setVcpusUsed(0).setMemoryMb(65536).setMemoryMbUsed(0).setDiskGb(1000).setDiskGbUsed(0)
                .setCpuModel("Skylake-Server");
    }

    private static HostedInstance hosted(String uuid, String group) {
        return HostedInstance.newBuilder().setSpec(anInstance().setUuid(uuid).setServerGroup(group).build())
                .setTaskState(null).setMigrationUuid(null).build();
    }

    private static InstanceSpec.Builder anInstance() {
        return InstanceSpec.newBuilder().setUuid(VM).setName("vm-1").setFlavorName("m1.large")
                .setMemoryMb(8192).setVcpus(4).setDiskGb(40).setAvailabilityZone(null).setCpuModel(null)
                .setServerGroup(null).setServerGroupPolicy(null).setWorkload(null);
    }

    private static SelectDestination.Builder aRequest(InstanceSpec instance) {
        return SelectDestination.newBuilder()
                .setEnvelope(Envelopes.of("m-1", null, NOW, "conductor"))
                .setMigrationUuid(UUID.randomUUID().toString())
                .setInstance(instance).setSourceHost("compute-src").setForcedHost(null);
    }

    private static FleetProjection fleetWith(HostInventory... inventories) {
        FleetProjection fleet = new FleetProjection(new ClaimLedger(), Duration.ofSeconds(60));
        for (HostInventory inventory : inventories) {
            fleet.apply(SchedulerMessages.report(inventory, DEFAULTS));
        }
        return fleet;
    }
}

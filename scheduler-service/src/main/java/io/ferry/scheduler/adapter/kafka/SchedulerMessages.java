package io.ferry.scheduler.adapter.kafka;

import io.ferry.scheduler.app.FleetProjection;
import io.ferry.scheduler.app.HostReport;
import io.ferry.scheduler.app.SchedulingService;
import io.ferry.scheduler.domain.CpuFeatures;
import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.MigrationId;
import io.ferry.scheduler.domain.Resources;
import io.ferry.scheduler.domain.claim.Claim;
import io.ferry.scheduler.domain.claim.ClaimStatus;
import io.ferry.scheduler.domain.claim.ReleaseReason;
import io.ferry.scheduler.domain.host.Aggregates;
import io.ferry.scheduler.domain.host.CellPlacement;
import io.ferry.scheduler.domain.host.CpuInfo;
import io.ferry.scheduler.domain.host.HostClaims;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.host.HugePages;
import io.ferry.scheduler.domain.host.MigrationLoad;
import io.ferry.scheduler.domain.host.NumaCell;
import io.ferry.scheduler.domain.host.PciDevice;
import io.ferry.scheduler.domain.host.PciDeviceType;
import io.ferry.scheduler.domain.host.ResourceInventory;
import io.ferry.scheduler.domain.host.ServiceState;
import io.ferry.scheduler.domain.request.CpuMode;
import io.ferry.scheduler.domain.request.DeviceKind;
import io.ferry.scheduler.domain.request.Flavor;
import io.ferry.scheduler.domain.request.GroupPolicy;
import io.ferry.scheduler.domain.request.GuestCpu;
import io.ferry.scheduler.domain.request.GuestDevice;
import io.ferry.scheduler.domain.request.GuestTopology;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.request.ServerGroup;
import io.ferry.scheduler.domain.select.FilterCount;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.common.Envelope;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.common.ServiceStatus;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.host.HugePagePool;
import io.ferry.schemas.scheduler.ClaimRecord;
import io.ferry.schemas.scheduler.ClaimState;
import io.ferry.schemas.scheduler.ClaimedCellPlacement;
import io.ferry.schemas.scheduler.DestinationClaimed;
import io.ferry.schemas.scheduler.FilterOutcome;
import io.ferry.schemas.scheduler.NoValidHost;
import io.ferry.schemas.scheduler.SelectDestination;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Maps between the scheduler's domain and the Avro messages of its topics: the one mapper of this adapter. Mapping
 * failures are {@link IllegalArgumentException}s whose message says what is wrong with the message.
 */
public final class SchedulerMessages {

    static final String PRODUCER = "scheduler";

    private SchedulerMessages() {
    }

    // ---- ids -------------------------------------------------------------------------------------------------

    /** A migration uuid as the domain keys it; a string that is not a uuid maps to a stable name-based one. */
    public static MigrationId migrationId(String uuid) {
        return new MigrationId(uuidOf("ferry-migration:", uuid));
    }

    /** An instance uuid as the domain compares it; a string that is not a uuid maps to a stable name-based one. */
    public static UUID instanceId(String uuid) {
        return uuidOf("ferry-instance:", uuid);
    }

    private static UUID uuidOf(String namespace, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + namespace.substring(6, namespace.length() - 1) + " uuid");
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException notAUuid) {
            return UUID.nameUUIDFromBytes((namespace + value).getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---- host reports ----------------------------------------------------------------------------------------

    /** A host's inventory as the projection keeps it: ratios and zone defaulted from {@code defaults}. */
    public static HostReport report(HostInventory inventory, SchedulerDefaults defaults) {
        HostName name = HostName.of(inventory.getHost());
        ResourceInventory vcpus = new ResourceInventory(inventory.getVcpus(), inventory.getVcpusReserved(),
                ratio(inventory.getCpuAllocationRatio(), defaults.cpuAllocationRatio()), inventory.getVcpusUsed());
        ResourceInventory ram = new ResourceInventory(inventory.getMemoryMb(), inventory.getMemoryMbReserved(),
                ratio(inventory.getRamAllocationRatio(), defaults.ramAllocationRatio()), inventory.getMemoryMbUsed());
        ResourceInventory disk = new ResourceInventory(inventory.getDiskGb(), inventory.getDiskGbReserved(),
                ratio(inventory.getDiskAllocationRatio(), defaults.diskAllocationRatio()), inventory.getDiskGbUsed());
        CpuInfo cpu = new CpuInfo(inventory.getCpuArch(), inventory.getCpuVendor(), inventory.getCpuModel(),
                CpuFeatures.of(inventory.getCpuFeatures()));
        List<NumaCell> cells = new ArrayList<>(inventory.getNumaCells().size());
        for (io.ferry.schemas.host.NumaCell c : inventory.getNumaCells()) {
            List<HugePages> pools = new ArrayList<>(c.getHugePages().size());
            for (HugePagePool pool : c.getHugePages()) {
                pools.add(new HugePages(pool.getSizeKb(), pool.getTotal(), pool.getUsed()));
            }
            cells.add(new NumaCell(c.getId(), c.getCpus().size(), c.getPinnedCpus().size(), c.getMemoryMb(),
                    c.getMemoryMbUsed(), pools));
        }
        List<PciDevice> devices = new ArrayList<>(inventory.getPciDevices().size());
        for (String device : inventory.getPciDevices()) {
            PciDeviceType type = switch (deviceKind(device)) {
                case SRIOV_PF -> PciDeviceType.TYPE_PF;
                case SRIOV_VF -> PciDeviceType.TYPE_VF;
                default -> PciDeviceType.TYPE_PCI;
            };
            devices.add(new PciDevice(device, null, null, type, -1, null, false));
        }
        ServiceStatus status = inventory.getServiceStatus();
        boolean enabled = status == ServiceStatus.ENABLED;
        String disabledReason = inventory.getDisabledReason();
        if (status == ServiceStatus.UNKNOWN && disabledReason == null) {
            disabledReason = "compute service status unknown";
        }
        ServiceState service = new ServiceState(enabled, enabled ? null : disabledReason, inventory.getForcedDown(),
                Instant.ofEpochMilli(inventory.getHeartbeatAt()));
        Set<UUID> reported = new HashSet<>();
        Map<String, Integer> groups = new HashMap<>();
        for (HostedInstance instance : inventory.getInstances()) {
            InstanceSpec spec = instance.getSpec();
            reported.add(instanceId(spec.getUuid()));
            if (spec.getServerGroup() != null && !spec.getServerGroup().isBlank()) {
                groups.merge(spec.getServerGroup(), 1, Integer::sum);
            }
        }
        for (String incoming : inventory.getIncomingInstances()) {
            reported.add(instanceId(incoming));
        }
        String zone = inventory.getAvailabilityZone() == null || inventory.getAvailabilityZone().isBlank()
                ? defaults.defaultAvailabilityZone() : inventory.getAvailabilityZone();
        HostState state = new HostState(name, vcpus, ram, disk, HostClaims.NONE, cpu, cells, devices,
                inventory.getCell(), zone, Aggregates.NONE, service,
                new MigrationLoad(Math.max(0, inventory.getMigrationsIn()), Math.max(0, inventory.getMigrationsOut())),
                reported);
        return new HostReport(state, Instant.ofEpochMilli(inventory.getEnvelope().getEventTime()), groups);
    }

    private static double ratio(Double reported, double configured) {
        return reported != null && reported > 0 ? reported : configured;
    }

    // ---- requests ----------------------------------------------------------------------------------------------

    /**
     * The domain's request for a {@code SelectDestination}: the flavor, NUMA topology and devices from the instance
     * spec, the guest CPU from its mode (host-model and host-passthrough take the source host's reported CPU), the
     * cell of the source host, the requested or forced host, and the server group with its members per host.
     */
    public static RequestSpec request(SelectDestination select, FleetProjection fleet, SchedulerDefaults defaults) {
        InstanceSpec spec = select.getInstance();
        HostName source = HostName.of(select.getSourceHost());
        HostState sourceState = fleet.host(source).orElse(null);
        Flavor flavor = new Flavor(spec.getFlavorName(), spec.getVcpus(), spec.getMemoryMb(), spec.getDiskGb(),
                spec.getExtraSpecs());
        RequestSpec.Builder builder = RequestSpec.builder()
                .instance(instanceId(spec.getUuid()))
                .flavor(flavor)
                .numaCells(GuestTopology.of(flavor))
                .guestCpu(guestCpu(spec, source, sourceState, defaults))
                .devices(devices(spec.getPciDevices()))
                .source(source, sourceState != null ? sourceState.cell() : spec.getCell())
                .availabilityZone(blankToNull(spec.getAvailabilityZone()))
                .blockMigration(select.getBlockMigration())
                .maxAlternates(Math.max(0, select.getMaxAlternates()));
        Set<HostName> ignore = new HashSet<>();
        for (String host : select.getIgnoreHosts()) {
            if (host != null && !host.isBlank()) {
                ignore.add(HostName.of(host));
            }
        }
        builder.ignoreHosts(ignore);
        String target = blankToNull(select.getForcedHost());
        if (target != null) {
            if (select.getForce()) {
                builder.forcedHost(HostName.of(target));
            } else {
                builder.requestedHost(HostName.of(target));
            }
        }
        serverGroup(spec, source, fleet).ifPresent(builder::serverGroup);
        return builder.build();
    }

    static GuestCpu guestCpu(InstanceSpec spec, HostName source, HostState sourceState, SchedulerDefaults defaults) {
        String modeName = spec.getCpuMode() == null ? "" : spec.getCpuMode().strip().toLowerCase(Locale.ROOT);
        CpuMode mode = switch (modeName) {
            case "", "host-model" -> CpuMode.HOST_MODEL;
            case "host-passthrough" -> CpuMode.HOST_PASSTHROUGH;
            case "custom", "none" -> CpuMode.CUSTOM;
            default -> throw new IllegalArgumentException("unknown cpu_mode '" + spec.getCpuMode()
                    + "' (host-model, host-passthrough, custom or none)");
        };
        if (sourceState == null) {
            throw new IllegalArgumentException("source host " + source
                    + " has not reported its inventory, so the guest's CPU is unknown");
        }
        CpuInfo host = sourceState.cpu();
        CpuFeatures declared = CpuFeatures.of(spec.getCpuFeatures());
        String model = blankToNull(spec.getCpuModel());
        return switch (mode) {
            // the guest got the source's model and features when it booted; what the spec declares wins
            case HOST_MODEL -> new GuestCpu(mode, host.arch(), host.vendor(), model != null ? model : host.model(),
                    declared.size() > 0 ? declared : host.features());
            // the guest sees the source's CPU as it is
            case HOST_PASSTHROUGH -> new GuestCpu(mode, host.arch(), host.vendor(), host.model(), host.features());
            case CUSTOM -> {
                if (model == null && modeName.equals("custom")) {
                    throw new IllegalArgumentException("cpu_mode custom without a cpu model");
                }
                String name = model != null ? model : "none";
                yield new GuestCpu(mode, host.arch(), host.vendor(), name,
                        defaults.cpuModelFeatures(name).union(declared));
            }
        };
    }

    static List<GuestDevice> devices(List<String> pciDevices) {
        List<GuestDevice> devices = new ArrayList<>(pciDevices.size());
        for (String device : pciDevices) {
            if (device != null && !device.isBlank()) {
                devices.add(new GuestDevice(device, deviceKind(device)));
            }
        }
        return devices;
    }

    /**
     * What a device string names: an SR-IOV physical function ({@code direct-physical}, {@code sriov-pf}, {@code pf:}),
     * an SR-IOV virtual function ({@code direct}, {@code sriov}, {@code vf:}), else a whole PCI device passed through.
     * None of them live-migrates.
     */
    static DeviceKind deviceKind(String device) {
        String d = device.toLowerCase(Locale.ROOT);
        if (d.contains("direct-physical") || d.contains("sriov-pf") || d.startsWith("pf:") || d.contains("type-pf")) {
            return DeviceKind.SRIOV_PF;
        }
        if (d.contains("direct") || d.contains("sriov") || d.startsWith("vf:") || d.contains("type-vf")) {
            return DeviceKind.SRIOV_VF;
        }
        return DeviceKind.PCI_PASSTHROUGH;
    }

    private static java.util.Optional<ServerGroup> serverGroup(InstanceSpec spec, HostName source,
                                                               FleetProjection fleet) {
        String id = blankToNull(spec.getServerGroup());
        String policyName = blankToNull(spec.getServerGroupPolicy());
        if (id == null || policyName == null) {
            return java.util.Optional.empty(); // without its policy a group cannot be enforced
        }
        GroupPolicy policy = switch (policyName.strip().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "affinity" -> GroupPolicy.AFFINITY;
            case "anti-affinity" -> GroupPolicy.ANTI_AFFINITY;
            case "soft-affinity" -> GroupPolicy.SOFT_AFFINITY;
            case "soft-anti-affinity" -> GroupPolicy.SOFT_ANTI_AFFINITY;
            default -> throw new IllegalArgumentException("unknown server group policy '" + policyName + "'");
        };
        Map<HostName, Integer> members = new HashMap<>(fleet.serverGroupMembers(id));
        // the migrating instance is a member on its source; only the others count
        members.computeIfPresent(source, (host, n) -> n > 1 ? n - 1 : null);
        return java.util.Optional.of(new ServerGroup(id, policy, members));
    }

    // ---- replies -----------------------------------------------------------------------------------------------

    static DestinationClaimed claimed(Envelope cause, String migrationUuid, SchedulingService.Claimed claimed,
                                      long nowMillis) {
        return DestinationClaimed.newBuilder()
                .setEnvelope(Envelopes.causedBy(cause, nowMillis, PRODUCER))
                .setMigrationUuid(migrationUuid)
                .setHost(claimed.host().value()).setNode(claimed.host().value())
                .setAlternates(claimed.alternates().stream().map(HostName::value).toList())
                .build();
    }

    static NoValidHost noValidHost(Envelope cause, String migrationUuid, SchedulingService.Refused refused,
                                   long nowMillis) {
        List<FilterOutcome> filters = new ArrayList<>(refused.filters().size());
        for (FilterCount count : refused.filters()) {
            filters.add(FilterOutcome.newBuilder().setFilter(count.filter()).setHostsBefore(count.start())
                    .setHostsAfter(count.end()).setSampleReason(count.sampleReason()).build());
        }
        return NoValidHost.newBuilder()
                .setEnvelope(Envelopes.causedBy(cause, nowMillis, PRODUCER))
                .setMigrationUuid(migrationUuid)
                .setReason(refused.reason())
                .setFilters(filters)
                .setNotLiveMigratable(refused.notLiveMigratable())
                .build();
    }

    // ---- the claims log ----------------------------------------------------------------------------------------

    /**
     * A claim as {@code ferry.scheduler.claims} keeps it: its whole state, so that the last record of a migration
     * (all compaction leaves) is enough to restore it. The event time of a committed claim is when it was committed.
     */
    public static ClaimRecord record(Claim claim, long nowMillis) {
        ClaimState state = switch (claim.status()) {
            case OPEN -> ClaimState.CLAIMED;
            case RELEASED -> ClaimState.RELEASED;
            case COMMITTED, SETTLED -> ClaimState.COMMITTED;
        };
        long eventTime = claim.committedAt() != null ? claim.committedAt().toEpochMilli() : nowMillis;
        List<ClaimedCellPlacement> placements = new ArrayList<>(claim.placements().size());
        for (CellPlacement p : claim.placements()) {
            placements.add(ClaimedCellPlacement.newBuilder().setHostCellId(p.hostCellId())
                    .setPinnedCpus(p.pinnedCpus()).setMemoryMb(p.memoryMb()).setPageSizeKb(p.pageSizeKb()).build());
        }
        String migration = claim.migration().toString();
        return ClaimRecord.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, eventTime, PRODUCER))
                .setMigrationUuid(migration)
                .setAttempt(claim.attempt())
                .setInstanceUuid(claim.instance().toString())
                .setHost(claim.host().value())
                .setStatus(state)
                .setVcpus(claim.resources().vcpus())
                .setMemoryMb(claim.resources().ramMb())
                .setDiskGb(claim.resources().diskGb())
                .setNumaPlacements(placements)
                .setReleaseReason(claim.releaseReason() == null ? null
                        : claim.releaseReason().name().toLowerCase(Locale.ROOT))
                .build();
    }

    /** The claim a log record restores. */
    public static Claim claim(ClaimRecord record) {
        ClaimStatus status = switch (record.getStatus()) {
            case CLAIMED -> ClaimStatus.OPEN;
            case RELEASED -> ClaimStatus.RELEASED;
            case COMMITTED -> ClaimStatus.COMMITTED;
            case UNKNOWN -> throw new IllegalArgumentException("claim " + record.getMigrationUuid()
                    + " has a status this scheduler does not know");
        };
        List<CellPlacement> placements = new ArrayList<>(record.getNumaPlacements().size());
        for (ClaimedCellPlacement p : record.getNumaPlacements()) {
            placements.add(new CellPlacement(p.getHostCellId(), p.getPinnedCpus(), p.getMemoryMb(), p.getPageSizeKb()));
        }
        ReleaseReason reason = null;
        if (status == ClaimStatus.RELEASED) {
            reason = ReleaseReason.FAILED;
            if (record.getReleaseReason() != null) {
                try {
                    reason = ReleaseReason.valueOf(record.getReleaseReason().strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException unknown) {
                    // a newer scheduler's reason: still released
                }
            }
        }
        return new Claim(migrationId(record.getMigrationUuid()), Math.max(1, record.getAttempt()),
                instanceId(record.getInstanceUuid()),
                HostName.of(record.getHost()),
                new Resources(record.getVcpus(), record.getMemoryMb(), record.getDiskGb()), placements, status,
                status == ClaimStatus.COMMITTED ? Instant.ofEpochMilli(record.getEnvelope().getEventTime()) : null,
                reason);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

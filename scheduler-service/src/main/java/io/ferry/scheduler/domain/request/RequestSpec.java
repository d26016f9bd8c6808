package io.ferry.scheduler.domain.request;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One live-migration scheduling request, as Nova's {@code RequestSpec} for {@code os-migrateLive}.
 *
 * <p>An immutable class rather than a record: it precomputes, once per request, what every filter
 * would otherwise derive per host (the resource demand, the aggregate-scoped extra specs, the set of
 * excluded hosts), which keeps the per-host loop free of allocation.
 */
public final class RequestSpec {

    /** Scope prefix Nova's AggregateInstanceExtraSpecsFilter matches against aggregate metadata. */
    public static final String AGGREGATE_SCOPE = "aggregate_instance_extra_specs:";

    private final UUID instanceUuid;
    private final Flavor flavor;
    private final GuestCpu guestCpu;
    private final List<GuestNumaCell> numaCells;
    private final List<GuestDevice> devices;
    private final HostName sourceHost;
    private final String sourceCell;
    private final ServerGroup serverGroup;
    private final String availabilityZone;
    private final boolean blockMigration;
    private final Set<HostName> ignoreHosts;
    private final HostName requestedHost;
    private final boolean force;
    private final int maxAlternates;
    // derived once
    private final Resources demand;
    private final Map<String, String> aggregateExtraSpecs;

    private RequestSpec(Builder b) {
        this.instanceUuid = Objects.requireNonNull(b.instanceUuid, "instanceUuid");
        this.flavor = Objects.requireNonNull(b.flavor, "flavor");
        this.guestCpu = Objects.requireNonNull(b.guestCpu, "guestCpu");
        this.numaCells = List.copyOf(b.numaCells);
        this.devices = List.copyOf(b.devices);
        this.sourceHost = Objects.requireNonNull(b.sourceHost, "sourceHost");
        this.sourceCell = Objects.requireNonNull(b.sourceCell, "sourceCell");
        this.serverGroup = b.serverGroup;
        this.availabilityZone = b.availabilityZone;
        this.blockMigration = b.blockMigration;
        Set<HostName> ignore = new HashSet<>(b.ignoreHosts);
        ignore.add(sourceHost); // never migrate to where the instance already runs
        this.ignoreHosts = Set.copyOf(ignore);
        this.requestedHost = b.requestedHost;
        this.force = b.force;
        if (force && requestedHost == null) {
            throw new IllegalArgumentException("force requires a requested host");
        }
        if (b.maxAlternates < 0) {
            throw new IllegalArgumentException("maxAlternates must be >= 0");
        }
        this.maxAlternates = b.maxAlternates;
        // Block migration copies the local disk, so it needs room on the destination;
        // shared storage and volume-backed instances do not consume destination disk.
        this.demand = new Resources(flavor.vcpus(), flavor.ramMb(), blockMigration ? flavor.diskGb() : 0);
        this.aggregateExtraSpecs = scopedSpecs(flavor.extraSpecs());
    }

    /** Extra specs AggregateInstanceExtraSpecsFilter looks at: its scope, or unscoped keys (no ':'). */
    private static Map<String, String> scopedSpecs(Map<String, String> extraSpecs) {
        Map<String, String> scoped = new HashMap<>();
        extraSpecs.forEach((key, value) -> {
            if (key.startsWith(AGGREGATE_SCOPE)) {
                scoped.put(key.substring(AGGREGATE_SCOPE.length()), value);
            } else if (!key.contains(":")) {
                scoped.put(key, value);
            }
        });
        return Map.copyOf(scoped);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.instanceUuid = instanceUuid;
        b.flavor = flavor;
        b.guestCpu = guestCpu;
        b.numaCells = new ArrayList<>(numaCells);
        b.devices = new ArrayList<>(devices);
        b.sourceHost = sourceHost;
        b.sourceCell = sourceCell;
        b.serverGroup = serverGroup;
        b.availabilityZone = availabilityZone;
        b.blockMigration = blockMigration;
        b.ignoreHosts = new HashSet<>(ignoreHosts);
        b.ignoreHosts.remove(sourceHost);
        b.requestedHost = requestedHost;
        b.force = force;
        b.maxAlternates = maxAlternates;
        return b;
    }

    public UUID instanceUuid() { return instanceUuid; }
    public Flavor flavor() { return flavor; }
    public GuestCpu guestCpu() { return guestCpu; }
    public List<GuestNumaCell> numaCells() { return numaCells; }
    public boolean hasNumaTopology() { return !numaCells.isEmpty(); }
    public List<GuestDevice> devices() { return devices; }
    public HostName sourceHost() { return sourceHost; }
    public String sourceCell() { return sourceCell; }
    public Optional<ServerGroup> serverGroup() { return Optional.ofNullable(serverGroup); }
    /** The group when its policy is {@code policy}, else null: a cheap check for the per-host loop. */
    public ServerGroup serverGroupWith(GroupPolicy policy) {
        return serverGroup != null && serverGroup.policy() == policy ? serverGroup : null;
    }
    public Optional<String> availabilityZone() { return Optional.ofNullable(availabilityZone); }
    public String availabilityZoneOrNull() { return availabilityZone; }
    public boolean blockMigration() { return blockMigration; }
    /** Hosts never chosen: the requested ignore list plus the source host. */
    public Set<HostName> ignoreHosts() { return ignoreHosts; }
    public Optional<HostName> requestedHost() { return Optional.ofNullable(requestedHost); }
    public HostName requestedHostOrNull() { return requestedHost; }
    /** Old microversions' {@code force=true}: skip the filters, never the capacity check. */
    public boolean force() { return force; }
    public int maxAlternates() { return maxAlternates; }
    /** What the destination must have free: the flavor, with disk only for block migration. */
    public Resources demand() { return demand; }
    public Map<String, String> aggregateExtraSpecs() { return aggregateExtraSpecs; }

    @Override
    public String toString() {
        return "RequestSpec[instance=" + instanceUuid + ", flavor=" + flavor.name() + ", source="
                + sourceHost + ", cell=" + sourceCell + ", force=" + force + ", host=" + requestedHost + "]";
    }

    /** Builds a {@link RequestSpec}; unset optional parts mean "not requested". */
    public static final class Builder {
        private UUID instanceUuid;
        private Flavor flavor;
        private GuestCpu guestCpu;
        private List<GuestNumaCell> numaCells = new ArrayList<>();
        private List<GuestDevice> devices = new ArrayList<>();
        private HostName sourceHost;
        private String sourceCell;
        private ServerGroup serverGroup;
        private String availabilityZone;
        private boolean blockMigration;
        private Set<HostName> ignoreHosts = new HashSet<>();
        private HostName requestedHost;
        private boolean force;
        private int maxAlternates = 3;

        private Builder() {
        }

        public Builder instance(UUID uuid) { this.instanceUuid = uuid; return this; }
        public Builder flavor(Flavor flavor) { this.flavor = flavor; return this; }
        public Builder guestCpu(GuestCpu cpu) { this.guestCpu = cpu; return this; }
        public Builder numaCells(List<GuestNumaCell> cells) { this.numaCells = new ArrayList<>(cells); return this; }
        public Builder addNumaCell(GuestNumaCell cell) { this.numaCells.add(cell); return this; }
        public Builder devices(List<GuestDevice> devices) { this.devices = new ArrayList<>(devices); return this; }
        public Builder addDevice(GuestDevice device) { this.devices.add(device); return this; }
        public Builder source(HostName host, String cell) { this.sourceHost = host; this.sourceCell = cell; return this; }
        public Builder serverGroup(ServerGroup group) { this.serverGroup = group; return this; }
        public Builder availabilityZone(String zone) { this.availabilityZone = zone; return this; }
        public Builder blockMigration(boolean block) { this.blockMigration = block; return this; }
        public Builder ignoreHosts(Set<HostName> hosts) { this.ignoreHosts = new HashSet<>(hosts); return this; }
        /** A requested destination: filtered normally (Nova 2.30+ without force). */
        public Builder requestedHost(HostName host) { this.requestedHost = host; this.force = false; return this; }
        /** A forced destination: filters skipped, capacity still checked. */
        public Builder forcedHost(HostName host) { this.requestedHost = host; this.force = true; return this; }
        public Builder maxAlternates(int n) { this.maxAlternates = n; return this; }

        public RequestSpec build() {
            return new RequestSpec(this);
        }
    }
}

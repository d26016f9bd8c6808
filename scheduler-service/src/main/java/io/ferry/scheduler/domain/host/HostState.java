package io.ferry.scheduler.domain.host;

import io.ferry.scheduler.domain.ByteSize;
import io.ferry.scheduler.domain.CpuFeatures;
import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Everything the scheduler knows of one compute host at one moment. Immutable: a new host event or
 * a claim yields a new value ({@link #withClaims}, {@link #plusUsage}).
 *
 * @param claims the open claims already folded into {@code numaCells} (and counted by {@link #freeRamMb()} etc.)
 * @param reportedInstances the instances whose resources the reported usage already counts (running here, or
 *        reserved here for an incoming migration): a claim for one of them is not counted a second time
 */
public record HostState(
        HostName name,
        ResourceInventory vcpus,
        ResourceInventory ramMb,
        ResourceInventory diskGb,
        HostClaims claims,
        CpuInfo cpu,
        List<NumaCell> numaCells,
        List<PciDevice> pciDevices,
        String cell,
        String availabilityZone,
        Aggregates aggregates,
        ServiceState service,
        MigrationLoad migrations,
        Set<UUID> reportedInstances) {

    public HostState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vcpus, "vcpus");
        Objects.requireNonNull(ramMb, "ramMb");
        Objects.requireNonNull(diskGb, "diskGb");
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(cpu, "cpu");
        numaCells = List.copyOf(numaCells);
        pciDevices = List.copyOf(pciDevices);
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(availabilityZone, "availabilityZone");
        Objects.requireNonNull(aggregates, "aggregates");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(migrations, "migrations");
        reportedInstances = Set.copyOf(reportedInstances);
    }

    public long freeVcpus() {
        return vcpus.free(claims.resources().vcpus());
    }

    public long freeRamMb() {
        return ramMb.free(claims.resources().ramMb());
    }

    public long freeDiskGb() {
        return diskGb.free(claims.resources().diskGb());
    }

    /** Whether {@code demand} fits in what is free, claims included. */
    public boolean fits(Resources demand) {
        return freeVcpus() >= demand.vcpus() && freeRamMb() >= demand.ramMb() && freeDiskGb() >= demand.diskGb();
    }

    public boolean isUp(Instant now, Duration serviceDownTime) {
        return service.isUp(now, serviceDownTime);
    }

    /**
     * This host with {@code extra} claims counted: resources reserved, NUMA placements taken, and the
     * incoming migration count at least the number of claims (claims not yet reported as running).
     */
    public HostState withClaims(HostClaims extra) {
        if (extra.isEmpty()) {
            return this;
        }
        List<NumaCell> cells = numaCells;
        if (!extra.placements().isEmpty()) {
            cells = new ArrayList<>(numaCells);
            for (CellPlacement p : extra.placements()) {
                for (int i = 0; i < cells.size(); i++) {
                    if (cells.get(i).id() == p.hostCellId()) {
                        cells.set(i, cells.get(i).plus(p));
                    }
                }
            }
        }
        HostClaims total = new HostClaims(claims.resources().plus(extra.resources()),
                concat(claims.placements(), extra.placements()), claims.count() + extra.count());
        MigrationLoad load = new MigrationLoad(Math.max(migrations.incoming(), total.count()), migrations.outgoing());
        return new HostState(name, vcpus, ramMb, diskGb, total, cpu, cells, pciDevices, cell,
                availabilityZone, aggregates, service, load, reportedInstances);
    }

    /** This host with a committed migration's resources moved into usage. */
    public HostState plusUsage(Resources used) {
        return new HostState(name, vcpus.withUsed(vcpus.used() + used.vcpus()),
                ramMb.withUsed(ramMb.used() + used.ramMb()), diskGb.withUsed(diskGb.used() + used.diskGb()),
                claims, cpu, numaCells, pciDevices, cell, availabilityZone, aggregates, service, migrations,
                reportedInstances);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    public static Builder builder(String name) {
        return new Builder(HostName.of(name));
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.totalVcpus = vcpus.total();
        b.reservedVcpus = vcpus.reserved();
        b.cpuRatio = vcpus.allocationRatio();
        b.usedVcpus = vcpus.used();
        b.totalRamMb = ramMb.total();
        b.reservedRamMb = ramMb.reserved();
        b.ramRatio = ramMb.allocationRatio();
        b.usedRamMb = ramMb.used();
        b.totalDiskGb = diskGb.total();
        b.reservedDiskGb = diskGb.reserved();
        b.diskRatio = diskGb.allocationRatio();
        b.usedDiskGb = diskGb.used();
        b.cpu = cpu;
        b.numaCells = new ArrayList<>(numaCells);
        b.pciDevices = new ArrayList<>(pciDevices);
        b.cell = cell;
        b.availabilityZone = availabilityZone;
        b.aggregates = new ArrayList<>(aggregates.list());
        b.service = service;
        b.migrations = migrations;
        b.reportedInstances = new HashSet<>(reportedInstances);
        return b;
    }

    /**
     * Builds a {@link HostState} with Nova's default ratios and reservations ({@link AllocationDefaults}).
     * {@code withFree*} set usage so that exactly that much is free, resolved at {@link #build()}.
     */
    public static final class Builder {
        private final HostName name;
        private long totalVcpus = 32;
        private long reservedVcpus = AllocationDefaults.RESERVED_HOST_CPUS;
        private double cpuRatio = AllocationDefaults.CPU_ALLOCATION_RATIO;
        private long usedVcpus;
        private Long freeVcpus;
        private long totalRamMb = ByteSize.gib(128).toMib();
        private long reservedRamMb = AllocationDefaults.RESERVED_HOST_MEMORY_MB;
        private double ramRatio = AllocationDefaults.RAM_ALLOCATION_RATIO;
        private long usedRamMb;
        private Long freeRamMb;
        private long totalDiskGb = 1000;
        private long reservedDiskGb = AllocationDefaults.RESERVED_HOST_DISK_GB;
        private double diskRatio = AllocationDefaults.DISK_ALLOCATION_RATIO;
        private long usedDiskGb;
        private Long freeDiskGb;
        private CpuInfo cpu = new CpuInfo("x86_64", "Intel", "Skylake-Server", CpuFeatures.NONE);
        private List<NumaCell> numaCells = new ArrayList<>();
        private List<PciDevice> pciDevices = new ArrayList<>();
        private String cell = "cell1";
        private String availabilityZone = "nova";
        private List<Aggregate> aggregates = new ArrayList<>();
        private ServiceState service = ServiceState.up(Instant.EPOCH);
        private MigrationLoad migrations = MigrationLoad.NONE;
        private Set<UUID> reportedInstances = new HashSet<>();

        private Builder(HostName name) {
            this.name = name;
        }

        public Builder withVcpus(long total) { this.totalVcpus = total; return this; }
        public Builder withReservedVcpus(long reserved) { this.reservedVcpus = reserved; return this; }
        public Builder withCpuAllocationRatio(double ratio) { this.cpuRatio = ratio; return this; }
        public Builder withUsedVcpus(long used) { this.usedVcpus = used; this.freeVcpus = null; return this; }
        public Builder withFreeVcpus(long free) { this.freeVcpus = free; return this; }
        public Builder withRam(ByteSize total) { this.totalRamMb = total.toMib(); return this; }
        public Builder withReservedRam(ByteSize reserved) { this.reservedRamMb = reserved.toMib(); return this; }
        public Builder withRamAllocationRatio(double ratio) { this.ramRatio = ratio; return this; }
        public Builder withUsedRam(ByteSize used) { this.usedRamMb = used.toMib(); this.freeRamMb = null; return this; }
        public Builder withFreeRam(ByteSize free) { this.freeRamMb = free.toMib(); return this; }
        public Builder withDiskGb(long total) { this.totalDiskGb = total; return this; }
        public Builder withReservedDiskGb(long reserved) { this.reservedDiskGb = reserved; return this; }
        public Builder withDiskAllocationRatio(double ratio) { this.diskRatio = ratio; return this; }
        public Builder withUsedDiskGb(long used) { this.usedDiskGb = used; this.freeDiskGb = null; return this; }
        public Builder withFreeDiskGb(long free) { this.freeDiskGb = free; return this; }
        public Builder withCpu(CpuInfo cpu) { this.cpu = cpu; return this; }
        public Builder withNumaCells(List<NumaCell> cells) { this.numaCells = new ArrayList<>(cells); return this; }
        public Builder withNumaCell(NumaCell cell) { this.numaCells.add(cell); return this; }
        public Builder withPciDevice(PciDevice device) { this.pciDevices.add(device); return this; }
        public Builder inCell(String cell) { this.cell = cell; return this; }
        public Builder inZone(String zone) { this.availabilityZone = zone; return this; }
        public Builder inAggregate(Aggregate aggregate) { this.aggregates.add(aggregate); return this; }
        public Builder withService(ServiceState service) { this.service = service; return this; }
        public Builder withHeartbeat(Instant at) {
            this.service = new ServiceState(service.enabled(), service.disabledReason(), service.forcedDown(), at);
            return this;
        }
        public Builder disabled(String reason) { this.service = service.disabled(reason); return this; }
        public Builder forcedDown() {
            this.service = new ServiceState(service.enabled(), service.disabledReason(), true, service.lastHeartbeat());
            return this;
        }
        public Builder withMigrations(int incoming, int outgoing) { this.migrations = new MigrationLoad(incoming, outgoing); return this; }
        /** Instances the usage figures count (the report lists them running here or arriving here). */
        public Builder withReportedInstances(Collection<UUID> instances) { this.reportedInstances = new HashSet<>(instances); return this; }
        public Builder reporting(UUID instance) { this.reportedInstances.add(instance); return this; }

        public HostState build() {
            ResourceInventory v = new ResourceInventory(totalVcpus, reservedVcpus, cpuRatio, 0);
            ResourceInventory r = new ResourceInventory(totalRamMb, reservedRamMb, ramRatio, 0);
            ResourceInventory d = new ResourceInventory(totalDiskGb, reservedDiskGb, diskRatio, 0);
            v = v.withUsed(freeVcpus == null ? usedVcpus : usedFor(v, freeVcpus, "vCPUs"));
            r = r.withUsed(freeRamMb == null ? usedRamMb : usedFor(r, freeRamMb, "RAM"));
            d = d.withUsed(freeDiskGb == null ? usedDiskGb : usedFor(d, freeDiskGb, "disk"));
            return new HostState(name, v, r, d, HostClaims.NONE, cpu, numaCells, pciDevices, cell,
                    availabilityZone, Aggregates.of(aggregates), service, migrations, reportedInstances);
        }

        private long usedFor(ResourceInventory inventory, long free, String what) {
            long used = inventory.limit() - free;
            if (used < 0) {
                throw new IllegalArgumentException(name + ": cannot have " + free + " free " + what
                        + " with a limit of " + inventory.limit());
            }
            return used;
        }
    }
}

package io.ferry.agent.adapter.kafka;

import io.ferry.agent.app.HostAgent;
import io.ferry.agent.app.HypervisorDriver;
import io.ferry.agent.app.StepResult;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.HostCapacity;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.common.Envelope;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.common.ServiceStatus;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.host.NumaCell;
import io.ferry.schemas.migration.AgentReply;
import io.ferry.schemas.migration.DirtyRateMeasurement;
import io.ferry.schemas.migration.HostStep;
import io.ferry.schemas.migration.JobOutcome;
import io.ferry.schemas.migration.JobPhase;
import io.ferry.schemas.migration.MigrationJobEnded;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.StepOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps between the agent's domain and the Avro messages of its topics: the one mapper of this adapter. */
final class AgentMessages {

    private AgentMessages() {
    }

    static Guest guest(InstanceSpec spec) {
        return new Guest(spec.getUuid(), spec.getName(), spec.getProjectId(), spec.getUserId(), spec.getFlavorName(),
                spec.getMemoryMb(), spec.getVcpus(), spec.getDiskGb(), spec.getWorkload(), spec.getPciDevices());
    }

    static InstanceSpec spec(Guest guest, String cell) {
        return InstanceSpec.newBuilder()
                .setUuid(guest.uuid()).setName(guest.name()).setProjectId(guest.projectId())
                .setUserId(guest.userId()).setFlavorName(guest.flavorName())
                .setMemoryMb(guest.memoryMb()).setVcpus(guest.vcpus()).setDiskGb(guest.diskGb())
                .setCell(cell).setAvailabilityZone(null).setCpuModel(null).setServerGroup(null)
                .setWorkload(guest.workload()).setPciDevices(guest.pciDevices())
                .build();
    }

    static HostInventory inventory(HostAgent agent, long now) {
        // what a real hypervisor reports of itself (CPU, NUMA, versions), read outside the agent's lock
        Optional<HypervisorDriver.HostFacts> facts;
        try {
            facts = agent.hostFacts();
        } catch (RuntimeException e) {
            facts = Optional.empty();
        }
        Optional<HypervisorDriver.HostFacts> hypervisor = facts;
        Map<String, Long> dirtyRates = agent.measuredDirtyRates();
        long streamBandwidth = agent.streamBandwidthBytesPerSec();
        return agent.read(ledger -> {
            HostCapacity capacity = ledger.capacity();
            List<HostedInstance> instances = ledger.runningGuests().stream()
                    .map(g -> HostedInstance.newBuilder()
                            .setSpec(spec(g, agent.cell()))
                            .setVmState("active").setPowerState(1)
                            .setTaskState(ledger.migrationOf(g.uuid()).isPresent() ? "migrating" : null)
                            .setMigrationUuid(ledger.migrationOf(g.uuid()).orElse(null))
                            .setDirtyRateBytesPerSec(dirtyRates.getOrDefault(g.uuid(), 0L))
                            .setGuestCpu(g.cpuDefinition())
                            .build())
                    .toList();
            HostInventory inventory = HostInventory.newBuilder()
                    .setEnvelope(Envelopes.of(agent.host(), null, now, "compute-agent/" + agent.host()))
                    .setHost(agent.host()).setNode(agent.host()).setDriver(agent.driverName())
                    .setCell(agent.cell()).setAvailabilityZone(null)
                    .setServiceStatus(agent.enabled() ? ServiceStatus.ENABLED : ServiceStatus.DISABLED)
                    .setDisabledReason(agent.disabledReason()).setForcedDown(agent.forcedDown())
                    .setHeartbeatAt(now)
                    .setVcpus(capacity.vcpus()).setVcpusUsed(ledger.vcpusUsed())
                    .setMemoryMb(capacity.memoryMb()).setMemoryMbUsed(ledger.memoryMbUsed())
                    .setMemoryMbReserved(capacity.memoryMbReserved())
                    .setDiskGb(capacity.diskGb()).setDiskGbUsed(ledger.diskGbUsed())
                    .setCpuModel(capacity.cpuModel())
                    .setNicBandwidthMbps(capacity.nicBandwidthMbps())
                    .setInstances(instances)
                    .setMigrationsIn(ledger.migrationsIn()).setMigrationsOut(ledger.migrationsOut())
                    .setStreamBandwidthBytesPerSec(streamBandwidth)
                    .build();
            hypervisor.ifPresent(f -> withFacts(inventory, f));
            return inventory;
        });
    }

    /** Adds the hypervisor's own facts: CPU model, vendor and features, NUMA cells, QEMU version (Nova's integer). */
    private static void withFacts(HostInventory inventory, HypervisorDriver.HostFacts facts) {
        if (facts.cpuModel() != null && !facts.cpuModel().isBlank()) {
            inventory.setCpuModel(facts.cpuModel());
        }
        if (facts.cpuVendor() != null && !facts.cpuVendor().isBlank()) {
            inventory.setCpuVendor(facts.cpuVendor());
        }
        inventory.setCpuFeatures(List.copyOf(facts.cpuFeatures()));
        List<NumaCell> cells = new ArrayList<>();
        int nextCpu = 0;
        for (HypervisorDriver.NumaCell cell : facts.numaCells()) {
            List<Integer> cpus = new ArrayList<>();
            for (int i = 0; i < cell.cpus(); i++) {
                cpus.add(nextCpu++);
            }
            cells.add(NumaCell.newBuilder().setId(cell.id()).setCpus(cpus).setMemoryMb(cell.memoryMb()).build());
        }
        inventory.setNumaCells(cells);
        inventory.setHypervisorVersion(novaVersion(facts.hypervisorVersion()));
    }

    /** "7.2.0" → 7002000, as Nova reports hypervisor_version; 0 when unknown. */
    static long novaVersion(String version) {
        if (version == null) {
            return 0;
        }
        String[] parts = version.trim().split("\\.");
        long value = 0;
        for (int i = 0; i < 3; i++) {
            long part = 0;
            if (i < parts.length) {
                try {
                    part = Long.parseLong(parts[i].replaceAll("[^0-9].*$", ""));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
            value = value * 1000 + part;
        }
        return value;
    }

    static AgentReply reply(Envelope cause, String migrationUuid, String host, HostStep step, StepResult result,
                            long now) {
        return AgentReply.newBuilder()
                .setEnvelope(Envelopes.causedBy(cause, now, "compute-agent/" + host))
                .setMigrationUuid(migrationUuid).setHost(host).setStep(step)
                .setOutcome(switch (result.outcome()) {
                    case DONE -> StepOutcome.DONE;
                    case REFUSED -> StepOutcome.REFUSED;
                    case FAILED -> StepOutcome.FAILED;
                })
                .setReason(result.reason())
                .build();
    }

    static MigrationProgress progress(String host, String migrationUuid, String instanceUuid, JobReading r, long now) {
        return MigrationProgress.newBuilder()
                .setEnvelope(Envelopes.of(migrationUuid, null, now, "compute-agent/" + host))
                .setMigrationUuid(migrationUuid).setInstanceUuid(instanceUuid).setHost(host)
                .setReadingTime(r.readingTimeMillis()).setElapsedMs(r.elapsedMillis()).setIteration(r.iteration())
                .setMemoryTotalBytes(r.memoryTotalBytes()).setMemoryProcessedBytes(r.memoryProcessedBytes())
                .setMemoryRemainingBytes(r.memoryRemainingBytes())
                .setDirtyRateBytesPerSec(r.dirtyRateBytesPerSec()).setBandwidthBytesPerSec(r.bandwidthBytesPerSec())
                .setDowntimeLimitMs(r.downtimeLimitMillis()).setExpectedDowntimeMs(r.expectedDowntimeMillis())
                .setThrottlePercent(r.throttlePercent())
                .setPhase(switch (r.phase()) {
                    case SETUP -> JobPhase.SETUP;
                    case PRE_COPY -> JobPhase.PRE_COPY;
                    case POST_COPY -> JobPhase.POST_COPY;
                    case PAUSED -> JobPhase.PAUSED;
                })
                .setMeasuredDirtyRate(r.measuredDirtyRate() == null ? null : DirtyRateMeasurement.newBuilder()
                        .setBytesPerSec(r.measuredDirtyRate().bytesPerSecond())
                        .setStartedAt(r.measuredDirtyRate().startedAtMillis())
                        .setPeriodMs(r.measuredDirtyRate().periodMillis()).build())
                .build();
    }

    static MigrationJobEnded jobEnded(String host, String migrationUuid, String instanceUuid, JobEnd end, long now) {
        return MigrationJobEnded.newBuilder()
                .setEnvelope(Envelopes.of(migrationUuid, null, now, "compute-agent/" + host))
                .setMigrationUuid(migrationUuid).setInstanceUuid(instanceUuid).setHost(host)
                .setOutcome(switch (end.outcome()) {
                    case COMPLETED -> JobOutcome.COMPLETED;
                    case FAILED -> JobOutcome.FAILED;
                    case CANCELLED -> JobOutcome.CANCELLED;
                    case GUEST_LOST -> JobOutcome.GUEST_LOST;
                })
                .setReason(end.reason()).setDowntimeMs(end.downtimeMillis()).setElapsedMs(end.elapsedMillis())
                .setIterations(end.iterations()).setMemoryTotalBytes(end.memoryTotalBytes())
                .setMemoryTransferredBytes(end.memoryTransferredBytes()).setPostCopy(end.postCopy())
                .build();
    }
}

package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.domain.drain.Drain;
import io.ferry.conductor.domain.drain.DrainEntry;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.DrainedInstance;
import io.ferry.conductor.domain.MigrationStatus;
import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ByteSize;
import io.ferry.conductor.domain.drain.DrainCandidate;
import io.ferry.conductor.domain.drain.DrainPlan;
import io.ferry.conductor.domain.drain.DrainStatus;
import io.ferry.conductor.domain.drain.StreamRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Maps a drain to its record on {@code ferry.drains} and back: the one mapper of that topic. */
final class DrainMessages {

    private static final long MIB = 1024L * 1024L;

    private DrainMessages() {
    }

    static DrainRecord record(Drain d, String causationId, Instant now) {
        return DrainRecord.newBuilder()
                .setEnvelope(Envelopes.of(d.id(), causationId, d.updatedAt().toEpochMilli(), ConductorMessages.PRODUCER))
                .setDrainId(d.id()).setHost(d.request().host()).setReason(d.request().reason())
                .setStatus(d.status().wireName()).setDryRun(d.request().dryRun())
                .setDisableHost(d.request().disableHost()).setSequence(d.sequence())
                .setNicBandwidthBytesPerSec(d.plan() == null ? 0 : d.plan().nic().bytesPerSecond())
                .setMaxStreams(d.plan() == null ? 0 : d.plan().rule().maxStreams())
                .setStreamBandwidthBytesPerSec(d.plan() == null ? 0 : d.plan().rule().streamBandwidth().bytesPerSecond())
                .setInstances(d.entries().stream().map(DrainMessages::instance).toList())
                .setTotal(d.total()).setDone(d.done()).setCompleted(d.completed()).setFailed(d.failed())
                .setLowerBoundMs(d.plan() == null ? 0 : d.plan().lowerBound().toMillis())
                .setPredictedTotalMs(d.plan() == null ? 0 : d.plan().predictedTotal().toMillis())
                .setPredictedRemainingMs(d.predictedRemaining().toMillis())
                .setElapsedMs(d.elapsed(now).toMillis())
                .setCreatedAt(d.createdAt().toEpochMilli()).setUpdatedAt(d.updatedAt().toEpochMilli())
                .setEndedAt(d.endedAt() == null ? 0 : d.endedAt().toEpochMilli())
                .setNote(d.note())
                .setUserId(d.request().userId() == null ? "" : d.request().userId())
                .setProjectId(d.request().projectId() == null ? "" : d.request().projectId())
                .build();
    }

    /**
     * A recorded drain, as a restarted conductor takes it back: the plan's rule from the recorded NIC, per-stream
     * bandwidth and stream limit with this conductor's margin; each guest as last recorded.
     */
    static Drain drain(DrainRecord r, double margin) {
        Drain.Request request = new Drain.Request(r.getDrainId(), r.getHost(), r.getReason(), r.getDryRun(),
                r.getDisableHost(), r.getUserId(), r.getProjectId());
        Instant created = Instant.ofEpochMilli(r.getCreatedAt());
        Instant updated = Instant.ofEpochMilli(r.getUpdatedAt());
        Instant ended = r.getEndedAt() > 0 ? Instant.ofEpochMilli(r.getEndedAt()) : null;
        DrainStatus status = Arrays.stream(DrainStatus.values()).filter(v -> v.wireName().equals(r.getStatus()))
                .findFirst().orElse(DrainStatus.FAILED);
        if (r.getNicBandwidthBytesPerSec() <= 0) {
            return new Drain(request, status, r.getSequence(), null, List.of(), created, updated, ended, r.getNote());
        }
        Bandwidth nic = Bandwidth.ofBytesPerSecond(r.getNicBandwidthBytesPerSec());
        StreamRule rule = new StreamRule(nic, margin, Math.max(1, r.getMaxStreams()),
                Bandwidth.ofBytesPerSecond(Math.max(0, r.getStreamBandwidthBytesPerSec())));
        List<DrainEntry> entries = new ArrayList<>();
        List<DrainPlan.Planned> planned = new ArrayList<>();
        List<DrainPlan.Excluded> excluded = new ArrayList<>();
        for (DrainedInstance i : r.getInstances()) {
            long memory = i.getMemoryMb() * MIB;
            Bandwidth dirty = Bandwidth.ofBytesPerSecond(i.getDirtyRateBytesPerSec());
            DrainCandidate vm = DrainCandidate.of(i.getInstanceUuid(), i.getName(), ByteSize.ofBytes(memory), dirty);
            Duration start = Duration.ofMillis(i.getPredictedStartMs());
            Duration takes = Duration.ofMillis(i.getPredictedDurationMs());
            MigrationStatus migration = Set.of("planned", "skipped").contains(i.getStatus()) ? null
                    : MigrationStatus.fromNovaName(i.getStatus());
            boolean over = migration != null && migration.isTerminal();
            entries.add(new DrainEntry(i.getInstanceUuid(), i.getName(), memory, dirty,
                    Bandwidth.ofBytesPerSecond(i.getNeededRateBytesPerSec()), i.getOrder(),
                    i.getMigratable() ? null : i.getReason(), start, takes, i.getMigrationUuid(), i.getMigrationId(),
                    migration, i.getDestHost(), i.getStartedAt() > 0 ? Instant.ofEpochMilli(i.getStartedAt()) : null,
                    i.getEndedAt() > 0 ? Instant.ofEpochMilli(i.getEndedAt()) : null, i.getDowntimeMs(),
                    i.getBytesSent(), over ? 0 : memory));
            if (i.getMigratable()) {
                planned.add(new DrainPlan.Planned(i.getOrder(), vm,
                        Bandwidth.ofBytesPerSecond(i.getNeededRateBytesPerSec()), start, takes, true));
            } else {
                excluded.add(new DrainPlan.Excluded(vm, i.getReason()));
            }
        }
        DrainPlan plan = new DrainPlan(r.getHost(), nic, rule, planned, excluded, Duration.ofMillis(r.getLowerBoundMs()),
                Duration.ofMillis(r.getPredictedTotalMs()), r.getMaxStreams());
        return new Drain(request, status, r.getSequence(), plan, entries, created, updated, ended, r.getNote());
    }

    private static DrainedInstance instance(DrainEntry e) {
        return DrainedInstance.newBuilder()
                .setInstanceUuid(e.instanceUuid()).setName(e.name()).setMemoryMb(e.memoryBytes() / MIB)
                .setDirtyRateBytesPerSec(e.dirtyRate().bytesPerSecond())
                .setNeededRateBytesPerSec(e.needed().bytesPerSecond())
                .setOrder(e.order()).setMigratable(e.migrated()).setReason(e.blocker())
                .setPredictedStartMs(e.predictedStart().toMillis()).setPredictedDurationMs(e.predictedDuration().toMillis())
                .setMigrationUuid(e.migrationUuid()).setMigrationId(e.migrationId())
                .setStatus(!e.migrated() ? "skipped" : e.status() == null ? "planned" : e.status().novaName())
                .setDestHost(e.destHost())
                .setStartedAt(e.startedAt() == null ? 0 : e.startedAt().toEpochMilli())
                .setEndedAt(e.endedAt() == null ? 0 : e.endedAt().toEpochMilli())
                .setDowntimeMs(e.downtimeMillis()).setBytesSent(e.bytesSent())
                .build();
    }
}

package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.domain.drain.Drain;
import io.ferry.conductor.domain.drain.DrainEntry;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.DrainedInstance;
import java.time.Instant;

/** Maps a drain to its record on {@code ferry.drains}: the one mapper of that topic. */
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
                .setInstances(d.entries().stream().map(DrainMessages::instance).toList())
                .setTotal(d.total()).setDone(d.done()).setCompleted(d.completed()).setFailed(d.failed())
                .setLowerBoundMs(d.plan() == null ? 0 : d.plan().lowerBound().toMillis())
                .setPredictedTotalMs(d.plan() == null ? 0 : d.plan().predictedTotal().toMillis())
                .setPredictedRemainingMs(d.predictedRemaining().toMillis())
                .setElapsedMs(d.elapsed(now).toMillis())
                .setCreatedAt(d.createdAt().toEpochMilli()).setUpdatedAt(d.updatedAt().toEpochMilli())
                .setEndedAt(d.endedAt() == null ? 0 : d.endedAt().toEpochMilli())
                .setUserId(d.request().userId() == null ? "" : d.request().userId())
                .setProjectId(d.request().projectId() == null ? "" : d.request().projectId())
                .build();
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

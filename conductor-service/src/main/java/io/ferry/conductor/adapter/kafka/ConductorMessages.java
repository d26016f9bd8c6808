package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.domain.AgentStep;
import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.JobFigures;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationInput;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.migration.DirtyRateMeasurement;
import io.ferry.schemas.migration.HostStep;
import io.ferry.schemas.migration.JobOutcome;
import io.ferry.schemas.migration.MigrationJobEnded;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import io.ferry.schemas.migration.StepOutcome;
import io.ferry.conductor.domain.LastDecision;
import io.ferry.conductor.domain.MigrationStatus;
import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ByteSize;
import io.ferry.conductor.domain.convergence.MeasuredDirtyRate;
import io.ferry.conductor.domain.convergence.MigrationPhase;
import io.ferry.conductor.domain.convergence.ProgressReading;
import java.time.Duration;
import java.time.Instant;

/** Maps between the conductor's domain and the Avro messages it reads and writes. */
final class ConductorMessages {

    static final String PRODUCER = "conductor";

    private ConductorMessages() {
    }

    static Instance instance(InstanceSpec spec) {
        return new Instance(spec.getUuid(), spec.getName(), spec.getMemoryMb(), spec.getVcpus(), spec.getDiskGb(),
                spec.getProjectId(), spec.getUserId());
    }

    /** The full spec for a migration's instance: the one the source reported, or one built from the domain's. */
    static InstanceSpec spec(Instance instance, InstanceSpec reported) {
        if (reported != null) {
            return reported;
        }
        return InstanceSpec.newBuilder().setUuid(instance.uuid()).setName(instance.name())
                .setProjectId(instance.projectId()).setUserId(instance.userId())
                .setMemoryMb(instance.memoryMb()).setVcpus(instance.vcpus()).setDiskGb(instance.diskGb())
                .setAvailabilityZone(null).setCpuModel(null).setServerGroup(null).setWorkload(null).build();
    }

    static MigrationRecord record(Migration m, InstanceSpec spec, String causationId) {
        JobFigures f = m.figures();
        LastDecision d = m.lastDecision();
        return MigrationRecord.newBuilder()
                .setEnvelope(Envelopes.of(m.uuid(), causationId, m.updatedAt().toEpochMilli(), PRODUCER))
                .setId(m.id()).setUuid(m.uuid()).setInstance(spec(m.instance(), spec))
                .setStatus(m.status().novaName()).setSequence(m.sequence())
                .setSourceHost(m.sourceHost()).setSourceNode(m.sourceHost())
                .setDestHost(m.destHost()).setDestNode(m.destHost()).setRequestedHost(m.requestedHost())
                .setBlockMigration(m.blockMigration())
                .setMemoryTotalBytes(f.memoryTotalBytes()).setMemoryProcessedBytes(f.memoryProcessedBytes())
                .setMemoryRemainingBytes(f.memoryRemainingBytes())
                .setDiskTotalBytes(f.diskTotalBytes()).setDiskProcessedBytes(f.diskProcessedBytes())
                .setDiskRemainingBytes(f.diskRemainingBytes())
                .setDowntimeLimitMs(f.downtimeLimitMillis()).setDowntimeMs(f.downtimeMillis())
                .setThrottlePercent(f.throttlePercent()).setPostCopy(f.postCopy())
                .setCreatedAt(m.createdAt().toEpochMilli()).setUpdatedAt(m.updatedAt().toEpochMilli())
                .setUserId(m.instance().userId()).setProjectId(m.instance().projectId())
                .setReason(m.reason()).setVmLocation(m.vmLocation()).setOperatorAction(m.operatorAction())
                .setAwaiting(m.awaiting() == null ? null : m.awaiting().name())
                .setDestinationPrepared(m.destinationPrepared()).setDestinationActivated(m.destinationActivated())
                .setSourceCleaned(m.sourceCleaned()).setAlternates(m.alternates()).setTriedHosts(m.triedHosts())
                .setDecision(d == null ? null : d.kind()).setDecisionReason(d == null ? null : d.reason())
                .setDecisionDowntimeMs(d == null || d.downtime() == null ? 0 : d.downtime().toMillis())
                .setAbortReason(m.abortReason()).setQueuePosition(m.queuePosition())
                .build();
    }

    /** A recorded migration, as a restarted conductor takes it back (the policy state restarts at the next reading). */
    static Migration migration(MigrationRecord r) {
        LastDecision decision = r.getDecision() == null ? null : new LastDecision(r.getDecision(),
                r.getDecisionReason() == null ? "" : r.getDecisionReason(),
                r.getDecisionDowntimeMs() > 0 ? Duration.ofMillis(r.getDecisionDowntimeMs()) : null,
                Instant.ofEpochMilli(r.getUpdatedAt()));
        JobFigures figures = new JobFigures(r.getMemoryTotalBytes(), r.getMemoryProcessedBytes(),
                r.getMemoryRemainingBytes(), r.getDiskTotalBytes(), r.getDiskProcessedBytes(), r.getDiskRemainingBytes(),
                r.getDowntimeLimitMs(), r.getDowntimeMs(), r.getThrottlePercent(), r.getPostCopy());
        return new Migration(r.getId(), r.getUuid(), instance(r.getInstance()), MigrationStatus.fromNovaName(r.getStatus()),
                r.getSequence(), r.getSourceHost(), r.getDestHost(), r.getRequestedHost(), false, r.getBlockMigration(),
                figures, Instant.ofEpochMilli(r.getCreatedAt()), Instant.ofEpochMilli(r.getUpdatedAt()), r.getReason(),
                r.getVmLocation(), r.getOperatorAction(), r.getAwaiting() == null ? null : AgentStep.valueOf(r.getAwaiting()),
                r.getDestinationPrepared(), r.getDestinationActivated(), r.getSourceCleaned(), r.getAlternates(),
                r.getTriedHosts(), decision, r.getAbortReason(), r.getQueuePosition(), null);
    }

    static ProgressReading reading(MigrationProgress p) {
        MigrationPhase phase = switch (p.getPhase()) {
            case POST_COPY -> MigrationPhase.POST_COPY;
            case PAUSED -> MigrationPhase.PAUSED;
            case SETUP, PRE_COPY, COMPLETED, FAILED, CANCELLED, UNKNOWN -> MigrationPhase.PRE_COPY;
        };
        return new ProgressReading(Instant.ofEpochMilli(p.getReadingTime()), Duration.ofMillis(Math.max(0, p.getElapsedMs())),
                Math.max(0, p.getIteration()), bytes(p.getMemoryTotalBytes()), bytes(p.getMemoryProcessedBytes()),
                bytes(p.getMemoryRemainingBytes()), bytes(p.getDiskTotalBytes()), bytes(p.getDiskProcessedBytes()),
                bytes(p.getDiskRemainingBytes()), Bandwidth.ofBytesPerSecond(Math.max(0, p.getDirtyRateBytesPerSec())),
                Bandwidth.ofBytesPerSecond(Math.max(0, p.getBandwidthBytesPerSec())),
                Duration.ofMillis(Math.max(0, p.getDowntimeLimitMs())),
                Duration.ofMillis(Math.max(0, Math.min(p.getExpectedDowntimeMs(), Long.MAX_VALUE / 1_000_000))),
                Math.clamp(p.getThrottlePercent(), 0, 100), phase, measured(p.getMeasuredDirtyRate()));
    }

    /** A measurement with no positive period says nothing: it is left out. */
    private static MeasuredDirtyRate measured(DirtyRateMeasurement m) {
        if (m == null || m.getPeriodMs() <= 0) {
            return null;
        }
        return new MeasuredDirtyRate(Bandwidth.ofBytesPerSecond(Math.max(0, m.getBytesPerSec())),
                Instant.ofEpochMilli(m.getStartedAt()), Duration.ofMillis(m.getPeriodMs()));
    }

    private static ByteSize bytes(long value) {
        return ByteSize.ofBytes(Math.max(0, value));
    }

    static AgentStep step(HostStep step) {
        return step == HostStep.UNKNOWN ? null : AgentStep.valueOf(step.name());
    }

    static MigrationInput.AgentReplied reply(io.ferry.schemas.migration.AgentReply reply, Instant now) {
        return new MigrationInput.AgentReplied(reply.getHost(), step(reply.getStep()),
                reply.getOutcome() == StepOutcome.DONE, reply.getReason(), now);
    }

    static MigrationInput.JobEnded jobEnded(MigrationJobEnded e, JobFigures previous, Instant now) {
        JobFigures figures = new JobFigures(e.getMemoryTotalBytes(), e.getMemoryTransferredBytes(),
                Math.max(0, e.getMemoryTotalBytes() - e.getMemoryTransferredBytes()), e.getDiskTotalBytes(),
                e.getDiskTransferredBytes(), Math.max(0, e.getDiskTotalBytes() - e.getDiskTransferredBytes()),
                previous.downtimeLimitMillis(), e.getDowntimeMs(), previous.throttlePercent(), e.getPostCopy());
        MigrationInput.JobOutcome outcome = switch (e.getOutcome()) {
            case COMPLETED -> MigrationInput.JobOutcome.COMPLETED;
            case CANCELLED -> MigrationInput.JobOutcome.CANCELLED;
            case GUEST_LOST -> MigrationInput.JobOutcome.GUEST_LOST;
            case FAILED, UNKNOWN -> MigrationInput.JobOutcome.FAILED;
        };
        return new MigrationInput.JobEnded(outcome, e.getReason(), figures, now);
    }

    static boolean isKnown(JobOutcome outcome) {
        return outcome != JobOutcome.UNKNOWN;
    }
}

package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.domain.AgentStep;
import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.JobFigures;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationInput;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.migration.HostStep;
import io.ferry.schemas.migration.JobOutcome;
import io.ferry.schemas.migration.MigrationJobEnded;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import io.ferry.schemas.migration.StepOutcome;
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
                .build();
    }

    static AgentStep step(HostStep step) {
        return step == HostStep.UNKNOWN ? null : AgentStep.valueOf(step.name());
    }

    static MigrationInput.AgentReplied reply(io.ferry.schemas.migration.AgentReply reply, Instant now) {
        return new MigrationInput.AgentReplied(reply.getHost(), step(reply.getStep()),
                reply.getOutcome() == StepOutcome.DONE, reply.getReason(), now);
    }

    static JobFigures figures(MigrationProgress p) {
        return new JobFigures(p.getMemoryTotalBytes(), p.getMemoryProcessedBytes(), p.getMemoryRemainingBytes(),
                p.getDiskTotalBytes(), p.getDiskProcessedBytes(), p.getDiskRemainingBytes(), p.getDowntimeLimitMs(),
                0, p.getThrottlePercent(), p.getPhase() == io.ferry.schemas.migration.JobPhase.POST_COPY);
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

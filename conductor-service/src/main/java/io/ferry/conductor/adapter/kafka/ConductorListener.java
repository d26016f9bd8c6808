package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.ConductorService;
import io.ferry.conductor.domain.JobFigures;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationInput;
import io.ferry.conductor.domain.drain.Drain;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.PoisonMessageException;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.InstanceState;
import io.ferry.schemas.migration.AbortDrain;
import io.ferry.schemas.migration.AbortMigration;
import io.ferry.schemas.migration.AgentReply;
import io.ferry.schemas.migration.BlockMigration;
import io.ferry.schemas.migration.DrainHost;
import io.ferry.schemas.migration.ForceCompleteMigration;
import io.ferry.schemas.migration.LiveMigrate;
import io.ferry.schemas.migration.MigrationJobEnded;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.scheduler.DestinationClaimed;
import io.ferry.schemas.scheduler.NoValidHost;
import java.time.Clock;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The conductor's inbound edge: commands, scheduler replies, agent progress and replies, host events. */
public class ConductorListener {

    private final ConductorService conductor;
    private final HostDirectory directory;
    private final Clock clock;
    private final HostHeartbeats heartbeats;

    public ConductorListener(ConductorService conductor, HostDirectory directory, Clock clock,
                             HostHeartbeats heartbeats) {
        this.conductor = conductor;
        this.directory = directory;
        this.clock = clock;
        this.heartbeats = heartbeats;
    }

    /** {@code ferry.migration.commands}. */
    public void onCommand(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        Instant now = clock.instant();
        switch (message) {
            case LiveMigrate c -> {
                require(c.getMigrationUuid(), "migrationUuid");
                require(c.getInstanceUuid(), "instanceUuid");
                Boolean block = c.getBlockMigration() == BlockMigration.YES ? Boolean.TRUE
                        : c.getBlockMigration() == BlockMigration.NO ? Boolean.FALSE : null;
                conductor.liveMigrate(new ConductorService.LiveMigrateRequest(
                        Topics.migrationId(record.partition(), record.offset()), c.getMigrationUuid(),
                        c.getInstanceUuid(), c.getTargetHost(), block, c.getForce(), c.getUserId(), c.getProjectId()),
                        c.getEnvelope().getMessageId());
            }
            case AbortMigration c -> conductor.handle(c.getMigrationUuid(), new MigrationInput.AbortRequested(now),
                    c.getEnvelope().getMessageId());
            case ForceCompleteMigration c -> conductor.handle(c.getMigrationUuid(),
                    new MigrationInput.ForceCompleteRequested(now), c.getEnvelope().getMessageId());
            case DrainHost c -> {
                require(c.getHost(), "host");
                String messageId = c.getEnvelope().getMessageId();
                String drainId = c.getDrainId() == null || c.getDrainId().isBlank() ? messageId : c.getDrainId();
                conductor.drainHost(new Drain.Request(drainId, c.getHost(), c.getReason(), c.getDryRun(),
                        c.getDisableHost(), c.getUserId(), c.getProjectId()), messageId);
            }
            case AbortDrain c -> {
                require(c.getDrainId(), "drainId");
                conductor.abortDrain(c.getDrainId(), c.getReason(), c.getAbortRunning(), c.getEnvelope().getMessageId());
            }
            default -> throw new IllegalStateException("unexpected " + message.getClass().getSimpleName());
        }
    }

    /** {@code ferry.scheduler.replies}. */
    public void onSchedulerReply(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        Instant now = clock.instant();
        switch (message) {
            case DestinationClaimed c -> conductor.handle(c.getMigrationUuid(),
                    new MigrationInput.DestinationClaimed(c.getHost(), c.getAlternates(), now),
                    c.getEnvelope().getMessageId());
            case NoValidHost c -> conductor.handle(c.getMigrationUuid(), new MigrationInput.NoValidHost(c.getReason(), now),
                    c.getEnvelope().getMessageId());
            default -> throw new IllegalStateException("unexpected " + message.getClass().getSimpleName());
        }
    }

    /** {@code ferry.migration.progress}. */
    public void onProgress(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        Instant now = clock.instant();
        switch (message) {
            case MigrationProgress p -> {
                heartbeats.heard(p.getHost());
                conductor.handle(p.getMigrationUuid(),
                    new MigrationInput.Progress(ConductorMessages.reading(p), now), p.getEnvelope().getMessageId());
            }
            case AgentReply r -> {
                heartbeats.heard(r.getHost());
                if (ConductorMessages.step(r.getStep()) != null) {
                    conductor.handle(r.getMigrationUuid(), ConductorMessages.reply(r, now), r.getEnvelope().getMessageId());
                }
            }
            case MigrationJobEnded e -> {
                heartbeats.heard(e.getHost());
                JobFigures previous = conductor.migration(e.getMigrationUuid()).map(Migration::figures)
                        .orElse(JobFigures.NONE);
                conductor.handle(e.getMigrationUuid(), ConductorMessages.jobEnded(e, previous, now),
                        e.getEnvelope().getMessageId());
            }
            default -> throw new IllegalStateException("unexpected " + message.getClass().getSimpleName());
        }
    }

    /** {@code ferry.host.events}. */
    public void onHostEvent(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        switch (message) {
            case HostInventory inventory -> {
                heartbeats.heard(inventory.getHost());
                directory.apply(inventory);
            }
            case InstanceState state -> {
                heartbeats.heard(state.getHost());
                directory.apply(state);
            }
            default -> throw new IllegalStateException("unexpected " + message.getClass().getSimpleName());
        }
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new PoisonMessageException(PoisonMessageException.Reason.INVALID, field + " is empty");
        }
    }
}

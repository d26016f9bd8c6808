package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.DrainPort;
import io.ferry.conductor.domain.drain.Drain;
import io.ferry.conductor.domain.drain.DrainEntry;
import io.ferry.messaging.MessagePublisher;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.LiveMigrate;
import java.time.Clock;

/**
 * Records drains on the compacted {@code ferry.drains} topic (keyed by drain id) and publishes a drain's migrations
 * as {@code LiveMigrate} commands tagged with the drain id on {@code ferry.migration.commands}, waiting for the
 * broker's ack each time.
 */
public class KafkaDrains implements DrainPort {

    private final MessagePublisher publisher;
    private final Clock clock;

    public KafkaDrains(MessagePublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void record(Drain drain, String causationId) {
        publisher.sendAndWait(Topics.DRAINS, drain.id(), DrainMessages.record(drain, causationId, clock.instant()));
    }

    @Override
    public void requestMigration(Drain drain, DrainEntry entry, String causationId) {
        publisher.sendAndWait(Topics.MIGRATION_COMMANDS, entry.instanceUuid(), LiveMigrate.newBuilder()
                .setEnvelope(Envelopes.of(entry.migrationUuid(), causationId, clock.millis(), ConductorMessages.PRODUCER))
                .setMigrationUuid(entry.migrationUuid()).setInstanceUuid(entry.instanceUuid())
                .setTargetHost(null).setForce(false)
                .setUserId(drain.request().userId() == null ? "" : drain.request().userId())
                .setProjectId(drain.request().projectId() == null ? "" : drain.request().projectId())
                .setRequestId(null).setDrainId(drain.id())
                .build());
    }
}

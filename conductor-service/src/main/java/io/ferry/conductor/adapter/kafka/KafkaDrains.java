package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.DrainPort;
import io.ferry.conductor.domain.drain.Drain;
import io.ferry.conductor.domain.drain.DrainEntry;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.host.SetServiceStatus;
import io.ferry.schemas.migration.LiveMigrate;
import java.time.Clock;
import java.util.List;

/**
 * Records drains on the compacted {@code ferry.drains} topic (keyed by drain id) and publishes a drain's migrations
 * as {@code LiveMigrate} commands tagged with the drain id on {@code ferry.migration.commands}, which leave once the
 * drain's record is stored ({@link PublishPipeline}).
 */
public class KafkaDrains implements DrainPort {

    private final PublishPipeline publisher;
    private final Clock clock;

    public KafkaDrains(PublishPipeline publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void disableHost(String host, String reason, String causationId) {
        publisher.command(Topics.hostCommands(host), host, SetServiceStatus.newBuilder()
                .setEnvelope(Envelopes.of(host, causationId, clock.millis(), "conductor"))
                .setHost(host).setEnabled(false).setDisabledReason(reason).setForcedDown(null).build());
    }

    @Override
    public void record(Drain drain, String causationId) {
        publisher.record(Topics.DRAINS, drain.id(), DrainMessages.record(drain, causationId, clock.instant()));
    }

    @Override
    public void requestMigrations(Drain drain, List<DrainEntry> entries, String causationId) {
        entries.forEach(e -> publisher.command(Topics.MIGRATION_COMMANDS, e.instanceUuid(),
                liveMigrate(drain, e, causationId)));
    }

    private LiveMigrate liveMigrate(Drain drain, DrainEntry entry, String causationId) {
        return LiveMigrate.newBuilder()
                .setEnvelope(Envelopes.of(entry.migrationUuid(), causationId, clock.millis(), ConductorMessages.PRODUCER))
                .setMigrationUuid(entry.migrationUuid()).setInstanceUuid(entry.instanceUuid())
                .setTargetHost(null).setForce(false)
                .setUserId(drain.request().userId() == null ? "" : drain.request().userId())
                .setProjectId(drain.request().projectId() == null ? "" : drain.request().projectId())
                .setRequestId(null).setDrainId(drain.id())
                .build();
    }
}

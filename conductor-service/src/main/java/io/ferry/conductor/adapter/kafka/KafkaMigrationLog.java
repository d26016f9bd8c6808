package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.MigrationLog;
import io.ferry.conductor.domain.Migration;
import io.ferry.schemas.Topics;

/**
 * Records every transition on the compacted {@code ferry.migrations} topic; the commands issued after it leave only
 * once it is stored ({@link PublishPipeline}).
 */
public class KafkaMigrationLog implements MigrationLog {

    private final PublishPipeline publisher;
    private final DirectoryFleetView fleet;

    public KafkaMigrationLog(PublishPipeline publisher, DirectoryFleetView fleet) {
        this.publisher = publisher;
        this.fleet = fleet;
    }

    @Override
    public void record(Migration migration, String causationId) {
        publisher.record(Topics.MIGRATIONS, migration.uuid(),
                ConductorMessages.record(migration, fleet.spec(migration.instance().uuid()), causationId));
    }
}

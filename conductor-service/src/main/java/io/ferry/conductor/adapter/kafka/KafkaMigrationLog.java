package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.MigrationLog;
import io.ferry.conductor.domain.Migration;
import io.ferry.messaging.MessagePublisher;
import io.ferry.schemas.Topics;

/** Records every transition on the compacted {@code ferry.migrations} topic and waits for the broker's ack. */
public class KafkaMigrationLog implements MigrationLog {

    private final MessagePublisher publisher;
    private final DirectoryFleetView fleet;

    public KafkaMigrationLog(MessagePublisher publisher, DirectoryFleetView fleet) {
        this.publisher = publisher;
        this.fleet = fleet;
    }

    @Override
    public void record(Migration migration, String causationId) {
        publisher.sendAndWait(Topics.MIGRATIONS, migration.uuid(),
                ConductorMessages.record(migration, fleet.spec(migration.instance().uuid()), causationId));
    }
}

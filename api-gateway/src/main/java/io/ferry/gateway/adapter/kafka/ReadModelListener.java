package io.ferry.gateway.adapter.kafka;

import io.ferry.gateway.app.DrainView;
import io.ferry.gateway.app.MigrationView;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.InstanceState;
import io.ferry.schemas.migration.AgentReply;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.MigrationJobEnded;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Feeds the gateway's read models from host events, migration records, progress and drain records. */
public class ReadModelListener {

    private final HostDirectory hosts;
    private final MigrationView migrations;
    private final DrainView drains;

    public ReadModelListener(HostDirectory hosts, MigrationView migrations, DrainView drains) {
        this.hosts = hosts;
        this.migrations = migrations;
        this.drains = drains;
    }

    public void handle(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        switch (message) {
            case HostInventory inventory -> hosts.apply(inventory);
            case InstanceState state -> hosts.apply(state);
            case MigrationRecord migration -> migrations.apply(migration);
            case MigrationProgress progress -> migrations.apply(progress);
            case DrainRecord drain -> drains.apply(drain);
            case AgentReply reply -> { }
            case MigrationJobEnded ended -> { }
            default -> throw new IllegalStateException("unexpected " + message.getClass().getSimpleName());
        }
    }
}

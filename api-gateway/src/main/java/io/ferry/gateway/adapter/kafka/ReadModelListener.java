package io.ferry.gateway.adapter.kafka;

import io.ferry.gateway.app.MigrationView;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.InstanceState;
import io.ferry.schemas.migration.AgentReply;
import io.ferry.schemas.migration.MigrationJobEnded;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Feeds the gateway's read models from host events, migration records and progress. */
public class ReadModelListener {

    private final HostDirectory hosts;
    private final MigrationView migrations;

    public ReadModelListener(HostDirectory hosts, MigrationView migrations) {
        this.hosts = hosts;
        this.migrations = migrations;
    }

    public void handle(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        switch (message) {
            case HostInventory inventory -> hosts.apply(inventory);
            case InstanceState state -> hosts.apply(state);
            case MigrationRecord migration -> migrations.apply(migration);
            case MigrationProgress progress -> migrations.apply(progress);
            case AgentReply reply -> { }
            case MigrationJobEnded ended -> { }
            default -> throw new IllegalStateException("unexpected " + message.getClass().getSimpleName());
        }
    }
}

package io.ferry.scheduler.adapter.kafka;

import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.scheduler.app.FirstFitScheduler;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.InstanceState;
import io.ferry.schemas.migration.MigrationRecord;
import io.ferry.schemas.scheduler.DestinationClaimed;
import io.ferry.schemas.scheduler.FilterOutcome;
import io.ferry.schemas.scheduler.NoValidHost;
import io.ferry.schemas.scheduler.SelectDestination;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The scheduler's Kafka edge: requests in, decisions out; host events and migration records feed its view. */
public class SchedulerListener {

    private static final Logger log = LoggerFactory.getLogger(SchedulerListener.class);
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "error");

    private final FirstFitScheduler scheduler;
    private final HostDirectory directory;
    private final MessagePublisher publisher;
    private final Clock clock;

    public SchedulerListener(FirstFitScheduler scheduler, HostDirectory directory, MessagePublisher publisher,
                             Clock clock) {
        this.scheduler = scheduler;
        this.directory = directory;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** {@code ferry.scheduler.requests}. */
    public void onRequest(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        SelectDestination request = (SelectDestination) message;
        Set<String> ignore = new HashSet<>(request.getIgnoreHosts());
        var decision = scheduler.select(request.getMigrationUuid(), request.getInstance(), request.getSourceHost(),
                request.getForcedHost(), ignore, request.getMaxAlternates());
        var envelope = Envelopes.causedBy(request.getEnvelope(), clock.millis(), "scheduler");
        SpecificRecordBase reply = switch (decision) {
            case FirstFitScheduler.Claimed claimed -> {
                log.info("migration {}: claimed {} (alternates {})", request.getMigrationUuid(), claimed.host(),
                        claimed.alternates());
                yield DestinationClaimed.newBuilder().setEnvelope(envelope)
                        .setMigrationUuid(request.getMigrationUuid()).setHost(claimed.host()).setNode(claimed.host())
                        .setAlternates(claimed.alternates()).build();
            }
            case FirstFitScheduler.NoValidHost none -> {
                log.info("migration {}: {}", request.getMigrationUuid(), none.reason());
                yield NoValidHost.newBuilder().setEnvelope(envelope).setMigrationUuid(request.getMigrationUuid())
                        .setReason(none.reason())
                        .setFilters(none.removed().entrySet().stream().map(e -> FilterOutcome.newBuilder()
                                .setFilter(e.getKey()).setHostsBefore(e.getValue()[0]).setHostsAfter(e.getValue()[1])
                                .build()).toList())
                        .build();
            }
        };
        publisher.sendAndWait(Topics.SCHEDULER_REPLIES, request.getMigrationUuid(), reply);
    }

    /** {@code ferry.host.events} and {@code ferry.migrations}. */
    public void onState(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        switch (message) {
            case HostInventory inventory -> directory.apply(inventory);
            case InstanceState state -> directory.apply(state);
            case MigrationRecord migration -> {
                if (TERMINAL.contains(migration.getStatus())) {
                    scheduler.release(migration.getUuid());
                }
            }
            default -> throw new IllegalStateException("unexpected " + message.getClass().getSimpleName());
        }
    }
}

package io.ferry.scheduler.adapter.kafka;

import io.ferry.messaging.MessagePublisher;
import io.ferry.scheduler.app.FleetProjection;
import io.ferry.scheduler.app.MigrationEnd;
import io.ferry.scheduler.app.SchedulingService;
import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.PoisonMessageException;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.InstanceState;
import io.ferry.schemas.migration.MigrationRecord;
import io.ferry.schemas.scheduler.ClaimRecord;
import io.ferry.schemas.scheduler.ClaimState;
import io.ferry.schemas.scheduler.SelectDestination;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The scheduler's Kafka edge: {@code SelectDestination} in, {@code DestinationClaimed} or {@code NoValidHost} out;
 * host reports, migration records and the claims log feed its state.
 */
public class SchedulerListener {

    private static final Logger log = LoggerFactory.getLogger(SchedulerListener.class);

    private final SchedulingService scheduling;
    private final FleetProjection fleet;
    private final SchedulerDefaults defaults;
    private final MessagePublisher publisher;
    private final Clock clock;
    private final MeterRegistry registry;

    /** With {@code ferry_scheduler_decision_seconds{outcome="claimed"|"refused"}} recorded in {@code registry}. */
    public SchedulerListener(SchedulingService scheduling, FleetProjection fleet, SchedulerDefaults defaults,
                             MessagePublisher publisher, Clock clock, MeterRegistry registry) {
        this.scheduling = scheduling;
        this.fleet = fleet;
        this.defaults = defaults;
        this.publisher = publisher;
        this.clock = clock;
        this.registry = registry;
    }

    /** {@code ferry.scheduler.requests}. */
    public void onRequest(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        SelectDestination request = (SelectDestination) message;
        String uuid = request.getMigrationUuid();
        if (uuid == null || uuid.isBlank()) {
            throw new PoisonMessageException(PoisonMessageException.Reason.INVALID, "migrationUuid is empty");
        }
        MDC.put("migration", uuid);
        try {
            long started = System.nanoTime();
            SchedulingService.Outcome outcome = decide(request);
            long nanos = System.nanoTime() - started;
            double millis = nanos / 1e6;
            Timer.builder("ferry.scheduler.decision").description("filter, weigh and claim one destination")
                    .tag("outcome", outcome instanceof SchedulingService.Claimed ? "claimed" : "refused")
                    .publishPercentiles(0.5, 0.99).register(registry).record(nanos, TimeUnit.NANOSECONDS);
            switch (outcome) {
                case SchedulingService.Claimed c -> log.info("migration {}: claimed {} (alternates {}) in {} ms",
                        uuid, c.host(), c.alternates(), String.format(java.util.Locale.ROOT, "%.2f", millis));
                case SchedulingService.Refused r -> log.info("migration {}: {}", uuid, r.reason());
            }
            publisher.sendAndWait(Topics.SCHEDULER_REPLIES, uuid, reply(request, outcome));
        } finally {
            MDC.remove("migration");
        }
    }

    private SchedulingService.Outcome decide(SelectDestination request) {
        RequestSpec spec;
        try {
            spec = SchedulerMessages.request(request, fleet, defaults);
        } catch (IllegalArgumentException e) {
            return new SchedulingService.Refused("No valid host was found: the request cannot be scheduled: "
                    + e.getMessage(), List.of(), false);
        }
        return scheduling.place(SchedulerMessages.migrationId(request.getMigrationUuid()), spec);
    }

    private SpecificRecordBase reply(SelectDestination request, SchedulingService.Outcome outcome) {
        long now = clock.millis();
        return switch (outcome) {
            case SchedulingService.Claimed c -> SchedulerMessages.claimed(request.getEnvelope(),
                    request.getMigrationUuid(), c, now);
            case SchedulingService.Refused r -> SchedulerMessages.noValidHost(request.getEnvelope(),
                    request.getMigrationUuid(), r, now);
        };
    }

    /** {@code ferry.host.events}, {@code ferry.migrations} and {@code ferry.scheduler.claims}. */
    public void onState(SpecificRecordBase message, ConsumerRecord<String, byte[]> record) {
        switch (message) {
            case HostInventory inventory -> {
                try {
                    scheduling.hostReported(SchedulerMessages.report(inventory, defaults));
                } catch (IllegalArgumentException e) {
                    throw new PoisonMessageException(PoisonMessageException.Reason.INVALID,
                            "inventory of " + inventory.getHost() + ": " + e.getMessage(), e);
                }
            }
            // a single instance change carries no usage figures: the scheduler takes a host's instances and its
            // usage only together, from full reports, so that the two always agree
            case InstanceState ignored -> { }
            case MigrationRecord migration -> MigrationEnd.ofNovaStatus(migration.getStatus()).ifPresent(end ->
                    scheduling.migrationEnded(SchedulerMessages.migrationId(migration.getUuid()), end,
                            Instant.ofEpochMilli(migration.getUpdatedAt()),
                            migration.getDestHost() == null || migration.getDestHost().isBlank() ? null
                                    : HostName.of(migration.getDestHost())));
            case ClaimRecord claim -> {
                if (claim.getStatus() == ClaimState.UNKNOWN) {
                    log.debug("skipping claim {} with a status this scheduler does not know", claim.getMigrationUuid());
                } else {
                    scheduling.recover(SchedulerMessages.claim(claim));
                }
            }
            default -> throw new IllegalStateException("unexpected " + message.getClass().getSimpleName());
        }
    }
}

package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.DrainPort;
import io.ferry.conductor.domain.drain.Drain;
import io.ferry.conductor.domain.drain.DrainEntry;
import io.ferry.messaging.MessagePublisher;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.host.SetServiceStatus;
import io.ferry.schemas.migration.LiveMigrate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Records drains on the compacted {@code ferry.drains} topic (keyed by drain id) and publishes a drain's migrations
 * as {@code LiveMigrate} commands tagged with the drain id on {@code ferry.migration.commands} (all sent at once,
 * then awaited).
 */
public class KafkaDrains implements DrainPort {

    private final MessagePublisher publisher;
    private final Clock clock;

    public KafkaDrains(MessagePublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void disableHost(String host, String reason, String causationId) {
        publisher.sendAndWait(Topics.hostCommands(host), host, SetServiceStatus.newBuilder()
                .setEnvelope(Envelopes.of(host, causationId, clock.millis(), "conductor"))
                .setHost(host).setEnabled(false).setDisabledReason(reason).setForcedDown(null).build());
    }

    @Override
    public void record(Drain drain, String causationId) {
        publisher.sendAndWait(Topics.DRAINS, drain.id(), DrainMessages.record(drain, causationId, clock.instant()));
    }

    @Override
    public void requestMigrations(Drain drain, List<DrainEntry> entries, String causationId) {
        List<CompletableFuture<?>> sent = entries.stream()
                .<CompletableFuture<?>>map(e -> publisher.send(Topics.MIGRATION_COMMANDS, e.instanceUuid(),
                        liveMigrate(drain, e, causationId)))
                .toList();
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagePublisher.PublishFailedException("interrupted while publishing drain " + drain.id(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new MessagePublisher.PublishFailedException("cannot publish the migrations of drain " + drain.id()
                    + ": " + e.getMessage(), e);
        }
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

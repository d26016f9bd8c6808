package io.ferry.deploy;

import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.migration.DrainHost;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.LiveMigrate;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Ferry cluster to drain a host on, with an operator's eye on the topics: publishes the commands an operator (or
 * {@code nova host-evacuate-live}) would, and follows the migration records, drain records, progress readings and
 * host inventories as they arrive. Used by {@code ./ferry demo} and {@code ./ferry bench drain}.
 */
public final class DrainSession implements AutoCloseable {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "error");

    private final FerryCluster cluster;
    private final double speed;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile Consumer<SpecificRecordBase> listener = m -> { };
    private final Map<String, HostInventory> inventories = new ConcurrentHashMap<>();
    private final Map<String, MigrationRecord> migrations = new ConcurrentHashMap<>();
    private final Map<String, Long> preparingAt = new ConcurrentHashMap<>();
    private final Map<String, DrainRecord> drains = new ConcurrentHashMap<>();
    private final Map<String, MigrationProgress> progress = new ConcurrentHashMap<>();

    private DrainSession(FerryCluster cluster, double speed) {
        this.cluster = cluster;
        this.speed = speed;
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                "group.id", "ferry-drain-session-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.HOST_EVENTS, Topics.MIGRATIONS, Topics.DRAINS, Topics.MIGRATION_PROGRESS));
        this.reader = Thread.ofPlatform().daemon().name("drain-session").start(this::read);
    }

    /** Starts a cluster (embedded broker on a free port, no fixed gateway port) with the fleet at the sim speed. */
    public static DrainSession start(Path data, SimFleet fleet, double speed, Map<String, Object> properties) {
        FerryCluster cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0)
                .withGatewayPort(0).withFleet(fleet).withSimSpeed(speed).withProperties(properties));
        return new DrainSession(cluster, speed);
    }

    /** Called on the reader thread with every message as it arrives. */
    public void onMessage(Consumer<SpecificRecordBase> newListener) {
        this.listener = newListener;
    }

    public double speed() {
        return speed;
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    SpecificRecordBase message;
                    try {
                        message = FerryCodec.decode(record.value());
                    } catch (RuntimeException e) {
                        continue;
                    }
                    switch (message) {
                        case HostInventory i -> inventories.merge(i.getHost(), i, (a, b) ->
                                b.getEnvelope().getEventTime() >= a.getEnvelope().getEventTime() ? b : a);
                        case MigrationRecord m -> {
                            migrations.merge(m.getUuid(), m, (a, b) -> b.getSequence() >= a.getSequence() ? b : a);
                            if ("preparing".equals(m.getStatus())) {
                                preparingAt.putIfAbsent(m.getUuid(), m.getUpdatedAt());
                            }
                        }
                        case DrainRecord d -> drains.merge(d.getDrainId(), d,
                                (a, b) -> b.getSequence() >= a.getSequence() ? b : a);
                        case MigrationProgress p -> progress.put(p.getMigrationUuid(), p);
                        default -> {
                        }
                    }
                    listener.accept(message);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Waits until every host has reported {@code hosts} inventories and returns the latest. */
    public Map<String, HostInventory> awaitInventories(int hosts, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inventories.size() < hosts) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + inventories.size() + " of " + hosts + " hosts reported");
            }
            pause();
        }
        return Map.copyOf(inventories);
    }

    public Optional<HostInventory> inventory(String host) {
        return Optional.ofNullable(inventories.get(host));
    }

    /** The instances of a host as it last reported them. */
    public List<HostedInstance> instancesOf(String host) {
        return inventory(host).map(HostInventory::getInstances).orElse(List.of());
    }

    /** Publishes a DrainHost for {@code host}; returns the drain id. */
    public String drain(String host, String reason) {
        return drain(host, reason, false);
    }

    private String drain(String host, String reason, boolean dryRun) {
        String drainId = UUID.randomUUID().toString();
        send(Topics.MIGRATION_COMMANDS, host, DrainHost.newBuilder()
                .setEnvelope(Envelopes.of(drainId, null, System.currentTimeMillis(), "operator"))
                .setHost(host).setReason(reason).setDisableHost(true).setDrainId(drainId).setDryRun(dryRun)
                .setUserId("admin").setProjectId("admin").build());
        return drainId;
    }

    /**
     * Asks for dry runs until the conductor plans the host with {@code instances} guests (its view of the fleet
     * follows the agents' reports, so right after start-up it may not know the host yet); returns that plan.
     */
    public DrainRecord dryRun(String host, int instances, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DrainRecord plan = awaitDrain(drain(host, "dry run", true), timeout);
            if ("planned".equals(plan.getStatus()) && plan.getInstances().size() == instances) {
                return plan;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the conductor did not plan " + host + " with " + instances
                        + " guests: " + plan.getStatus() + " " + plan.getNote());
            }
            pause();
        }
    }

    /** Publishes one LiveMigrate per instance, in order, as {@code nova host-evacuate-live} does; returns their uuids. */
    public List<String> migrateEach(List<String> instanceUuids) {
        return instanceUuids.stream().map(instance -> {
            String migration = UUID.randomUUID().toString();
            send(Topics.MIGRATION_COMMANDS, instance, LiveMigrate.newBuilder()
                    .setEnvelope(Envelopes.of(migration, null, System.currentTimeMillis(), "operator"))
                    .setMigrationUuid(migration).setInstanceUuid(instance).setTargetHost(null)
                    .setUserId("admin").setProjectId("admin").build());
            return migration;
        }).toList();
    }

    private void send(String topic, String key, SpecificRecordBase message) {
        try {
            producer.send(new ProducerRecord<>(topic, key, FerryCodec.encode(message))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    public Optional<DrainRecord> drainRecord(String drainId) {
        return Optional.ofNullable(drains.get(drainId));
    }

    public Optional<MigrationRecord> migration(String uuid) {
        return Optional.ofNullable(migrations.get(uuid));
    }

    public Optional<MigrationProgress> progress(String migrationUuid) {
        return Optional.ofNullable(progress.get(migrationUuid));
    }

    /** When the migration left the queue (conductor clock, epoch ms), or its creation when it never queued. */
    public long startedAt(String uuid) {
        return preparingAt.getOrDefault(uuid, migration(uuid).map(MigrationRecord::getCreatedAt).orElse(0L));
    }

    /** Waits until every one of these migrations is in a terminal status. */
    public void awaitEnded(List<String> migrationUuids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!migrationUuids.stream().allMatch(u -> migration(u).map(m -> TERMINAL.contains(m.getStatus()))
                .orElse(false))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("migrations did not end within " + timeout);
            }
            pause();
        }
    }

    /** Waits until the drain's record is final (completed, stopped, failed) and every migration of it ended. */
    public DrainRecord awaitDrain(String drainId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<DrainRecord> d = drainRecord(drainId);
            if (d.isPresent() && Set.of("completed", "stopped", "failed", "planned").contains(d.get().getStatus())) {
                return d.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("drain " + drainId + " did not end within " + timeout);
            }
            pause();
        }
    }

    /** Wall-clock milliseconds as simulated seconds at this session's speed. */
    public double simulatedSeconds(long wallMillis) {
        return wallMillis / 1000.0 * speed;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        cluster.close();
    }
}

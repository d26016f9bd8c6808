package io.ferry.deploy;

import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.migration.DrainRecord;
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
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A Ferry cluster to drain a host on, driven as an operator would: commands go through the REST API (Ferry's drain
 * API, or the compute API's live migration as {@code nova host-evacuate-live} sends it) as the embedded identity's
 * admin, and the session follows the migration records, drain records, progress readings and host inventories on
 * the topics as they arrive. Used by {@code ./ferry demo} and {@code ./ferry bench drain}.
 */
public final class DrainSession implements AutoCloseable {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "error");

    private final FerryCluster cluster;
    private final double speed;
    private final Rest api;
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
        this.api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
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

    /**
     * Drains {@code host} through the API ({@code POST /ferry/v1/hosts/{host}/drain}, the host disabled with the
     * reason); returns the drain id.
     */
    public String drain(String host, String reason) {
        return drain(host, reason, false);
    }

    private String drain(String host, String reason, boolean dryRun) {
        Rest.Response response = api.post("/ferry/v1/hosts/" + host + "/drain" + (dryRun ? "?dry_run=true" : ""),
                Rest.json(Map.of("reason", reason, "disable_host", true)));
        if (response.status() != (dryRun ? 200 : 202)) {
            throw new IllegalStateException("drain of " + host + " refused: HTTP " + response.status() + " "
                    + response.body());
        }
        return response.body().path("drain").path("id").asString();
    }

    /**
     * Asks for dry runs ({@code ?dry_run=true}) until the conductor plans the host with {@code instances} guests (its
     * view of the fleet follows the agents' reports, so right after start-up it may not know the host yet); returns
     * that plan as recorded on {@code ferry.drains}.
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

    /**
     * Live-migrates each instance through the compute API, in order, as {@code nova host-evacuate-live} does
     * ({@code os-migrateLive}, scheduler's choice, block migration auto); returns the migrations' uuids.
     */
    public List<String> migrateEach(List<String> instanceUuids) {
        long since = System.currentTimeMillis();
        for (String instance : instanceUuids) {
            Rest.Response response = api.post("/v2.1/servers/" + instance + "/action",
                    "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}",
                    "X-OpenStack-Nova-API-Version", "2.30");
            if (response.status() != 202) {
                throw new IllegalStateException("live migration of " + instance + " refused: HTTP "
                        + response.status() + " " + response.body());
            }
        }
        return instanceUuids.stream().map(instance -> awaitMigrationOf(instance, since)).toList();
    }

    private String awaitMigrationOf(String instance, long since) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Optional<String> uuid = migrations.values().stream()
                    .filter(m -> instance.equals(m.getInstance().getUuid()) && m.getCreatedAt() >= since)
                    .map(MigrationRecord::getUuid).findFirst();
            if (uuid.isPresent()) {
                return uuid.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no migration of " + instance + " was recorded");
            }
            pause();
        }
    }

    /**
     * Enables {@code host}'s compute service again as in Nova ({@code PUT /v2.1/os-services/{id}}, microversion
     * 2.53); returns the status the API answered ("enabled").
     */
    public String enableHost(String host) {
        Rest.Response services = api.get("/v2.1/os-services?binary=nova-compute&host=" + host,
                "OpenStack-API-Version", "compute 2.53");
        if (services.status() != 200 || services.body().path("services").isEmpty()) {
            throw new IllegalStateException("no compute service of " + host + ": HTTP " + services.status());
        }
        String id = services.body().path("services").get(0).path("id").asString();
        Rest.Response enabled = api.put("/v2.1/os-services/" + id, "{\"status\": \"enabled\"}",
                "OpenStack-API-Version", "compute 2.53");
        if (enabled.status() != 200) {
            throw new IllegalStateException("enabling " + host + " refused: HTTP " + enabled.status() + " "
                    + enabled.body());
        }
        return enabled.body().path("service").path("status").asString();
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
        cluster.close();
    }
}

package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.messaging.DeadLetters;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.NewerWriter;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.common.ServiceStatus;
import io.ferry.schemas.host.CheckSource;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.migration.AgentReply;
import io.ferry.schemas.migration.BlockMigration;
import io.ferry.schemas.migration.HostStep;
import io.ferry.schemas.migration.LiveMigrate;
import io.ferry.schemas.migration.MigrationRecord;
import io.ferry.schemas.migration.StepOutcome;
import io.ferry.schemas.scheduler.DestinationClaimed;
import io.ferry.schemas.scheduler.NoValidHost;
import io.ferry.schemas.scheduler.SelectDestination;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import io.ferry.messaging.SchemaRegistry;
import io.ferry.schemas.migration.DrainRecord;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every consumer, fed a garbage record, a truncated one, a record of a type its topic does not carry, one written
 * with an unknown schema and an oversized one, sends each to {@code ferry.dlq} with the reason and the original
 * topic, partition and offset in headers, commits past them and processes the next good record, which a newer
 * version wrote with one more field (its schema announced on {@code ferry.schemas}).
 */
class PoisonMessagesIT {

    private static final String HOST = "compute-a";
    private static final int MAX_RECORD_BYTES = 64 * 1024;
    private static final String INSTANCE = UUID.nameUUIDFromBytes("ferry-sim:stayer".getBytes(StandardCharsets.UTF_8)).toString();

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static Rest api;
    static RecordingConsumer recorder;
    static KafkaProducer<String, byte[]> producer;
    static Admin admin;

    @BeforeAll
    static void startFerry() {
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host(HOST, 16, 65536, 10000, List.of(new SimFleet.Vm("stayer", 1024, 1, 10, "m1.tiny", "idle"))),
                new SimFleet.Host("compute-b", 16, 65536, 10000, List.of())));
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withFleet(fleet).withSimSpeed(10.0).withProperties(Map.of("ferry.kafka.max-record-bytes", MAX_RECORD_BYTES)));
        api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        recorder = new RecordingConsumer(cluster.bootstrapServers(),
                List.of(Topics.DLQ, Topics.MIGRATIONS, Topics.MIGRATION_PROGRESS, Topics.SCHEDULER_REPLIES));
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
        // the gateway sees the fleet: every service has joined and read the host events
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/v2.1/os-hypervisors").body().get("hypervisors").size() == 2);
    }

    @AfterAll
    static void stopFerry() throws InterruptedException {
        if (admin != null) {
            admin.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (recorder != null) {
            recorder.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void migrationCommands() {
        String migration = UUID.randomUUID().toString();
        long good = feed(Topics.MIGRATION_COMMANDS, "no-such-instance", LiveMigrate.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, System.currentTimeMillis(), "test"))
                .setMigrationUuid(migration).setInstanceUuid("no-such-instance").setTargetHost(null)
                .setBlockMigration(BlockMigration.AUTO).setRequestId(null).build());

        assertDeadLettered(Topics.MIGRATION_COMMANDS, Set.of("conductor-commands"));
        // the good command was processed: the conductor recorded (and refused) the migration
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recorder.messages(MigrationRecord.class))
                .anySatisfy(r -> {
                    assertThat(r.getUuid()).isEqualTo(migration);
                    assertThat(r.getStatus()).isEqualTo("failed");
                }));
        assertCommittedPast("ferry-conductor-commands", Topics.MIGRATION_COMMANDS, good);
    }

    @Test
    void schedulerRequestsAndMigrationRecords() {
        String migration = UUID.randomUUID().toString();
        feed(Topics.SCHEDULER_REQUESTS, migration, SelectDestination.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, System.currentTimeMillis(), "test"))
                .setMigrationUuid(migration).setInstance(spec()).setSourceHost(HOST).setForcedHost(null).build());

        assertDeadLettered(Topics.SCHEDULER_REQUESTS, Set.of("scheduler-requests"));
        // the good request was answered
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                replies(migration)).isNotEmpty());

        // and a good migration record after two poison ones reaches the read models (the gateway lists it)
        long now = System.currentTimeMillis();
        feed(Topics.MIGRATIONS, migration, MigrationRecord.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, now, "test")).setId(999_999).setUuid(migration)
                .setInstance(spec()).setStatus("failed").setSequence(1).setSourceHost(HOST).setSourceNode(HOST)
                .setDestHost(null).setDestNode(null).setRequestedHost(null).setCreatedAt(now).setUpdatedAt(now)
                .setReason("test").setVmLocation(null).setOperatorAction(null).build());
        assertDeadLettered(Topics.MIGRATIONS, Set.of("gateway-read-models", "scheduler-state"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                api.get("/v2.1/os-migrations?status=failed", "X-OpenStack-Nova-API-Version", "2.59").body()
                        .get("migrations").findValuesAsString("uuid")).contains(migration));
    }

    @Test
    void schedulerReplies() {
        String migration = UUID.randomUUID().toString();
        long good = feed(Topics.SCHEDULER_REPLIES, migration, NoValidHost.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, System.currentTimeMillis(), "test"))
                .setMigrationUuid(migration).setReason("test").build());

        assertDeadLettered(Topics.SCHEDULER_REPLIES, Set.of("conductor-scheduler-replies"));
        assertCommittedPast("ferry-conductor-replies", Topics.SCHEDULER_REPLIES, good);
    }

    @Test
    void hostEvents() {
        long now = System.currentTimeMillis();
        feed(Topics.HOST_EVENTS, "ghost-1", HostInventory.newBuilder()
                .setEnvelope(Envelopes.of("ghost-1", null, now, "test")).setHost("ghost-1").setNode("ghost-1")
                .setAvailabilityZone(null).setServiceStatus(ServiceStatus.ENABLED).setDisabledReason(null)
                .setHeartbeatAt(now).setVcpus(8).setVcpusUsed(0).setMemoryMb(8192).setMemoryMbUsed(0)
                .setDiskGb(100).setDiskGbUsed(0).build());

        assertDeadLettered(Topics.HOST_EVENTS, Set.of("gateway-read-models", "scheduler-state", "conductor-host-events"));
        // the good report after them was read: the gateway lists the new host
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                api.get("/v2.1/os-hypervisors").body().get("hypervisors").findValuesAsString("hypervisor_hostname"))
                .contains("ghost-1"));
    }

    @Test
    void migrationProgress() {
        String migration = UUID.randomUUID().toString();
        long good = feed(Topics.MIGRATION_PROGRESS, migration, AgentReply.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, System.currentTimeMillis(), "test"))
                .setMigrationUuid(migration).setHost(HOST).setStep(HostStep.CHECK_SOURCE)
                .setOutcome(StepOutcome.DONE).setReason(null).build());

        assertDeadLettered(Topics.MIGRATION_PROGRESS, Set.of("conductor-progress", "gateway-read-models"));
        assertCommittedPast("ferry-conductor-progress", Topics.MIGRATION_PROGRESS, good);
    }

    @Test
    void hostCommands() {
        String migration = UUID.randomUUID().toString();
        String topic = Topics.hostCommands(HOST);
        feed(topic, migration, CheckSource.newBuilder()
                .setEnvelope(Envelopes.of(migration, null, System.currentTimeMillis(), "test"))
                .setMigrationUuid(migration).setInstanceUuid(INSTANCE).setDestinationHost("compute-b").build());

        assertDeadLettered(topic, Set.of("agent-commands"));
        // the good command was carried out: the agent answered it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recorder.messages(AgentReply.class))
                .anySatisfy(r -> {
                    assertThat(r.getMigrationUuid()).isEqualTo(migration);
                    assertThat(r.getOutcome()).isEqualTo(StepOutcome.DONE);
                }));
    }

    private static List<SpecificRecordBase> replies(String migration) {
        return recorder.messages(SpecificRecordBase.class).stream()
                .filter(m -> (m instanceof DestinationClaimed c && c.getMigrationUuid().equals(migration))
                        || (m instanceof NoValidHost n && n.getMigrationUuid().equals(migration)))
                .toList();
    }

    private static InstanceSpec spec() {
        return InstanceSpec.newBuilder().setUuid("poison-test-instance").setName("poison").setMemoryMb(512)
                .setVcpus(1).setAvailabilityZone(null).setCpuModel(null).setServerGroup(null).setWorkload(null).build();
    }

    /**
     * Writes to partition 0: a garbage record, a truncated one, a Ferry message of a type no topic but
     * {@code ferry.drains} carries, one with an unknown schema fingerprint, an oversized one, then the good one as
     * a newer version writes it (one more field with a default), after announcing that version's schema.
     */
    private static long feed(String topic, String key, SpecificRecordBase good) {
        send(topic, key, "definitely not avro".getBytes(StandardCharsets.UTF_8));
        byte[] encoded = FerryCodec.encode(good);
        send(topic, key, Arrays.copyOf(encoded, encoded.length / 2));
        send(topic, key, FerryCodec.encode(aDrainRecord()));
        byte[] unknown = FerryCodec.encode(good);
        ByteBuffer.wrap(unknown, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x0BADC0DE_0BADC0DEL);
        send(topic, key, unknown);
        byte[] oversized = Arrays.copyOf(encoded, MAX_RECORD_BYTES + 1);
        send(topic, key, oversized);
        Schema newer = NewerWriter.schema(good.getSchema(), "addedByANewerVersion");
        try {
            producer.send(SchemaRegistry.announcement(newer)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return send(topic, key, NewerWriter.encode(newer, good, "addedByANewerVersion")).offset();
    }

    private static DrainRecord aDrainRecord() {
        return DrainRecord.newBuilder().setEnvelope(Envelopes.of("d", null, System.currentTimeMillis(), "test"))
                .setDrainId("wrong-topic-drain").setHost(HOST).setStatus("planned").setReason("test")
                .setCreatedAt(0).setUpdatedAt(0).build();
    }

    private static RecordMetadata send(String topic, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, 0, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Each named consumer dead-lettered the garbage and the truncated record (MALFORMED), the wrong type
     * (UNEXPECTED_TYPE), the unknown fingerprint (UNKNOWN_SCHEMA) and the oversized record (OVERSIZED) from the
     * topic, and nothing else: the newer writer's record was read.
     */
    private static void assertDeadLettered(String topic, Set<String> consumers) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> dead = recorder.records(r -> r.topic().equals(Topics.DLQ)
                    && topic.equals(header(r, DeadLetters.ORIGINAL_TOPIC)));
            for (String consumer : consumers) {
                List<String> reasons = dead.stream().filter(r -> consumer.equals(header(r, DeadLetters.CONSUMER)))
                        .map(r -> header(r, DeadLetters.REASON)).sorted().toList();
                assertThat(reasons).as("reasons dead-lettered by %s from %s", consumer, topic)
                        .containsExactly("MALFORMED", "MALFORMED", "OVERSIZED", "UNEXPECTED_TYPE", "UNKNOWN_SCHEMA");
            }
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, DeadLetters.ORIGINAL_PARTITION)).isEqualTo("0");
                assertThat(header(r, DeadLetters.ORIGINAL_OFFSET)).matches("\\d+");
                assertThat(header(r, DeadLetters.DETAIL)).isNotBlank();
            });
        });
    }

    private static void assertCommittedPast(String group, String topic, long offset) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            OffsetAndMetadata position = committed.get(new TopicPartition(topic, 0));
            assertThat(position).as("committed offset of %s on %s-0", group, topic).isNotNull();
            assertThat(position.offset()).isGreaterThan(offset);
        });
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.KafkaBroker;
import io.ferry.deploy.security.ProvisionKafka;
import io.ferry.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with SASL/SCRAM and deny-by-default ACLs, provisioned by {@code ./ferry kafka-provision}: each host's
 * principal reads only its own command topic and cannot publish commands; services stay within their topics.
 */
class KafkaSecurityIT {

    @TempDir
    static Path data;
    static KafkaBroker broker;
    static Map<String, String> credentials = new HashMap<>();
    static Path credentialsFile;

    @BeforeAll
    static void startSecureBroker() throws Exception {
        broker = KafkaBroker.secureOnFreePort(data.resolve("kafka"),
                KafkaBroker.Security.scram("ferry-admin", "admin-" + java.util.UUID.randomUUID())).start();
        Path adminPassword = data.resolve("admin.pw");
        Files.writeString(adminPassword, broker.security().superUserPassword());
        credentialsFile = data.resolve("credentials.properties");
        ProvisionKafka.main(new String[] {"--bootstrap", broker.bootstrapServers(), "--admin-user", "ferry-admin",
                "--admin-password-file", adminPassword.toString(), "--hosts", "host-a,host-b",
                "--out", credentialsFile.toString()});
        Properties properties = new Properties();
        try (var in = Files.newInputStream(credentialsFile)) {
            properties.load(in);
        }
        properties.forEach((k, v) -> credentials.put((String) k, (String) v));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void provisionsOnePrincipalPerServiceAndHostInAnOwnerOnlyFile() throws Exception {
        assertThat(credentials).containsOnlyKeys("ferry-gateway", "ferry-conductor", "ferry-scheduler",
                "ferry-agent-host-a", "ferry-agent-host-b");
        assertThat(credentials.values()).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).hasSizeGreaterThan(20));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentialsFile))).isEqualTo("rw-------");
    }

    @Test
    void aHostReadsItsOwnCommandsButNotAnotherHostsTopic() throws Exception {
        // given the conductor put a command on each host's topic
        try (KafkaProducer<String, byte[]> conductor = producer("ferry-conductor")) {
            conductor.send(new ProducerRecord<>(Topics.hostCommands("host-a"), "m", new byte[] {1})).get(10, TimeUnit.SECONDS);
            conductor.send(new ProducerRecord<>(Topics.hostCommands("host-b"), "m", new byte[] {2})).get(10, TimeUnit.SECONDS);
        }

        // when host-a reads its own topic, it gets its command
        try (KafkaConsumer<String, byte[]> own = consumer("ferry-agent-host-a", "ferry-agent-host-a")) {
            own.subscribe(List.of(Topics.hostCommands("host-a")));
            await().atMost(Duration.ofSeconds(30)).until(() -> !own.poll(Duration.ofMillis(200)).isEmpty());
        }

        // then host-a reading host-b's topic is refused
        try (KafkaConsumer<String, byte[]> other = consumer("ferry-agent-host-a", "ferry-agent-host-a")) {
            other.subscribe(List.of(Topics.hostCommands("host-b")));
            assertThatThrownBy(() -> pollUntilError(other)).isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(Topics.hostCommands("host-b"));
        }
    }

    @Test
    void aHostCannotPublishACommandOrJoinAnotherHostsGroup() {
        // a host may not publish operator commands
        try (KafkaProducer<String, byte[]> host = producer("ferry-agent-host-a")) {
            assertThatThrownBy(() -> host.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, "i", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> host.send(new ProducerRecord<>(Topics.hostCommands("host-b"), "m", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // nor use host-b's consumer group
        try (KafkaConsumer<String, byte[]> sneaky = consumer("ferry-agent-host-a", "ferry-agent-host-b")) {
            sneaky.subscribe(List.of(Topics.hostCommands("host-a")));
            assertThatThrownBy(() -> pollUntilError(sneaky)).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void theHostWritesItsEventsAndTheGatewayOnlyCommands() throws Exception {
        try (KafkaProducer<String, byte[]> host = producer("ferry-agent-host-a")) {
            assertThat(host.send(new ProducerRecord<>(Topics.HOST_EVENTS, "host-a", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS).offset()).isNotNegative();
            assertThat(host.send(new ProducerRecord<>(Topics.MIGRATION_PROGRESS, "m", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS).offset()).isNotNegative();
        }
        try (KafkaProducer<String, byte[]> gateway = producer("ferry-gateway")) {
            assertThat(gateway.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, "i", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS).offset()).isNotNegative();
            assertThatThrownBy(() -> gateway.send(new ProducerRecord<>(Topics.MIGRATIONS, "m", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> config = client("ferry-gateway", "not-the-password");
        try (KafkaProducer<String, byte[]> impostor = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> impostor.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, "i", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static void pollUntilError(KafkaConsumer<String, byte[]> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
            assertThat(records.isEmpty()).as("no record may be delivered").isTrue();
        }
        throw new AssertionError("no authorization error within 30 s");
    }

    private static Map<String, Object> client(String principal, String password) {
        Map<String, Object> config = new HashMap<>(KafkaBroker.Security.clientProperties(principal, password));
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("max.block.ms", 10_000);
        config.put("delivery.timeout.ms", 10_000);
        config.put("request.timeout.ms", 5_000);
        return config;
    }

    private static KafkaProducer<String, byte[]> producer(String principal) {
        return new KafkaProducer<>(client(principal, credentials.get(principal)), new StringSerializer(),
                new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(String principal, String group) {
        Map<String, Object> config = client(principal, credentials.get(principal));
        config.put("group.id", group);
        config.put("auto.offset.reset", "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}

package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.deploy.BrokerTls;
import io.ferry.deploy.KafkaBroker;
import io.ferry.deploy.security.ProvisionKafka;
import io.ferry.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker on SASL_SSL: a CA and a broker certificate generated into its data directory (owner-only
 * files), {@code kafka-provision} over TLS with the CA as trust store, a provisioned principal publishing over
 * SASL_SSL within its ACLs, and every connection that is not TLS, or does not trust the CA, refused.
 */
class KafkaTlsIT {

    @TempDir
    static Path data;
    static KafkaBroker broker;
    static Map<String, String> credentials = new HashMap<>();

    @BeforeAll
    static void startTlsBroker() throws Exception {
        broker = KafkaBroker.secureOnFreePort(data.resolve("kafka"),
                KafkaBroker.Security.scramOverTls("ferry-admin", "admin-" + UUID.randomUUID())).start();
        Path adminPassword = data.resolve("admin.pw");
        Files.writeString(adminPassword, broker.security().superUserPassword());
        BrokerTls tls = broker.tls().orElseThrow();
        Path trustPassword = data.resolve("truststore.pw");
        Files.writeString(trustPassword, (String) tls.clientProperties().get("ssl.truststore.password"));
        Path out = data.resolve("credentials.properties");
        ProvisionKafka.main(new String[] {"--bootstrap", broker.bootstrapServers(), "--admin-user", "ferry-admin",
                "--admin-password-file", adminPassword.toString(), "--hosts", "host-a",
                "--truststore", tls.truststore().toString(), "--truststore-password-file", trustPassword.toString(),
                "--out", out.toString()});
        Properties properties = new Properties();
        try (var in = Files.newInputStream(out)) {
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
    void theCaAndBrokerKeysAreOwnerOnlyFilesInTheDataDirectory() throws Exception {
        Path dir = data.resolve("kafka").resolve("tls");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(dir.resolve("ca.p12")).exists();
        assertThat(dir.resolve("broker.p12")).exists();
        assertThat(dir.resolve("truststore.p12")).exists();
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).allSatisfy(file -> assertThat(
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
        }
        assertThat(credentials).containsKeys("ferry-gateway", "ferry-agent-host-a");
    }

    @Test
    void aProvisionedPrincipalPublishesOverSaslSslWithinItsAcls() throws Exception {
        try (KafkaProducer<String, byte[]> gateway = producer(broker.clientProperties("ferry-gateway",
                credentials.get("ferry-gateway")))) {
            assertThat(gateway.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, "i", new byte[] {1}))
                    .get(30, TimeUnit.SECONDS).offset()).isNotNegative();
            assertThatThrownBy(() -> gateway.send(new ProducerRecord<>(Topics.MIGRATIONS, "m", new byte[] {1}))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aConnectionWithoutTlsIsRefused() {
        // the right SCRAM password, but over a plain TCP connection
        Map<String, Object> plain = new HashMap<>(KafkaBroker.Security.clientProperties("ferry-gateway",
                credentials.get("ferry-gateway")));
        assertRefused(plain);
        assertRefused(new HashMap<>(Map.of("security.protocol", "PLAINTEXT")));
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefused() {
        Map<String, Object> untrusting = new HashMap<>(KafkaBroker.Security.clientProperties("ferry-gateway",
                credentials.get("ferry-gateway")));
        untrusting.put("security.protocol", "SASL_SSL");
        assertRefused(untrusting);
    }

    private static void assertRefused(Map<String, Object> config) {
        try (KafkaProducer<String, byte[]> producer = producer(config)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.MIGRATION_COMMANDS, "i", new byte[] {1}))
                    .get(30, TimeUnit.SECONDS)).isInstanceOfAny(ExecutionException.class,
                    org.apache.kafka.common.errors.TimeoutException.class, org.apache.kafka.common.KafkaException.class);
        }
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("max.block.ms", 8_000);
        config.put("delivery.timeout.ms", 10_000);
        config.put("request.timeout.ms", 5_000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}

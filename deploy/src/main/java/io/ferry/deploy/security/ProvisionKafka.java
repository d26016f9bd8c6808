package io.ferry.deploy.security;

import io.ferry.messaging.FerryKafkaProperties;
import io.ferry.messaging.TopicAdmin;
import io.ferry.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code ./ferry kafka-provision}: prepares an existing SASL/SCRAM Kafka cluster for Ferry: creates the topics
 * (fixed ones and one command topic per host), one principal per service and per host with a random password,
 * and least-privilege ACLs ({@link KafkaAccessControl}). The passwords go to a file readable by its owner only;
 * nothing secret is printed.
 *
 * <pre>
 * ./ferry kafka-provision --bootstrap broker:9093 --admin-user admin --admin-password-file admin.pw \
 *     --hosts compute-1,compute-2 --out ferry-credentials.properties [--replication-factor 3] \
 *     [--truststore ca-truststore.p12 --truststore-password-file truststore.pw]
 * </pre>
 *
 * With {@code --truststore} it connects over SASL_SSL (a PKCS12 trust store holding the cluster's CA), else over
 * SASL_PLAINTEXT.
 */
public final class ProvisionKafka {

    private ProvisionKafka() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = option(args, "--bootstrap");
        String adminUser = option(args, "--admin-user");
        String adminPassword = Files.readString(Path.of(option(args, "--admin-password-file"))).strip();
        List<String> hosts = Arrays.stream(option(args, "--hosts").split(",")).map(String::strip)
                .filter(h -> !h.isEmpty()).toList();
        Path out = Path.of(option(args, "--out"));
        short replication = Short.parseShort(optional(args, "--replication-factor", "1"));

        FerryKafkaProperties kafka = new FerryKafkaProperties();
        kafka.setBootstrapServers(bootstrap);
        kafka.setReplicationFactor(replication);
        Map<String, Object> security = new java.util.HashMap<>(
                io.ferry.deploy.KafkaBroker.Security.clientProperties(adminUser, adminPassword));
        String truststore = optional(args, "--truststore", null);
        if (truststore != null) {
            security.put("security.protocol", "SASL_SSL");
            security.put("ssl.truststore.type", "PKCS12");
            security.put("ssl.truststore.location", truststore);
            security.put("ssl.truststore.password",
                    Files.readString(Path.of(option(args, "--truststore-password-file"))).strip());
        }
        security.forEach((k, v) -> kafka.getProperties().put(k, String.valueOf(v)));
        TopicAdmin topics = new TopicAdmin(kafka);
        topics.createFixedTopics();
        topics.create(hosts.stream().map(Topics::hostCommandsSpec).toList());

        Map<String, String> passwords;
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            passwords = KafkaAccessControl.provision(admin, KafkaAccessControl.plan(hosts));
        }
        List<String> lines = new ArrayList<>();
        lines.add("# Ferry's Kafka principals: give each service only its own line (ferry.kafka.properties.sasl.jaas.config)");
        passwords.forEach((principal, password) -> lines.add(principal + "=" + password));
        Files.deleteIfExists(out);
        Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(out, lines);
        System.out.printf("provisioned %d principals with ACLs on %s; credentials written to %s (mode 600)%n",
                passwords.size(), bootstrap, out.toAbsolutePath());
    }

    private static String option(String[] args, String name) {
        String value = optional(args, name, null);
        if (value == null) {
            System.err.println("missing " + name);
            System.exit(2);
        }
        return value;
    }

    private static String optional(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}

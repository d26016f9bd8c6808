package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.KafkaBroker;
import io.ferry.deploy.SimFleet;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full run with secrets everywhere: the broker on SASL_SSL with a SCRAM super user (the services connect with
 * it), Keystone users with generated passwords; logins with right and wrong passwords, tokens used, validated,
 * revoked and forged, failing requests and one live migration. Then every log the run produced (the services'
 * output, the broker's log files, keytool's and the storage formatter's output) and every response body is
 * searched for each password and token; a hit fails naming the file and line.
 */
class SecretsInLogsIT {

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final List<String> bodies = new ArrayList<>();

    @Test
    void noPasswordOrTokenAppearsInAnyLogOrErrorBody() throws Exception {
        Path servicesLog = data.resolve("services.log");
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (OutputStream file = new FileOutputStream(servicesLog.toFile())) {
            System.setOut(new PrintStream(new Tee(out, file), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(err, file), true, StandardCharsets.UTF_8));
            run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        List<String> hits = new ArrayList<>();
        List<Path> logs;
        try (Stream<Path> files = Files.walk(data)) {
            logs = files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches(".*\\.(log|out)"))
                    .toList();
        }
        assertThat(logs).extracting(p -> p.getFileName().toString())
                .contains("services.log", "broker.log", "broker.out", "format.log", "keytool.log");
        assertThat(Files.readString(servicesLog)).as("the services logged to the captured output")
                .contains("Ferry is up");
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                for (var secret : secrets.entrySet()) {
                    if (lines.get(i).contains(secret.getValue())) {
                        hits.add(data.relativize(log) + ":" + (i + 1) + " contains " + secret.getKey());
                    }
                }
            }
        }
        for (String body : bodies) {
            for (var secret : secrets.entrySet()) {
                if (body.contains(secret.getValue())) {
                    hits.add("a response body contains " + secret.getKey() + ": " + body);
                }
            }
        }
        System.out.printf("SecretsInLogsIT: searched %d log files (%d bytes) and %d bodies for %d secrets%n",
                logs.size(), logs.stream().mapToLong(p -> p.toFile().length()).sum(), bodies.size(), secrets.size());
        assertThat(hits).isEmpty();
    }

    private void run() throws Exception {
        String kafkaPassword = "kafka-" + UUID.randomUUID();
        secrets.put("the Kafka super user's SCRAM password", kafkaPassword);
        KafkaBroker broker = KafkaBroker.secureOnFreePort(data.resolve("kafka"),
                KafkaBroker.Security.scramOverTls("ferry-admin", kafkaPassword)).start();
        try {
            try (Stream<Path> files = Files.list(data.resolve("kafka").resolve("tls"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".password")).toList()) {
                    secrets.put("the TLS store password " + f.getFileName(), Files.readString(f).trim());
                }
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            broker.clientProperties("ferry-admin", kafkaPassword)
                    .forEach((k, v) -> properties.put("ferry.kafka.properties." + k, v));
            properties.put("logging.level.root", "INFO");
            properties.put("logging.level.io.ferry", "DEBUG");
            SimFleet fleet = new SimFleet(List.of(
                    new SimFleet.Host("secret-a", 16, 65536, 10000, List.of(new SimFleet.Vm("vm1", 1024, 1, 10, "m1.tiny", "idle"))),
                    new SimFleet.Host("secret-b", 16, 65536, 10000, List.of())));
            try (FerryCluster cluster = FerryCluster.start(FerryCluster.Options.defaults(data)
                    .withExternalBootstrap(broker.bootstrapServers()).withGatewayPort(0).withFleet(fleet)
                    .withSimSpeed(10.0).withProperties(properties))) {
                exercise(cluster);
            }
        } finally {
            broker.stop();
        }
    }

    private void exercise(FerryCluster cluster) throws Exception {
        var admin = cluster.identity().admin();
        var member = cluster.identity().member();
        secrets.put("the Keystone admin's password", admin.password());
        secrets.put("the Keystone member's password", member.password());
        String identity = cluster.identityUrl();
        String compute = cluster.gatewayUrl();

        String adminToken = login(identity, admin.user(), admin.password(), admin.project(), 201);
        String memberToken = login(identity, member.user(), member.password(), member.project(), 201);
        secrets.put("the admin's token", adminToken);
        secrets.put("the member's token", memberToken);
        String wrong = "wrong-" + UUID.randomUUID();
        secrets.put("a wrong password tried", wrong);
        login(identity, admin.user(), wrong, admin.project(), 401);
        login(identity, "nobody-" + UUID.randomUUID(), admin.password(), admin.project(), 401);

        await().atMost(Duration.ofSeconds(90)).until(() -> call("GET", compute + "/v2.1/os-hypervisors", adminToken,
                null, null).body().contains("secret-b"));
        call("GET", identity + "/v3/auth/tokens", adminToken, memberToken, null);
        call("GET", compute + "/v2.1/servers/detail?all_tenants=1", adminToken, null, null);
        call("GET", compute + "/v2.1/os-services", memberToken, null, null);
        String forged = "forged-" + UUID.randomUUID();
        secrets.put("a forged token", forged);
        call("GET", compute + "/v2.1/servers", forged, null, null);
        call("GET", identity + "/v3/auth/tokens", adminToken, forged, null);
        call("POST", compute + "/v2.1/servers/" + UUID.randomUUID() + "/action", adminToken, null,
                "{\"os-migrateLive\": {\"host\": 17}}");
        String server = UUID.nameUUIDFromBytes("ferry-sim:vm1".getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(call("POST", compute + "/v2.1/servers/" + server + "/action", adminToken, null,
                "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(120)).until(() -> call("GET", compute + "/v2.1/os-migrations", adminToken,
                null, null).body().contains("\"completed\""));
        assertThat(call("DELETE", identity + "/v3/auth/tokens", adminToken, memberToken, null).status()).isEqualTo(204);
        assertThat(call("GET", compute + "/v2.1/servers", memberToken, null, null).status()).isEqualTo(401);
    }

    private String login(String identity, String user, String password, String project, int expected) throws Exception {
        Answer answer = call("POST", identity + "/v3/auth/tokens", null, null, """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
                 "domain": {"name": "Default"}, "password": "%s"}}},
                 "scope": {"project": {"name": "%s", "domain": {"name": "Default"}}}}}""".formatted(user, password, project));
        assertThat(answer.status()).isEqualTo(expected);
        return answer.subjectToken();
    }

    record Answer(int status, String body, String subjectToken) {
    }

    private Answer call(String method, String url, String token, String subject, String json) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        builder.header("X-OpenStack-Nova-API-Version", "2.79");
        if (token != null) {
            builder.header("X-Auth-Token", token);
        }
        if (subject != null) {
            builder.header("X-Subject-Token", subject);
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        bodies.add(response.body());
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("X-Subject-Token").orElse(null));
    }

    /** Copies what is written to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}

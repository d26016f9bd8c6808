package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.common.Envelope;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Drives the real gateway with at least 10,000 generated requests (wrong JSON types, missing and extra fields,
 * huge and unicode values, invalid JSON, bad, forged, revoked and expired tokens, bad microversions, path traversal
 * and odd characters in ids, wrong methods) on every Nova and Keystone endpoint family, and asserts: no 5xx; every
 * 4xx carries Nova's fault body (Keystone's error body on the identity API); and the gateway publishes exactly one
 * command per accepted request, so nothing for a rejected one.
 *
 * <p>The generator is seeded: the seed is printed, and {@code -Dferry.fuzz.seed=N} replays a run
 * ({@code -Dferry.fuzz.requests=N} changes its length).
 */
class GatewayFuzzIT {

    private static final long SEED = Long.getLong("ferry.fuzz.seed", System.nanoTime());
    private static final int REQUESTS = Integer.getInteger("ferry.fuzz.requests", 10_000);
    private static final List<String> HOSTS = List.of("fuzz-a", "fuzz-b", "fuzz-c");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static RecordingConsumer commands;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static List<String> servers = new ArrayList<>();

    @BeforeAll
    static void startFerry() {
        List<SimFleet.Host> hosts = new ArrayList<>();
        for (String host : HOSTS) {
            List<SimFleet.Vm> vms = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                vms.add(new SimFleet.Vm(host + "-vm" + i, 512, 1, 5, "m1.tiny", "idle"));
            }
            hosts.add(new SimFleet.Host(host, 16, 65536, 10000, vms));
        }
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withFleet(new SimFleet(hosts)).withSimSpeed(20.0)
                .withProperties(Map.of("ferry.identity.token-ttl", "20s")));
        List<String> topics = new ArrayList<>(List.of(Topics.MIGRATION_COMMANDS));
        HOSTS.forEach(h -> topics.add(Topics.hostCommands(h)));
        commands = new RecordingConsumer(cluster.bootstrapServers(), topics);
        await().atMost(Duration.ofSeconds(60)).until(() -> admin().get("/v2.1/os-hypervisors").body()
                .get("hypervisors").size() == HOSTS.size());
        admin().get("/v2.1/servers?all_tenants=1").body().get("servers").forEach(s -> servers.add(s.get("id").asString()));
        assertThat(servers).hasSize(9);
    }

    @AfterAll
    static void stopFerry() throws InterruptedException {
        if (commands != null) {
            commands.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Rest admin() {
        return new Rest(cluster.gatewayUrl()).withToken(tokens.admin());
    }

    static final Tokens tokens = new Tokens();

    /** Tokens for the fuzzer: fresh ones (re-issued before they expire), expired and revoked ones. */
    static final class Tokens {
        private String admin;
        private String member;
        private long issuedAt;
        private final List<String> expired = new ArrayList<>();
        private final List<String> revoked = new ArrayList<>();

        synchronized String admin() {
            refresh();
            return admin;
        }

        synchronized String member() {
            refresh();
            return member;
        }

        private void refresh() {
            if (admin == null || System.nanoTime() - issuedAt > Duration.ofSeconds(5).toNanos()) {
                issuedAt = System.nanoTime();
                var id = cluster.identity();
                admin = Rest.token(cluster.identityUrl(), id.admin().user(), id.admin().password(), id.admin().project());
                member = Rest.token(cluster.identityUrl(), id.member().user(), id.member().password(),
                        id.member().project());
            }
        }
    }

    @Test
    void noRequestGetsA5xxEveryRefusalIsAFaultAndNothingRefusedIsPublished() throws Exception {
        System.out.printf("GatewayFuzzIT seed=%d requests=%d (replay with -Dferry.fuzz.seed=%d)%n", SEED, REQUESTS, SEED);
        // an expired token (20 s lifetime) and a revoked one
        var id = cluster.identity();
        String expired = Rest.token(cluster.identityUrl(), id.admin().user(), id.admin().password(), id.admin().project());
        String revoked = Rest.token(cluster.identityUrl(), id.admin().user(), id.admin().password(), id.admin().project());
        assertThat(new Rest(cluster.identityUrl()).withToken(tokens.admin()).delete("/v3/auth/tokens",
                "X-Subject-Token", revoked).status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(60)).until(() -> new Rest(cluster.gatewayUrl()).withToken(expired)
                .get("/v2.1/os-hypervisors").status() == 401);
        tokens.expired.add(expired);
        tokens.revoked.add(revoked);
        long publishedBefore = gatewayCommands();

        Random random = new Random(SEED);
        Generator generator = new Generator(random);
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> families = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        AtomicLong accepted = new AtomicLong();
        for (int i = 0; i < REQUESTS; i++) {
            Fuzzed request = generator.next();
            families.merge(request.family(), 1, Integer::sum);
            HttpResponse<String> response;
            try {
                response = http.send(request.build(cluster), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add("#" + i + " " + request + " -> no answer: " + e);
                continue;
            }
            int status = response.statusCode();
            statuses.merge(String.valueOf(status), 1, Integer::sum);
            String problem = check(request, status, response.body());
            if (problem != null && failures.size() < 50) {
                failures.add("#" + i + " " + request + " -> " + status + " " + abbreviate(response.body()) + ": " + problem);
            }
            if (request.publishes() && status >= 200 && status < 300) {
                accepted.incrementAndGet();
            }
        }
        System.out.printf("GatewayFuzzIT seed=%d: %d requests, statuses %s, families %s, accepted commands %d%n",
                SEED, REQUESTS, statuses, families, accepted.get());
        assertThat(failures).as("requests answered wrongly (seed %d)", SEED).isEmpty();
        // every accepted request published exactly one command; the refused ones none
        long expected = publishedBefore + accepted.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> gatewayCommands() >= expected);
        // nothing more is on its way: the recorder has read every record the command topics hold
        long held = recordsOnCommandTopics();
        await().atMost(Duration.ofSeconds(30)).until(() -> commands.records(r -> true).size() >= held);
        assertThat(gatewayCommands()).as("commands the gateway published (seed %d)", SEED).isEqualTo(expected);
    }

    private static long recordsOnCommandTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            List<String> topics = new ArrayList<>(List.of(Topics.MIGRATION_COMMANDS));
            HOSTS.forEach(h -> topics.add(Topics.hostCommands(h)));
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
            for (var description : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                description.partitions().forEach(p -> {
                    latest.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest());
                    earliest.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.earliest());
                });
            }
            long end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
            long start = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
            return end - start;
        }
    }

    /** The commands the gateway published (the conductor's own host commands carry another producer). */
    private static long gatewayCommands() {
        return commands.records(r -> true).stream().filter(r -> {
            try {
                SpecificRecordBase message = FerryCodec.decode(r.value());
                return message.get("envelope") instanceof Envelope e && "api-gateway".equals(e.getProducer());
            } catch (RuntimeException e) {
                return false;
            }
        }).count();
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    static String check(Fuzzed request, int status, String body) {
        if (status >= 500 && status != 501) {
            return "server error";
        }
        if (status == 501 && !request.path().contains("os-hypervisors")) {
            return "501 outside os-hypervisors";
        }
        if (status < 400) {
            return null;
        }
        if ("HEAD".equals(request.method())) {
            return null;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (RuntimeException e) {
            return "not JSON";
        }
        if (json == null || !json.isObject() || json.size() != 1) {
            return "not a fault body";
        }
        String name = json.propertyNames().iterator().next();
        JsonNode fault = json.get(name);
        boolean keystone = request.identity() || status == 401;
        if (keystone) {
            if (!name.equals("error") || fault.path("code").asInt() != status || !fault.path("title").isString()
                    || !fault.path("message").isString()) {
                return "not Keystone's error body";
            }
        } else if (fault == null || fault.path("code").asInt() != status || !fault.path("message").isString()
                || name.equals("error")) {
            return "not Nova's fault body";
        }
        return null;
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    /** One generated request; {@code publishes}: the gateway publishes one command when it accepts it. */
    record Fuzzed(String family, String method, String path, Map<String, String> headers, byte[] body,
                  boolean identity, boolean publishes) {

        HttpRequest build(FerryCluster cluster) {
            String base = identity ? cluster.identityUrl() : cluster.gatewayUrl();
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body);
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(60)).method(method, publisher);
            headers.forEach(builder::header);
            return builder.build();
        }

        @Override
        public String toString() {
            String shown = body == null ? "" : " body=" + abbreviate(new String(body, StandardCharsets.UTF_8))
                    .replace("\n", "\\n");
            return method + " " + (identity ? "identity" : "compute") + path + " headers=" + headers.keySet() + shown;
        }
    }

    /** The request generator: picks an endpoint family, then damages a valid request in one or more ways. */
    static final class Generator {

        private final Random random;

        Generator(Random random) {
            this.random = random;
        }

        Fuzzed next() {
            return switch (random.nextInt(9)) {
                case 0, 1 -> liveMigrate();
                case 2 -> serverMigrations();
                case 3 -> osMigrations();
                case 4 -> services();
                case 5 -> hypervisors();
                case 6 -> servers();
                case 7 -> keystone();
                default -> wrongMethod();
            };
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        private boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }

        // --- pieces

        private String serverId() {
            return chance(40) ? pick(servers) : oddId();
        }

        private String oddId() {
            return pick(List.<Supplier<String>>of(
                    () -> UUID.randomUUID().toString(),
                    () -> "..",
                    () -> "..%2F..%2Fos-services",
                    () -> "%2e%2e%2f%2e%2e",
                    () -> "..%5C..%5Cwindows",
                    () -> "%00",
                    () -> "a%00b",
                    () -> "%20",
                    () -> "%25",
                    () -> "%ZZ".replace("ZZ", "25ZZ"),
                    () -> ";jsessionid=1",
                    () -> "x;y=z",
                    () -> enc("s\u00e9rveur-\u2603-\ud83d\ude80"),
                    () -> enc("\u202e\u0000\u0007"),
                    () -> "-1",
                    () -> "0",
                    () -> "99999999999999999999999999",
                    () -> "1e400",
                    () -> "a".repeat(1 + random.nextInt(3000)),
                    () -> enc("<script>alert(1)</script>"),
                    () -> enc("' OR 1=1 --"),
                    () -> enc("{\"a\":1}"),
                    () -> pick(HOSTS),
                    () -> enc(pick(servers).toUpperCase()),
                    () -> pick(servers).replace("-", ""),
                    () -> enc(" " + pick(servers)),
                    () -> "null",
                    () -> "detail",
                    () -> "%2F",
                    () -> enc("\\")
            )).get();
        }

        private static String enc(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }

        /** A random JSON value of a random type, often hostile. */
        private String value(int depth) {
            return switch (random.nextInt(depth > 2 ? 14 : 17)) {
                case 0 -> "null";
                case 1 -> "true";
                case 2 -> "false";
                case 3 -> Integer.toString(random.nextInt());
                case 4 -> "1e400";
                case 5 -> "-0.0";
                case 6 -> "99999999999999999999999999999999";
                case 7 -> quote("");
                case 8 -> quote("x".repeat(random.nextInt(100_000)));
                case 9 -> quote("\u2603\ud83d\ude80\u202e \u00e9");
                case 10 -> quote("\\u0000\\ud800");
                case 11 -> quote(pick(HOSTS));
                case 12 -> quote(pick(List.of("auto", "True", "false", "enabled", "disabled", "nova-compute")));
                case 13 -> "\"\\\"unterminated\\\"\"";
                case 14 -> "[" + value(depth + 1) + ", " + value(depth + 1) + "]";
                case 15 -> "{\"" + pick(List.of("host", "a", "", "force")) + "\": " + value(depth + 1) + "}";
                default -> "[".repeat(2000) + "]".repeat(2000);
            };
        }

        private static String quote(String raw) {
            return "\"" + raw + "\"";
        }

        /** Builds an object from key/value pairs, then drops, adds or retypes fields. */
        private String object(Map<String, String> fields) {
            Map<String, String> out = new LinkedHashMap<>(fields);
            if (chance(50)) {
                List<String> keys = new ArrayList<>(out.keySet());
                if (!keys.isEmpty()) {
                    String key = pick(keys);
                    if (chance(50)) {
                        out.remove(key);
                    } else {
                        out.put(key, value(0));
                    }
                }
            }
            if (chance(20)) {
                out.put(pick(List.of("extra", "host ", "HOST", "\u2603", "", "force", "disk_over_commit")), value(0));
            }
            StringBuilder json = new StringBuilder("{");
            out.forEach((k, v) -> json.append(json.length() > 1 ? ", " : "").append(quote(k)).append(": ").append(v));
            return json.append("}").toString();
        }

        /** Damages a JSON text into something that is not JSON, sometimes. */
        private byte[] body(String json) {
            return switch (random.nextInt(20)) {
                case 0 -> json.substring(0, random.nextInt(Math.max(1, json.length()))).getBytes(StandardCharsets.UTF_8);
                case 1 -> (json + ",").getBytes(StandardCharsets.UTF_8);
                case 2 -> new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '{'};
                case 3 -> new byte[0];
                case 4 -> "not json at all".getBytes(StandardCharsets.UTF_8);
                case 5 -> ("{" + "\"k\": 1,".repeat(50_000) + "\"k\": 2}").getBytes(StandardCharsets.UTF_8);
                case 6 -> value(0).getBytes(StandardCharsets.UTF_8);
                case 7 -> ("[" + json + "]").getBytes(StandardCharsets.UTF_8);
                default -> json.getBytes(StandardCharsets.UTF_8);
            };
        }

        private Map<String, String> headers(boolean json) {
            Map<String, String> headers = new LinkedHashMap<>();
            String token = token();
            if (token != null) {
                headers.put("X-Auth-Token", token);
            }
            if (json) {
                headers.put("Content-Type", pick(List.of("application/json", "application/json", "application/json",
                        "text/plain", "application/xml", "application/json; charset=latin1", "multipart/form-data",
                        "application/x-www-form-urlencoded", "garbage")));
            }
            if (chance(60)) {
                String version = microversion();
                if (chance(50)) {
                    headers.put("OpenStack-API-Version", pick(List.of("compute ", "COMPUTE ", "volume ", "compute  ",
                            "", "compute 2.1, compute ")) + version);
                } else {
                    headers.put("X-OpenStack-Nova-API-Version", version);
                }
            }
            return headers;
        }

        private String token() {
            return switch (random.nextInt(12)) {
                case 0 -> null;
                case 1 -> "";
                case 2 -> "garbage";
                case 3 -> java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
                case 4 -> pick(tokens.expired);
                case 5 -> pick(tokens.revoked);
                case 6 -> "x".repeat(8000);
                case 7 -> tokens.member();
                default -> tokens.admin();
            };
        }

        private byte[] randomBytes(int n) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            return bytes;
        }

        private String microversion() {
            if (chance(60)) {
                return "2." + (1 + random.nextInt(92));
            }
            return pick(List.of("latest", "2.93", "2.0", "3.0", "1.1", "abc", "2.", ".5", "2.1.1", "", " ", "2.-1",
                    "2.99999999999999999999", "99999999999.1", "2.1a", "latest latest", "\u0032.\u0035", "0x2.0x5",
                    "compute 2.5"));
        }

        private String query() {
            if (!chance(50)) {
                return "";
            }
            List<String> params = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                String name = pick(List.of("limit", "marker", "host", "status", "all_tenants", "changes-since",
                        "changes-before", "instance_uuid", "migration_type", "hidden", "user_id", "project_id",
                        "with_servers", "hypervisor_hostname_pattern", "name", "sort_key", "binary", "x\u2603",
                        "limit[]", "%ZZ".replace("ZZ", "25")));
                String value = pick(List.of("-1", "0", "1", "999999999999999999999", "abc", "", "true", "1e400",
                        "2020-13-45T99:99:99Z", "2024-01-01T00:00:00Z", "(", "[a-", ".*", "%00", "\u2603",
                        UUID.randomUUID().toString(), pick(servers), pick(HOSTS), "x".repeat(5000)));
                params.add(enc(name) + "=" + enc(value));
            }
            return "?" + String.join("&", params);
        }

        // --- families

        private Fuzzed liveMigrate() {
            Map<String, String> args = new LinkedHashMap<>();
            args.put("host", chance(50) ? "null" : quote(pick(HOSTS)));
            args.put("block_migration", pick(List.of("\"auto\"", "false", "true", "\"True\"")));
            if (chance(40)) {
                args.put("disk_over_commit", "false");
            }
            if (chance(20)) {
                args.put("force", pick(List.of("true", "false", "\"yes\"")));
            }
            String action = chance(90) ? "os-migrateLive" : pick(List.of("os-migrateLive ", "migrate", "reboot", ""));
            String json = chance(90) ? "{" + quote(action) + ": " + object(args) + "}"
                    : object(Map.of(action, object(args), "other", "{}"));
            return new Fuzzed("servers-action", "POST", "/v2.1/servers/" + serverId() + "/action", headers(true),
                    body(json), false, true);
        }

        private Fuzzed serverMigrations() {
            String server = serverId();
            String migration = pick(List.of("1", "0", "-1", "abc", "99999999999999999999", "1.5", oddId()));
            return switch (random.nextInt(4)) {
                case 0 -> new Fuzzed("server-migrations", "GET", "/v2.1/servers/" + server + "/migrations" + query(),
                        headers(false), null, false, false);
                case 1 -> new Fuzzed("server-migrations", "GET", "/v2.1/servers/" + server + "/migrations/" + migration,
                        headers(false), null, false, false);
                case 2 -> new Fuzzed("server-migrations", "POST",
                        "/v2.1/servers/" + server + "/migrations/" + migration + "/action", headers(true),
                        body(object(Map.of("force_complete", pick(List.of("null", "{}", "1"))))),
                        false, true);
                default -> new Fuzzed("server-migrations", "DELETE", "/v2.1/servers/" + server + "/migrations/" + migration,
                        headers(false), null, false, true);
            };
        }

        private Fuzzed osMigrations() {
            return new Fuzzed("os-migrations", "GET", "/v2.1/os-migrations" + query(), headers(false), null, false, false);
        }

        private Fuzzed services() {
            if (chance(30)) {
                return new Fuzzed("os-services", "GET", "/v2.1/os-services" + query(), headers(false), null, false, false);
            }
            String id = pick(List.of("enable", "disable", "disable-log-reason", "force-down", "delete", oddId(),
                    UUID.randomUUID().toString()));
            Map<String, String> fields = new LinkedHashMap<>();
            if (chance(50)) {
                fields.put("host", quote(pick(HOSTS)));
                fields.put("binary", quote(chance(80) ? "nova-compute" : "nova-scheduler"));
                fields.put("disabled_reason", quote("fuzz " + random.nextInt(100)));
            } else {
                fields.put("status", quote(pick(List.of("enabled", "disabled", "up"))));
                fields.put("forced_down", pick(List.of("true", "false")));
            }
            return new Fuzzed("os-services", "PUT", "/v2.1/os-services/" + id, headers(true), body(object(fields)),
                    false, true);
        }

        private Fuzzed hypervisors() {
            String path = pick(List.of("/v2.1/os-hypervisors", "/v2.1/os-hypervisors/detail",
                    "/v2.1/os-hypervisors/statistics", "/v2.1/os-hypervisors/" + oddId(),
                    "/v2.1/os-hypervisors/" + oddId() + "/uptime", "/v2.1/os-hypervisors/" + oddId() + "/search",
                    "/v2.1/os-hypervisors/" + pick(HOSTS) + "/servers", "/v2.1/os-hypervisors/1"));
            return new Fuzzed("os-hypervisors", "GET", path + query(), headers(false), null, false, false);
        }

        private Fuzzed servers() {
            String path = pick(List.of("/v2.1/servers", "/v2.1/servers/detail", "/v2.1/servers/" + serverId(),
                    "/v2.1/servers/" + serverId() + "/" + oddId(), "/v2.1/" + oddId(), "/v2.1/servers/../os-services",
                    "/v2.1/./servers", "/v2.1//servers", "/v2.1/servers/%2e%2e/os-services"));
            return new Fuzzed("servers", "GET", path + query(), headers(false), null, false, false);
        }

        private Fuzzed keystone() {
            Map<String, String> headers = new LinkedHashMap<>();
            if (chance(30)) {
                String token = token();
                if (token != null) {
                    headers.put("X-Auth-Token", token);
                }
            }
            int kind = random.nextInt(4);
            if (kind > 0) {
                String subject = token();
                if (subject != null) {
                    headers.put("X-Subject-Token", subject);
                }
                String method = pick(List.of("GET", "HEAD", "DELETE"));
                if (method.equals("DELETE") && tokens.admin().equals(subject)) {
                    // revoking the fuzzer's own token would only make later requests 401
                    method = "GET";
                }
                return new Fuzzed("keystone", method, "/v3/auth/tokens", headers, null, true, false);
            }
            var id = cluster.identity();
            Map<String, String> user = new LinkedHashMap<>();
            user.put("name", quote(chance(80) ? id.member().user() : "nobody"));
            user.put("domain", object(Map.of("name", quote("Default"))));
            user.put("password", chance(50) ? quote(id.member().password()) : quote("wrong-" + random.nextInt(1000)));
            Map<String, String> identity = new LinkedHashMap<>();
            identity.put("methods", pick(List.of("[\"password\"]", "[\"token\"]", "[]", "\"password\"", "[\"totp\"]")));
            identity.put("password", object(Map.of("user", object(user))));
            Map<String, String> auth = new LinkedHashMap<>();
            auth.put("identity", object(identity));
            if (chance(60)) {
                String domain = object(Map.of("name", quote("Default")));
                String project = object(Map.of("name", quote(pick(List.of("demo", "admin", "nope"))), "domain", domain));
                auth.put("scope", object(Map.of("project", project)));
            }
            headers.put("Content-Type", pick(List.of("application/json", "application/json", "text/plain")));
            return new Fuzzed("keystone", "POST", "/v3/auth/tokens" + (chance(10) ? "?nocatalog" : ""), headers,
                    body(object(Map.of("auth", object(auth)))), true, false);
        }

        private Fuzzed wrongMethod() {
            String method = pick(List.of("PATCH", "PUT", "DELETE", "POST", "OPTIONS", "TRACE", "FUZZ"));
            boolean identity = chance(20);
            String path = identity ? pick(List.of("/v3/auth/tokens", "/v3", "/v3/auth/catalog", "/v3/users"))
                    : pick(List.of("/v2.1/os-migrations", "/v2.1/os-hypervisors", "/v2.1/os-hypervisors/detail",
                            "/v2.1/os-services", "/v2.1/servers/" + serverId() + "/migrations",
                            "/v2.1/servers/" + serverId(), "/v2.1/os-services/" + UUID.randomUUID()));
            if (identity && method.equals("DELETE")) {
                method = "PATCH";
            }
            if (!identity && method.equals("PUT") && path.startsWith("/v2.1/os-services/")) {
                method = "PATCH";
            }
            return new Fuzzed("wrong-method", method, path, headers(true), body("{}"), identity, false);
        }
    }
}

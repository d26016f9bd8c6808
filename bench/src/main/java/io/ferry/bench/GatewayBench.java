package io.ferry.bench;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.migration.MigrationRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Issue 6's figures through the real system (embedded broker, the four services, simulated hosts, one JVM):
 * the latency from {@code POST os-migrateLive} (202) to the source agent starting the stream (the migration's
 * {@code running} record, written when the source agent confirms the start), p50/p99 over many migrations; and the
 * gateway's read throughput for {@code GET /servers/detail} with 10,000 servers.
 */
public final class GatewayBench {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\",\"name\":\"(lat-[0-9]+)\"");

    private GatewayBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int migrations = quick ? 200 : 1000;
        int servers = quick ? 2_000 : 10_000;
        int hosts = 50;
        Path data = Files.createTempDirectory("ferry-bench-gateway");

        // hosts with many small idle VMs (the read load), plus one latency VM per planned migration
        List<SimFleet.Host> fleet = new ArrayList<>();
        int perHost = servers / hosts;
        int latencyPerHost = (migrations + hosts - 1) / hosts;
        for (int h = 0; h < hosts; h++) {
            List<SimFleet.Vm> vms = new ArrayList<>();
            for (int v = 0; v < perHost - latencyPerHost; v++) {
                vms.add(new SimFleet.Vm("srv-" + h + "-" + v, 256, 1, 1, "m1.nano", "idle"));
            }
            for (int v = 0; v < latencyPerHost; v++) {
                vms.add(new SimFleet.Vm("lat-" + (h * latencyPerHost + v), 256, 1, 1, "m1.nano", "idle"));
            }
            fleet.add(new SimFleet.Host("bench-" + h, 512, 1_048_576, 25_000, vms));
        }
        FerryCluster cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0)
                .withGatewayPort(0).withIdentityPort(0).withFleet(new SimFleet(fleet)).withSimSpeed(50)
                .withProperties(Map.of("ferry.conductor.max-concurrent-live-migrations", "0",
                        "ferry.agent.heartbeat-interval", "60s")));
        try {
            HttpClient http = HttpClient.newHttpClient();
            String token = AdminToken.of(http, cluster);
            String base = cluster.gatewayUrl();

            // wait until the gateway serves every server
            Map<String, String> latencyVms = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (true) {
                String body = get(http, base + "/v2.1/servers?all_tenants=1", token).body();
                long count = body.split("\"id\":").length - 1;
                if (count >= (long) hosts * perHost) {
                    Matcher m = ID.matcher(body);
                    while (m.find()) {
                        latencyVms.put(m.group(2), m.group(1));
                    }
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gateway shows only " + count + " servers");
                }
                Thread.sleep(200);
            }

            // reads: GET /servers/detail with every server, one client, for a fixed number of requests
            int reads = quick ? 10 : 30;
            get(http, base + "/v2.1/servers/detail?all_tenants=1", token);
            long readStart = System.nanoTime();
            long bytes = 0;
            for (int i = 0; i < reads; i++) {
                HttpResponse<String> response = get(http, base + "/v2.1/servers/detail?all_tenants=1", token);
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET /servers/detail answered " + response.statusCode());
                }
                bytes += response.body().length();
            }
            double readSeconds = (System.nanoTime() - readStart) / 1e9;

            // latency: POST os-migrateLive -> the migration's running record
            Map<String, Long> postedAt = new ConcurrentHashMap<>();
            Map<String, Long> runningAt = new ConcurrentHashMap<>();
            Thread watcher = watchRunning(cluster.bootstrapServers(), postedAt, runningAt);
            List<String> ids = latencyVms.values().stream().limit(migrations).toList();
            // one at a time: each POST waits for the previous migration's stream to start, so the figure is the
            // control plane's own latency, not a queue (a burst of 1,000 measures the conductor's throughput)
            for (String id : ids) {
                postedAt.put(id, System.currentTimeMillis());
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v2.1/servers/" + id + "/action"))
                        .header("X-Auth-Token", token).header("Content-Type", "application/json")
                        .header("X-OpenStack-Nova-API-Version", "2.30")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("os-migrateLive answered " + response.statusCode() + ": " + response.body());
                }
                long waitUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!runningAt.containsKey(id) && System.nanoTime() < waitUntil) {
                    Thread.sleep(1);
                }
            }
            watcher.interrupt();
            long[] latencies = ids.stream().filter(runningAt::containsKey)
                    .mapToLong(id -> runningAt.get(id) - postedAt.get(id)).sorted().toArray();
            if (latencies.length < ids.size()) {
                throw new IllegalStateException("only " + latencies.length + " of " + ids.size() + " migrations started");
            }
            long p50 = latencies[latencies.length / 2];
            long p99 = latencies[(int) Math.ceil(latencies.length * 0.99) - 1];

            System.out.println("gateway (embedded broker, four services and " + hosts + " simulated hosts in one JVM)");
            System.out.printf("  POST os-migrateLive -> stream started (running record), one at a time: %d migrations, p50 %d ms, p99 %d ms, max %d ms%n",
                    latencies.length, p50, p99, latencies[latencies.length - 1]);
            System.out.printf("  GET /servers/detail with %,d servers: %d requests in %.2f s = %.2f req/s, %.1f MB per answer%n",
                    hosts * perHost, reads, readSeconds, reads / readSeconds, bytes / 1e6 / reads);
            System.out.printf("bench gateway: migrations=%d start_p50_ms=%d start_p99_ms=%d servers=%d detail_rps=%.2f detail_mb=%.1f%n",
                    latencies.length, p50, p99, hosts * perHost, reads / readSeconds, bytes / 1e6 / reads);
        } finally {
            cluster.close();
        }
    }

    /** Records when each instance's newest migration was recorded running (the record's own time). */
    private static Thread watchRunning(String bootstrap, Map<String, Long> postedAt, Map<String, Long> runningAt) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "bench-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.MIGRATIONS));
        return Thread.ofPlatform().daemon().start(() -> {
            try (consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        if (FerryCodec.decode(record.value()) instanceof MigrationRecord r && "running".equals(r.getStatus())
                                && postedAt.containsKey(r.getInstance().getUuid())) {
                            runningAt.putIfAbsent(r.getInstance().getUuid(), r.getUpdatedAt());
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

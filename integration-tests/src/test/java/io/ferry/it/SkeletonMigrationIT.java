package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.FerryService;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.MigrationRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The walking skeleton end to end: one live migration through the REST API, the conductor, the scheduler and two
 * simulated compute agents, every hop over a real Kafka broker.
 */
class SkeletonMigrationIT {

    private static final String VM = "mover";
    private static final long VM_MB = 2048;

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static Rest api;
    static RecordingConsumer migrations;

    @BeforeAll
    static void startFerry() {
        // given two simulated hosts on 1 Gbit/s NICs, the VM on compute-a, compute-b with room
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host("compute-a", 16, 65536, 1000, List.of(
                        new SimFleet.Vm(VM, VM_MB, 2, 20, "m1.small", "web"),
                        new SimFleet.Vm("stayer", 4096, 2, 40, "m1.medium", "idle"))),
                new SimFleet.Host("compute-b", 16, 65536, 1000, List.of(
                        new SimFleet.Vm("neighbour", 1024, 1, 10, "m1.tiny", "idle")))));
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withIdentityPort(0).withFleet(fleet).withSimSpeed(4.0));
        api = new Rest(cluster.gatewayUrl()).withToken(Rest.token(cluster.identityUrl(), "admin",
                cluster.identity().admin().password(), "admin"));
        migrations = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.MIGRATIONS));
    }

    @AfterAll
    static void stopFerry() throws InterruptedException {
        if (migrations != null) {
            migrations.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void liveMigratesAVmThroughEveryServiceOverKafka() throws Exception {
        // given the VM is visible through the API, and both hypervisors report their memory
        AtomicReference<String> vmId = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode servers = api.get("/v2.1/servers/detail?all_tenants=1").body().get("servers");
            JsonNode vm = find(servers, "name", VM);
            assertThat(vm).isNotNull();
            assertThat(vm.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("compute-a");
            vmId.set(vm.get("id").asText());
            assertThat(hypervisorMemoryUsed()).containsKeys("compute-a", "compute-b");
        });
        Map<String, Long> usedBefore = hypervisorMemoryUsed();

        // when an operator live-migrates it without naming a host
        Rest.Response accepted = api.post("/v2.1/servers/" + vmId.get() + "/action",
                "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}",
                "X-OpenStack-Nova-API-Version", "2.30");

        // then the request is accepted
        assertThat(accepted.status()).isEqualTo(202);

        // and while it runs, the server's migration shows Nova's fields with live figures
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode list = api.get("/v2.1/servers/" + vmId.get() + "/migrations",
                    "X-OpenStack-Nova-API-Version", "2.80").body().get("migrations");
            assertThat(list).hasSize(1);
            JsonNode m = list.get(0);
            assertThat(m.get("status").asText()).isEqualTo("running");
            assertThat(m.get("server_uuid").asText()).isEqualTo(vmId.get());
            assertThat(m.get("source_compute").asText()).isEqualTo("compute-a");
            assertThat(m.get("dest_compute").asText()).isEqualTo("compute-b");
            assertThat(m.get("memory_total_bytes").asLong()).isEqualTo(VM_MB * 1024 * 1024);
            assertThat(m.get("memory_processed_bytes").asLong()).isPositive();
            assertThat(m.has("memory_remaining_bytes")).isTrue();
            assertThat(m.has("uuid")).isTrue();
            assertThat(m.has("user_id")).isTrue();
        });

        // and the record passes exactly queued -> preparing -> running -> post-migrating -> completed (preparing is
        // recorded once more, same transition, with the destination, before the start goes out to the source)
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(statuses(vmId.get())).last()
                .isEqualTo("completed"));
        List<MigrationRecord> records = records(vmId.get());
        assertThat(records).extracting(MigrationRecord::getStatus)
                .containsExactly("queued", "preparing", "preparing", "running", "post-migrating", "completed");
        assertThat(records).extracting(MigrationRecord::getSequence).containsExactly(1L, 2L, 2L, 3L, 4L, 5L);
        assertThat(records.get(2).getDestHost()).isEqualTo("compute-b");
        assertThat(records.get(2).getAwaiting()).isEqualTo("START_MIGRATION");
        assertThat(records).extracting(MigrationRecord::getUuid).containsOnly(records.getFirst().getUuid());
        MigrationRecord completed = records.getLast();
        assertThat(completed.getSourceHost()).isEqualTo("compute-a");
        assertThat(completed.getDestHost()).isEqualTo("compute-b");
        assertThat(completed.getMemoryTotalBytes()).isEqualTo(VM_MB * 1024 * 1024);
        assertThat(completed.getMemoryRemainingBytes()).isZero();
        assertThat(completed.getMemoryProcessedBytes())
                .as("pre-copy sends the non-zero pages at least once, and re-sends what the guest dirtied")
                .isGreaterThan(VM_MB * 1024 * 1024 / 2);
        assertThat(completed.getDowntimeMs()).isPositive();

        // and the server now runs on the destination
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode server = api.get("/v2.1/servers/" + vmId.get()).body().get("server");
            assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("compute-b");
            assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(server.get("OS-EXT-STS:task_state").isNull()).isTrue();
        });

        // and os-migrations shows it completed, with Nova's names
        JsonNode listed = find(api.get("/v2.1/os-migrations?instance_uuid=" + vmId.get(),
                "X-OpenStack-Nova-API-Version", "2.59").body().get("migrations"), "instance_uuid", vmId.get());
        assertThat(listed.get("status").asText()).isEqualTo("completed");
        assertThat(listed.get("migration_type").asText()).isEqualTo("live-migration");
        assertThat(listed.get("source_compute").asText()).isEqualTo("compute-a");
        assertThat(listed.get("dest_compute").asText()).isEqualTo("compute-b");
        assertThat(listed.get("uuid").asText()).isEqualTo(completed.getUuid());
        assertThat(listed.get("id").asLong()).isEqualTo(completed.getId());

        // and the hypervisors' reported RAM usage moved by the VM's size
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Long> usedAfter = hypervisorMemoryUsed();
            assertThat(usedAfter.get("compute-a")).isEqualTo(usedBefore.get("compute-a") - VM_MB);
            assertThat(usedAfter.get("compute-b")).isEqualTo(usedBefore.get("compute-b") + VM_MB);
        });

        // and every service's management port shows it in Prometheus' format, and reports the broker up
        String conductorMetrics = scrape(FerryService.CONDUCTOR, "/actuator/prometheus", 200);
        assertThat(conductorMetrics).contains("ferry_migrations_ended_total{status=\"completed\"} 1.0")
                .contains("ferry_migrations{status=\"completed\"} 1.0")
                .contains("ferry_migration_downtime_seconds_count 1");
        assertThat(scrape(FerryService.SCHEDULER, "/actuator/prometheus", 200))
                .containsPattern("ferry_scheduler_decision_seconds_count\\{outcome=\"claimed\"} [1-9]");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(scrape(FerryService.COMPUTE_AGENT, "/actuator/prometheus", 200))
                        .contains("ferry_host_instances{host=\"compute-b\"} 2.0")
                        .contains("ferry_host_instances{host=\"compute-a\"} 1.0"));
        for (FerryService service : FerryService.values()) {
            assertThat(scrape(service, "/actuator/health", 200)).as(service.name())
                    .contains("\"status\":\"UP\"").contains("\"kafka\":{\"status\":\"UP\"");
        }
    }

    private static String scrape(FerryService service, String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(cluster.managementUrl(service) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(service + " " + path).isEqualTo(expectedStatus);
        return response.body();
    }

    @Test
    void refusesToMigrateAnUnknownServerWithNovasFaultAndPublishesNothing() {
        // when
        Rest.Response response = api.post("/v2.1/servers/00000000-0000-0000-0000-000000000000/action",
                "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}",
                "X-OpenStack-Nova-API-Version", "2.30");

        // then
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().get("itemNotFound").get("code").asInt()).isEqualTo(404);
        assertThat(response.body().get("itemNotFound").get("message").asText()).contains("could not be found");
        assertThat(records("00000000-0000-0000-0000-000000000000")).isEmpty();
    }

    private static List<MigrationRecord> records(String instanceUuid) {
        return migrations.messages(MigrationRecord.class).stream()
                .filter(r -> r.getInstance().getUuid().equals(instanceUuid)).toList();
    }

    private static List<String> statuses(String instanceUuid) {
        return records(instanceUuid).stream().map(MigrationRecord::getStatus).toList();
    }

    private static Map<String, Long> hypervisorMemoryUsed() {
        JsonNode hypervisors = api.get("/v2.1/os-hypervisors/detail").body().get("hypervisors");
        Map<String, Long> used = new java.util.TreeMap<>();
        hypervisors.forEach(h -> used.put(h.get("hypervisor_hostname").asText(), h.get("memory_mb_used").asLong()));
        return used;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (node.get(field).asText().equals(value)) {
                return node;
            }
        }
        return null;
    }
}

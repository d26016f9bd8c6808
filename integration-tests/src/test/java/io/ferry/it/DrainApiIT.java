package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The drain API end to end over a real broker: compute-a carries ten guests of mixed profiles and one with an SR-IOV
 * device, three empty destinations of 24 GiB each. The conductor streams one migration at a time from a host
 * ({@code drain-max-streams=1}), so a drain stopped right after it starts leaves guests that never began.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrainApiIT {

    private static final List<String> DESTINATIONS = List.of("compute-b", "compute-c", "compute-d");

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static Rest admin;

    @BeforeAll
    static void startFerry() {
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withIdentityPort(0).withFleet(SimFleet.drainTarget(3, 24576, true)).withSimSpeed(4.0)
                .withProperties(Map.of("ferry.agent.heartbeat-interval", "1s",
                        "ferry.conductor.drain-max-streams", "1")));
        admin = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(servers(admin.get("/ferry/v1/fleet").body(), "compute-a")).hasSize(11));
    }

    @AfterAll
    static void stopFerry() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aDryRunAnswersThePlanWithTheSriovGuestExcludedWithItsReasonAndAdvice() {
        // the conductor's view of the fleet follows the agents' reports: ask until it plans all eleven guests
        AtomicReference<JsonNode> plan = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Rest.Response answer = admin.post("/ferry/v1/hosts/compute-a/drain?dry_run=true",
                    "{\"reason\": \"dry run\"}");
            assertThat(answer.status()).as("dry run answer %s", answer.body()).isIn(200, 504);
            if (answer.status() == 504) {
                return false;
            }
            plan.set(answer.body().get("drain"));
            return "planned".equals(plan.get().get("status").asString())
                    && plan.get().get("instances").size() + plan.get().get("excluded").size() == 11;
        });

        JsonNode drain = plan.get();
        assertThat(drain.get("dry_run").asBoolean()).isTrue();
        assertThat(drain.get("instances")).hasSize(10).allSatisfy(i -> {
            assertThat(i.get("status").asString()).isEqualTo("planned");
            assertThat(i.get("predicted_duration_ms").asLong()).isPositive();
        });
        assertThat(drain.get("lower_bound_ms").asLong()).isPositive();
        assertThat(drain.get("predicted_total_ms").asLong()).isGreaterThanOrEqualTo(drain.get("lower_bound_ms")
                .asLong());
        assertThat(drain.get("excluded")).singleElement().satisfies(vm -> {
            assertThat(vm.get("name").asString()).isEqualTo("nfv-1");
            assertThat(vm.get("reason").asString()).contains("not live-migratable").contains("SR-IOV");
            assertThat(vm.get("advice").asString()).contains("cold migrate");
        });
        // and a dry run started nothing: the host is still enabled and carries every guest
        JsonNode host = host(admin.get("/ferry/v1/fleet").body(), "compute-a");
        assertThat(host.get("status").asString()).isEqualTo("enabled");
        assertThat(host.get("servers")).hasSize(11);
    }

    @Test
    @Order(2)
    void drainsTheHostShowingProgressUntilCompleted() {
        // when
        Rest.Response accepted = admin.post("/ferry/v1/hosts/compute-a/drain", "{\"reason\": \"kernel upgrade\"}");

        // then the drain is accepted, and a second one of the same host is refused while it runs
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().at("/drain/id").asString();
        assertThat(accepted.headers().get("location")).containsExactly("/ferry/v1/drains/" + id);
        Rest.Response again = admin.post("/ferry/v1/hosts/compute-a/drain", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().at("/conflictingRequest/message").asString()).contains(id);

        // and GET follows it: running with partial progress, then completed
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Rest.Response shown = admin.get("/ferry/v1/drains/" + id);
            if (shown.status() == 200) {
                seen.add(shown.body().get("drain"));
            }
            return !seen.isEmpty() && "completed".equals(seen.getLast().get("status").asString());
        });
        assertThat(seen).anySatisfy(d -> {
            assertThat(d.get("status").asString()).isEqualTo("running");
            assertThat(d.get("progress").asInt()).isBetween(1, 99);
            assertThat(d.get("elapsed_ms").asLong()).isPositive();
            assertThat(d.get("instances")).anySatisfy(i -> assertThat(i.get("migration_uuid").isString()).isTrue());
        });
        JsonNode done = seen.getLast();
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        assertThat(done.get("completed").asInt()).isEqualTo(10);
        assertThat(done.get("predicted_remaining_ms").asLong()).isZero();
        assertThat(done.get("instances")).hasSize(10).allSatisfy(i -> {
            assertThat(i.get("status").asString()).isEqualTo("completed");
            assertThat(i.get("progress").asInt()).isEqualTo(100);
            assertThat(i.get("dest_host").asString()).isIn(DESTINATIONS);
        });
        assertThat(done.at("/excluded/0/name").asString()).isEqualTo("nfv-1");
        assertThat(admin.get("/ferry/v1/drains?host=compute-a&status=completed").body().get("drains"))
                .extracting(d -> d.get("id").asString()).containsExactly(id);

        // and the host is disabled with the reason, with only the SR-IOV guest left on it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode host = host(admin.get("/ferry/v1/fleet").body(), "compute-a");
            assertThat(host.get("status").asString()).isEqualTo("disabled");
            assertThat(host.get("disabled_reason").asString()).isEqualTo("kernel upgrade");
            assertThat(servers(admin.get("/ferry/v1/fleet").body(), "compute-a")).containsExactly("nfv-1");
        });
        assertThat(admin.delete("/ferry/v1/drains/" + id).status()).isEqualTo(409);
    }

    @Test
    @Order(3)
    void stoppingARunningDrainStartsNoFurtherMigration() {
        // given compute-a enabled again (Nova's os-services) and the destination with the most guests
        String serviceId = host(admin.get("/ferry/v1/fleet").body(), "compute-a").get("service_id").asString();
        assertThat(admin.put("/v2.1/os-services/" + serviceId, "{\"status\": \"enabled\"}",
                "OpenStack-API-Version", "compute 2.53").status()).isEqualTo(200);
        JsonNode fleet = admin.get("/ferry/v1/fleet").body();
        String busiest = DESTINATIONS.stream().max((a, b) -> Integer.compare(servers(fleet, a).size(),
                servers(fleet, b).size())).orElseThrow();
        int guests = servers(fleet, busiest).size();
        // (ten guests on three hosts: the busiest has at least four, more than the one running and the one the
        // conductor may have prepared ahead when the stop arrives)
        assertThat(guests).isGreaterThanOrEqualTo(4);

        // when it is drained, and stopped while its first migration runs
        Rest.Response accepted = admin.post("/ferry/v1/hosts/" + busiest + "/drain", "{\"reason\": \"stop test\"}");
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().at("/drain/id").asString();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode d = admin.get("/ferry/v1/drains/" + id).body().get("drain");
            return d != null && d.has("instances") && d.get("instances").valueStream()
                    .anyMatch(i -> "running".equals(i.get("status").asString()));
        });
        Rest.Response stopped = admin.delete("/ferry/v1/drains/" + id);

        // then the migrations streaming when the stop arrived finish, and every other one is cancelled: none of the
        // later ones starts, none is aborted
        assertThat(stopped.status()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(admin.get("/ferry/v1/drains/" + id).body().at("/drain/status").asString())
                        .isEqualTo("stopped"));
        JsonNode drain = admin.get("/ferry/v1/drains/" + id).body().get("drain");
        int completed = drain.get("completed").asInt();
        assertThat(drain.get("total").asInt()).isEqualTo(guests);
        assertThat(completed).as("migrations completed of %d", guests).isBetween(1, guests - 1);
        assertThat(drain.get("instances")).extracting(i -> i.get("status").asString())
                .containsOnly("completed", "cancelled");
        String note = drain.get("note").asString();
        assertThat(note).startsWith("stopped by the operator: stopped: ").doesNotContain("abort").contains((guests - completed) + " not started cancelled");
        assertThat(drain.get("failed").asInt()).isEqualTo(guests - completed);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(servers(admin.get("/ferry/v1/fleet").body(), busiest)).hasSize(guests - completed));
        assertThat(admin.delete("/ferry/v1/drains/" + id).status()).isEqualTo(409);
        assertThat(admin.post("/ferry/v1/hosts/compute-z/drain", "{}").status()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void stoppingADrainWithAbortRunningAbortsItsPreCopyStreamsAndLeavesEveryGuestOnExactlyOneHost() {
        // given every host enabled, and the one with the most live-migratable guests
        JsonNode fleet = admin.get("/ferry/v1/fleet").body();
        List<String> hosts = new ArrayList<>(DESTINATIONS);
        hosts.add("compute-a");
        for (String name : hosts) {
            JsonNode h = host(fleet, name);
            if (!"enabled".equals(h.get("status").asString())) {
                assertThat(admin.put("/v2.1/os-services/" + h.get("service_id").asString(),
                        "{\"status\": \"enabled\"}", "OpenStack-API-Version", "compute 2.53").status())
                        .isEqualTo(200);
            }
        }
        String busiest = hosts.stream().max((a, b) -> Integer.compare(migratable(fleet, a).size(),
                migratable(fleet, b).size())).orElseThrow();
        int guests = migratable(fleet, busiest).size();
        // (ten guests on four hosts: the busiest has at least three)
        assertThat(guests).isGreaterThanOrEqualTo(3);

        // when it is drained, and stopped with abort_running while its first migration streams
        Rest.Response accepted = admin.post("/ferry/v1/hosts/" + busiest + "/drain", "{\"reason\": \"abort test\"}");
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.body().at("/drain/id").asString();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode d = admin.get("/ferry/v1/drains/" + id).body().get("drain");
            return d != null && d.has("instances") && d.get("instances").valueStream()
                    .anyMatch(i -> "running".equals(i.get("status").asString()));
        });
        assertThat(admin.delete("/ferry/v1/drains/" + id + "?abort_running=maybe").status()).isEqualTo(400);
        Rest.Response stopped = admin.delete("/ferry/v1/drains/" + id + "?abort_running=true");

        // then the drain ends stopped, every migration of it ended, the stream was aborted
        assertThat(stopped.status()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(admin.get("/ferry/v1/drains/" + id).body().at("/drain/status").asString())
                        .isEqualTo("stopped"));
        JsonNode drain = admin.get("/ferry/v1/drains/" + id).body().get("drain");
        String note = drain.get("note").asString();
        assertThat(note).as("note").startsWith("stopped by the operator: stopped: ").containsPattern("\\d+ aborted");
        assertThat(drain.get("instances")).extracting(i -> i.get("status").asString())
                .isSubsetOf("completed", "cancelled").contains("cancelled");
        assertThat(drain.get("total").asInt()).isEqualTo(guests);
        assertThat(drain.get("completed").asInt()).isBetween(0, guests - 1);

        // and no migration is left running anywhere, and every guest runs on exactly one host: the aborted and the
        // cancelled ones on their source, the completed ones on their destination
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode now = admin.get("/ferry/v1/fleet").body();
            assertThat(now.get("migrations")).isEmpty();
            Map<String, String> hostOf = new HashMap<>();
            for (JsonNode h : now.get("hosts")) {
                for (JsonNode server : h.get("servers")) {
                    String previous = hostOf.put(server.get("name").asString(), h.get("name").asString());
                    assertThat(previous).as("%s on two hosts", server.get("name").asString()).isNull();
                }
            }
            assertThat(hostOf).hasSize(11);
            for (JsonNode i : drain.get("instances")) {
                String expected = "completed".equals(i.get("status").asString()) ? i.get("dest_host").asString()
                        : busiest;
                assertThat(hostOf).containsEntry(i.get("name").asString(), expected);
            }
        });
    }

    static JsonNode host(JsonNode fleet, String name) {
        for (JsonNode h : fleet.get("hosts")) {
            if (h.get("name").asString().equals(name)) {
                return h;
            }
        }
        throw new AssertionError("no host " + name + " in the fleet");
    }

    static List<String> migratable(JsonNode fleet, String host) {
        return servers(fleet, host).stream().filter(name -> !"nfv-1".equals(name)).toList();
    }

    static List<String> servers(JsonNode fleet, String host) {
        List<String> names = new ArrayList<>();
        host(fleet, host).get("servers").forEach(s -> names.add(s.get("name").asString()));
        return names;
    }
}

package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.MigrationRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The conductor's lifecycle over a real broker with simulated hosts on 1 Gbit/s NICs: an operator abort of a running
 * migration, the convergence policy raising the downtime of a migration that then completes, and a conductor
 * restart in the middle of one migration with another queued behind it.
 */
class ConductorIT {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "error");

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static Rest api;
    static RecordingConsumer migrations;

    @BeforeAll
    static void startFerry() {
        // given compute-a with the VMs to move, compute-b with room; Nova's policy with a 3 s/GiB step delay
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host("compute-a", 32, 131072, 1000, List.of(
                        new SimFleet.Vm("abortee", 16384, 4, 40, "m1.xlarge", "database"),
                        new SimFleet.Vm("ramp", 4096, 2, 40, "m1.medium", "web"),
                        new SimFleet.Vm("phoenix", 4096, 2, 40, "m1.medium", "web"),
                        new SimFleet.Vm("follower", 2048, 1, 20, "m1.small", "web"))),
                new SimFleet.Host("compute-b", 32, 131072, 1000, List.of())));
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withFleet(fleet).withSimSpeed(4.0).withProperties(Map.of(
                        "ferry.conductor.convergence-policy", "nova",
                        "ferry.conductor.live-migration-downtime-delay", 3)));
        api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        migrations = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.MIGRATIONS));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String vm : List.of("abortee", "ramp", "phoenix", "follower")) {
                assertThat(hostOf(serverId(vm))).isEqualTo("compute-a");
            }
        });
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
    void anAbortedRunningMigrationEndsCancelledWithTheVmStillOnTheSource() {
        // given a 16 GiB VM migrating over 1 Gbit/s (over two minutes of simulated time)
        String vm = serverId("abortee");
        migrate(vm);
        JsonNode running = awaitRunning(vm);

        // when the operator aborts it
        Rest.Response abort = api.delete("/v2.1/servers/" + vm + "/migrations/" + running.get("id").asText(),
                "X-OpenStack-Nova-API-Version", "2.65");

        // then
        assertThat(abort.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(statuses(vm)).last().isEqualTo("cancelled"));
        MigrationRecord cancelled = records(vm).getLast();
        assertThat(cancelled.getReason()).isEqualTo("aborted by the operator");
        assertThat(cancelled.getDecision()).isEqualTo("abort");
        assertThat(statuses(vm)).containsSubsequence("queued", "preparing", "running", "cancelled")
                .doesNotContain("post-migrating", "completed");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(hostOf(vm)).isEqualTo("compute-a");
            assertThat(api.get("/v2.1/servers/" + vm).body().get("server").get("status").asText()).isEqualTo("ACTIVE");
        });
    }

    @Test
    void theNovaPolicyRaisesTheDowntimeStepByStepAndTheMigrationCompletes() {
        // given a 4 GiB VM: Nova's ramp steps every int(3 s x 4) = 12 s
        String vm = serverId("ramp");

        // when
        migrate(vm);

        // then the record shows the raised limits, and the migration completes on the destination
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(statuses(vm)).last().isEqualTo("completed"));
        List<MigrationRecord> decisions = records(vm).stream()
                .filter(r -> "set-max-downtime".equals(r.getDecision())).toList();
        assertThat(decisions).isNotEmpty();
        assertThat(decisions.getFirst().getDecisionDowntimeMs()).isEqualTo(95);
        assertThat(decisions.getFirst().getDecisionReason()).isNotBlank();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(hostOf(vm)).isEqualTo("compute-b"));
    }

    @Test
    void aRestartedConductorEndsEveryMigrationInATerminalStatusWithTheVmOnOneHost() {
        // given one migration running and one queued behind it on the same source
        String phoenix = serverId("phoenix");
        String follower = serverId("follower");
        migrate(phoenix);
        awaitRunning(phoenix);
        migrate(follower);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(statuses(follower)).contains("queued"));

        // when the conductor restarts mid-migration
        cluster.restartConductor();

        // then both end in a terminal status, and each VM is on exactly one host, the one its record implies
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(statuses(phoenix)).last().isIn(TERMINAL);
            assertThat(statuses(follower)).last().isIn(TERMINAL);
        });
        assertThat(statuses(phoenix)).last().isEqualTo("completed");
        assertThat(statuses(follower)).last().isEqualTo("completed");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(hostOf(phoenix)).isEqualTo("compute-b");
            assertThat(hostOf(follower)).isEqualTo("compute-b");
            assertThat(placements(phoenix)).isEqualTo(1);
            assertThat(placements(follower)).isEqualTo(1);
        });
    }

    private static void migrate(String vm) {
        Rest.Response accepted = api.post("/v2.1/servers/" + vm + "/action",
                "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}",
                "X-OpenStack-Nova-API-Version", "2.30");
        assertThat(accepted.status()).isEqualTo(202);
    }

    private static JsonNode awaitRunning(String vm) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(statuses(vm)).contains("running"));
        JsonNode list = api.get("/v2.1/servers/" + vm + "/migrations", "X-OpenStack-Nova-API-Version", "2.80")
                .body().get("migrations");
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private static String serverId(String name) {
        for (JsonNode server : api.get("/v2.1/servers/detail?all_tenants=1").body().get("servers")) {
            if (server.get("name").asText().equals(name)) {
                return server.get("id").asText();
            }
        }
        throw new AssertionError("no server " + name);
    }

    private static String hostOf(String vm) {
        return api.get("/v2.1/servers/" + vm).body().get("server").get("OS-EXT-SRV-ATTR:host").asText();
    }

    /** On how many hypervisors the instance is listed. */
    private static long placements(String vm) {
        long count = 0;
        for (JsonNode server : api.get("/v2.1/servers/detail?all_tenants=1").body().get("servers")) {
            if (server.get("id").asText().equals(vm)) {
                count++;
            }
        }
        return count;
    }

    private static List<MigrationRecord> records(String instanceUuid) {
        return migrations.messages(MigrationRecord.class).stream()
                .filter(r -> r.getInstance().getUuid().equals(instanceUuid)).toList();
    }

    private static List<String> statuses(String instanceUuid) {
        return records(instanceUuid).stream().map(MigrationRecord::getStatus).toList();
    }
}

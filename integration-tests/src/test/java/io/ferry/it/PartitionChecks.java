package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.app.HostAgent;
import io.ferry.agent.domain.Guest;
import io.ferry.deploy.FerryCluster;
import io.ferry.schemas.migration.MigrationRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * What the partition tests (an agent cut off from the broker in an in-process {@link FerryCluster}) ask and check:
 * servers by name, live migrations to a named host, the records of an instance's migrations, and the hypervisors'
 * truth read through the agents (which stays readable while a host is cut off).
 */
final class PartitionChecks {

    private final FerryCluster cluster;
    private final Rest api;
    private final RecordingConsumer migrations;

    PartitionChecks(FerryCluster cluster, Rest api, RecordingConsumer migrations) {
        this.cluster = cluster;
        this.api = api;
        this.migrations = migrations;
    }

    /** Exactly one hypervisor runs the guest, nobody holds a reservation or a job, memory used = the guests'. */
    void assertGuestRunsOnlyOn(String vm, String host) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, HostAgent> agents = cluster.hostAgents();
            List<String> running = agents.values().stream()
                    .filter(a -> a.<Boolean>read(l -> l.running(vm).isPresent())).map(HostAgent::host).toList();
            assertThat(running).containsExactly(host);
            for (HostAgent agent : agents.values()) {
                long sum = agent.<Long>read(l -> l.runningGuests().stream().mapToLong(Guest::memoryMb).sum());
                assertThat(agent.<Long>read(l -> l.memoryMbUsed())).as("memory used on %s", agent.host())
                        .isEqualTo(sum);
                assertThat(agent.<Integer>read(l -> l.migrationsIn())).as("reservations on %s", agent.host())
                        .isZero();
                assertThat(agent.<Integer>read(l -> l.migrationsOut())).as("jobs out of %s", agent.host())
                        .isZero();
            }
        });
    }

    MigrationRecord awaitStatus(String vm, String status) {
        return awaitRecord(vm, r -> r.getStatus().equals(status));
    }

    MigrationRecord awaitRecord(String vm, Predicate<MigrationRecord> wanted) {
        return await().atMost(Duration.ofSeconds(90)).until(
                () -> records(vm).stream().filter(wanted).findFirst().orElse(null), Objects::nonNull);
    }

    /** Live-migrates {@code vm} to {@code host} (2.30, block migration auto); the API must accept it. */
    void migrate(String vm, String host) {
        Rest.Response accepted = api.post("/v2.1/servers/" + vm + "/action",
                "{\"os-migrateLive\": {\"host\": \"" + host + "\", \"block_migration\": \"auto\"}}",
                "X-OpenStack-Nova-API-Version", "2.30");
        assertThat(accepted.status()).isEqualTo(202);
    }

    String serverId(String name) {
        for (JsonNode server : api.get("/v2.1/servers/detail?all_tenants=1").body().get("servers")) {
            if (server.get("name").asText().equals(name)) {
                return server.get("id").asText();
            }
        }
        throw new AssertionError("no server " + name);
    }

    String hostOf(String vm) {
        return api.get("/v2.1/servers/" + vm).body().get("server").get("OS-EXT-SRV-ATTR:host").asText();
    }

    /** Every record of the instance's migrations, in arrival order. */
    List<MigrationRecord> records(String instanceUuid) {
        return migrations.messages(MigrationRecord.class).stream()
                .filter(r -> r.getInstance().getUuid().equals(instanceUuid)).toList();
    }

    List<String> statuses(String instanceUuid) {
        return records(instanceUuid).stream().map(MigrationRecord::getStatus).toList();
    }
}

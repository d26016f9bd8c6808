package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.conductor.domain.MigrationStatus;
import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.FerryService;
import io.ferry.deploy.ProcessCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.migration.MigrationRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Each service runs in its own process; while one migration runs and another waits queued behind it, the service is
 * killed with SIGKILL and started again. Afterwards every migration has ended, every VM runs on exactly one host,
 * every host's memory use is the sum of its VMs (no reservation or claim leaked) and each migration's records
 * follow the lifecycle in order.
 */
class ServiceKillIT {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "error");

    @TempDir
    static Path data;
    static ProcessCluster cluster;
    static Rest api;
    static RecordingConsumer recorder;

    @BeforeAll
    static void startFerry() {
        List<SimFleet.Vm> vms = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            vms.add(new SimFleet.Vm("kill-" + i, 1024, 1, 10, "m1.tiny", "web"));
        }
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host("compute-a", 16, 65536, 1000, vms),
                new SimFleet.Host("compute-b", 16, 65536, 1000, List.of()),
                new SimFleet.Host("compute-c", 16, 65536, 1000, List.of())));
        // FERRY_IT_DATA keeps the services' logs for a post-mortem
        Path dir = System.getenv("FERRY_IT_DATA") != null ? Path.of(System.getenv("FERRY_IT_DATA")) : data;
        cluster = ProcessCluster.start(FerryCluster.Options.defaults(dir).withGatewayPort(0).withFleet(fleet)
                .withSimSpeed(4.0));
        api = new Rest(cluster.gatewayUrl());
        recorder = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.MIGRATIONS, Topics.HOST_EVENTS));
        await().atMost(Duration.ofSeconds(60)).until(() -> serverIds().size() == 6);
    }

    @AfterAll
    static void stopFerry() throws InterruptedException {
        if (recorder != null) {
            recorder.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = FerryService.class, names = {"CONDUCTOR", "SCHEDULER", "GATEWAY"})
    void aKilledServiceLeavesNoMigrationOrVmInAnUnknownState(FerryService victim) {
        // given two VMs still on compute-a: one migration runs, the next waits queued behind it
        List<String> onA = serversOn("compute-a");
        assertThat(onA).hasSizeGreaterThanOrEqualTo(2);
        List<String> moving = onA.subList(0, 2);
        for (String id : moving) {
            assertThat(api.post("/v2.1/servers/" + id + "/action",
                    "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}").status()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> statuses(moving.get(0)).contains("running"));

        // when the service dies mid-migration and comes back
        cluster.kill(victim);
        cluster.restart(victim);

        // then every migration ends
        await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
            for (String id : moving) {
                assertThat(statuses(id)).isNotEmpty();
                assertThat(TERMINAL).contains(statuses(id).getLast());
            }
        });
        // and each migration's records follow the lifecycle
        for (String id : moving) {
            assertLegalHistory(records(id));
        }
        // and every VM runs on exactly one host, and each host's memory use is the sum of its VMs
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, HostInventory> latest = latestInventories();
            Map<String, Integer> seen = new HashMap<>();
            for (HostInventory host : latest.values()) {
                long sum = 0;
                for (HostedInstance vm : host.getInstances()) {
                    seen.merge(vm.getSpec().getUuid(), 1, Integer::sum);
                    sum += vm.getSpec().getMemoryMb();
                }
                assertThat(host.getMemoryMbUsed()).as("memory used on %s", host.getHost()).isEqualTo(sum);
                assertThat(host.getMigrationsIn()).as("reservations left on %s", host.getHost()).isZero();
            }
            assertThat(seen).hasSize(6);
            assertThat(seen.values()).containsOnly(1);
        });
    }

    private static void assertLegalHistory(List<MigrationRecord> history) {
        assertThat(history).isNotEmpty();
        assertThat(history.getFirst().getStatus()).isEqualTo("queued");
        for (int i = 1; i < history.size(); i++) {
            MigrationRecord before = history.get(i - 1);
            MigrationRecord after = history.get(i);
            assertThat(after.getSequence()).isGreaterThanOrEqualTo(before.getSequence());
            if (!before.getStatus().equals(after.getStatus())) {
                assertThat(MigrationStatus.fromNovaName(before.getStatus())
                        .canMoveTo(MigrationStatus.fromNovaName(after.getStatus())))
                        .as("%s -> %s", before.getStatus(), after.getStatus()).isTrue();
            }
        }
    }

    private static List<String> serverIds() {
        JsonNode servers = api.get("/v2.1/servers").body().get("servers");
        List<String> ids = new ArrayList<>();
        servers.forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    private static List<String> serversOn(String host) {
        JsonNode servers = api.get("/v2.1/servers/detail?host=" + host).body().get("servers");
        List<String> ids = new ArrayList<>();
        servers.forEach(s -> {
            if (!"MIGRATING".equals(s.get("status").asText())) {
                ids.add(s.get("id").asText());
            }
        });
        return ids;
    }

    /** The records of the newest migration of an instance, deduplicated (a restarted conductor may repeat one). */
    private static List<MigrationRecord> records(String instanceUuid) {
        List<MigrationRecord> all = recorder.messages(MigrationRecord.class).stream()
                .filter(r -> r.getInstance().getUuid().equals(instanceUuid)).toList();
        if (all.isEmpty()) {
            return all;
        }
        String newest = all.getLast().getUuid();
        Map<String, MigrationRecord> distinct = new LinkedHashMap<>();
        for (MigrationRecord r : all) {
            if (r.getUuid().equals(newest)) {
                distinct.putIfAbsent(r.getSequence() + "/" + r.getStatus() + "/" + r.getUpdatedAt(), r);
            }
        }
        return List.copyOf(distinct.values());
    }

    private static List<String> statuses(String instanceUuid) {
        return records(instanceUuid).stream().map(MigrationRecord::getStatus).distinct().collect(Collectors.toList());
    }

    private static Map<String, HostInventory> latestInventories() {
        Map<String, HostInventory> latest = new HashMap<>();
        for (HostInventory inventory : recorder.messages(HostInventory.class)) {
            latest.merge(inventory.getHost(), inventory, (a, b) ->
                    b.getEnvelope().getEventTime() >= a.getEnvelope().getEventTime() ? b : a);
        }
        return latest;
    }
}

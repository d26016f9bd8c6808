package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.adapter.sim.SimHypervisorClient;
import io.ferry.agent.domain.Guest;
import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.FerryService;
import io.ferry.deploy.ProcessCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.migration.JobPhase;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The link fails during post-copy: the guest's pages are split between the hosts, so it is lost. The migration
 * must end in {@code error} saying so and naming the host it must be recovered on, and nothing may claim it
 * completed; a migration elsewhere goes on. The migration is switched to post-copy by force_complete (post-copy
 * permitted), and the fault is injected into the simulated hypervisor daemon ({@code POST /faults}) once the source
 * reports a post-copy reading. Afterwards the compute agent is restarted: it must hold the lost guest's room again.
 */
class PostCopyFailureIT {

    private static final List<String> HOSTS = List.of("compute-a", "compute-b", "compute-c", "compute-d");

    @TempDir
    static Path data;
    static ProcessCluster cluster;
    static SimHypervisorClient hypervisor;
    static RecordingConsumer recorder;
    static FaultChecks checks;

    @BeforeAll
    static void startFerry() {
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host("compute-a", 32, 65536, 1000,
                        List.of(new SimFleet.Vm("stress-1", 4096, 2, 40, "m1.medium", "memory-stress"))),
                new SimFleet.Host("compute-b", 32, 65536, 1000, List.of()),
                new SimFleet.Host("compute-c", 32, 65536, 1000,
                        List.of(new SimFleet.Vm("web-1", 2048, 1, 20, "m1.small", "web"))),
                new SimFleet.Host("compute-d", 32, 65536, 1000, List.of())));
        Path dir = System.getenv("FERRY_IT_DATA") != null ? Path.of(System.getenv("FERRY_IT_DATA")) : data;
        cluster = ProcessCluster.start(FerryCluster.Options.defaults(dir).withGatewayPort(0).withIdentityPort(0)
                .withFleet(fleet).withSimSpeed(8.0)
                .withProperties(Map.of(
                        "ferry.agent.heartbeat-interval", "1s",
                        "ferry.conductor.live-migration-permit-post-copy", "true")));
        hypervisor = new SimHypervisorClient(cluster.simHypervisorUrl());
        recorder = new RecordingConsumer(cluster.bootstrapServers(),
                List.of(Topics.MIGRATIONS, Topics.HOST_EVENTS, Topics.MIGRATION_PROGRESS));
        checks = new FaultChecks(recorder, hypervisor, HOSTS);
    }

    @AfterAll
    static void stopFerry() throws InterruptedException {
        FaultReport.print();
        if (recorder != null) {
            recorder.close();
        }
        if (hypervisor != null) {
            hypervisor.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aLinkFailureDuringPostCopyEndsInErrorNamingTheHostToRecoverTheGuestOn() {
        // given a dirty guest migrating a -> b that switches to post-copy, and a web guest migrating c -> d
        Rest api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        Map<String, String> uuidOf = new HashMap<>();
        checks.guestsByHost().values().forEach(list -> list.forEach(g -> uuidOf.put(g.name(), g.uuid())));
        String stress = uuidOf.get("stress-1");
        String web = uuidOf.get("web-1");
        Set<String> known = checks.migrationUuids();
        String postCopy = migrate(api, stress, "compute-b", known);
        String other = migrate(api, web, "compute-d", known);
        checks.forcePostCopy(api, postCopy);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() ->
                recorder.messages(MigrationProgress.class).stream().anyMatch(p ->
                        p.getMigrationUuid().equals(postCopy) && p.getPhase() == JobPhase.POST_COPY));

        // when the source's link fails
        hypervisor.fault("link-down", "compute-a", Duration.ofMinutes(5));

        // then
        List<String> migrations = List.of(postCopy, other);
        int passed = 0;
        String outcomes = "not ended";
        try {
            checks.awaitTerminal(migrations, Duration.ofSeconds(120));
            outcomes = checks.outcomes(migrations);
            passed = checks.run(List.of(
                    () -> checks.assertTerminal(migrations),
                    () -> assertLostGuestError(checks.latest(postCopy), stress),
                    () -> assertThat(checks.records(postCopy)).as("records of the failed migration")
                            .extracting(MigrationRecord::getStatus).doesNotContain("completed", "post-migrating"),
                    () -> assertThat(checks.status(other)).as("the migration elsewhere").isEqualTo("completed"),
                    () -> assertThat(gatewayStatus(api, postCopy)).as("the compute API's view").isEqualTo("error"),
                    () -> assertThat(hypervisor.lost()).singleElement().satisfies(lost -> assertThat(lost)
                            .containsEntry("uuid", stress).containsEntry("recoverOn", "compute-b")),
                    () -> {
                        Set<String> running = new HashSet<>(uuidOf.values());
                        running.remove(stress);
                        checks.assertOneHostPerVm(running);
                    },
                    () -> assertClaimsHoldOnlyTheRecoveryRoom(stress, 0),
                    () -> migrations.forEach(checks::assertNoTransitionLost),
                    () -> {
                        // a restarted agent rebuilds its ledgers from the hypervisors: the room stays held
                        long restartedAt = System.currentTimeMillis();
                        cluster.restart(FerryService.COMPUTE_AGENT);
                        assertClaimsHoldOnlyTheRecoveryRoom(stress, restartedAt);
                    }));
        } finally {
            FaultReport.add(new FaultReport.Row("post-copy failure", "source link down during post-copy",
                    migrations.size(), outcomes, passed, 10));
        }
        checks.rethrow();
    }

    private static String migrate(Rest api, String instance, String host, Set<String> known) {
        assertThat(api.post("/v2.1/servers/" + instance + "/action",
                "{\"os-migrateLive\": {\"host\": \"" + host + "\", \"block_migration\": \"auto\"}}",
                "X-OpenStack-Nova-API-Version", "2.30").status()).isEqualTo(202);
        return checks.awaitNewMigration(instance, known);
    }

    private static void assertLostGuestError(MigrationRecord record, String instance) {
        assertThat(record.getStatus()).isEqualTo("error");
        assertThat(record.getReason()).as("why").contains("lost");
        assertThat(record.getVmLocation()).as("where the guest is").contains("compute-b");
        assertThat(record.getOperatorAction()).as("what to do").contains("compute-b").contains("recover");
        assertThat(record.getInstance().getUuid()).isEqualTo(instance);
    }

    private static String gatewayStatus(Rest api, String migrationUuid) {
        JsonNode all = api.get("/v2.1/os-migrations", "X-OpenStack-Nova-API-Version", "2.59").body().get("migrations");
        List<String> statuses = new ArrayList<>();
        all.forEach(m -> {
            if (m.has("uuid") && migrationUuid.equals(m.get("uuid").asText())) {
                statuses.add(m.get("status").asText());
            }
        });
        return statuses.isEmpty() ? "absent" : statuses.getFirst();
    }

    /**
     * The lost guest's room stays reserved on the host it must be recovered on (as the destination's QEMU still
     * holds it); every other host's use is exactly its running guests. Judged on inventories reported at or after
     * {@code sinceMillis} (e.g. by an agent restarted then).
     */
    private static void assertClaimsHoldOnlyTheRecoveryRoom(String lost, long sinceMillis) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, List<Guest>> truth = checks.guestsByHost();
            Map<String, HostInventory> latest = new HashMap<>();
            recorder.messages(HostInventory.class).stream()
                    .filter(i -> i.getEnvelope().getEventTime() >= sinceMillis)
                    .forEach(i -> latest.merge(i.getHost(), i, (a, b) ->
                            b.getEnvelope().getEventTime() >= a.getEnvelope().getEventTime() ? b : a));
            assertThat(latest.keySet()).as("hosts reported since %d", sinceMillis).containsAll(HOSTS);
            for (String host : HOSTS) {
                long running = truth.get(host).stream().mapToLong(Guest::memoryMb).sum();
                boolean recovery = host.equals("compute-b");
                assertThat(latest.get(host).getMemoryMbUsed()).as("memory used on %s", host)
                        .isEqualTo(running + (recovery ? 4096 : 0));
                assertThat(latest.get(host).getMigrationsIn()).as("rooms held on %s", host).isEqualTo(recovery ? 1 : 0);
                assertThat(latest.get(host).getMigrationsOut()).as("jobs out on %s", host).isZero();
            }
        });
    }
}

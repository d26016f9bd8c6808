package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.adapter.libvirt.TwoLibvirtDaemons;
import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
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
 * Ferry end to end on real hypervisors: two compute agents with the libvirt driver, each serving one real session
 * libvirtd on this machine, plus the conductor, the scheduler, the gateway and a real Kafka broker. A real QEMU
 * guest live-migrates through the compute API.
 */
class LibvirtMigrationIT {

    private static final long MIB = 1024 * 1024;

    /** A CPU as defined on a newer host: AVX-512, which this machine's CPU (and QEMU's TCG) lacks. */
    private static final String AVX512_CPU = "<cpu mode='custom' match='exact' check='none'>"
            + "<model fallback='forbid'>qemu64</model><feature policy='require' name='avx512f'/></cpu>";

    @TempDir
    static Path data;
    static TwoLibvirtDaemons daemons;
    static AutoCloseable userfaultfd;
    static FerryCluster cluster;
    static Rest api;
    static RecordingConsumer topics;

    @BeforeAll
    static void startFerryOnTwoRealHosts() {
        daemons = TwoLibvirtDaemons.start("it");
        // post-copy is permitted, so every migration starts with VIR_MIGRATE_POSTCOPY: QEMU, run by an unprivileged
        // user here, needs userfaultfd on both sides
        userfaultfd = daemons.allowUnprivilegedUserfaultfd();
        daemons.startIdleGuest("a", "lv-idle");
        daemons.startDirtyingGuest("a", "lv-dirty");
        daemons.startDirtyingGuest("a", "lv-abort");
        daemons.startDirtyingGuest("a", "lv-postcopy", 124);
        daemons.startPersistentGuestWithCpu("a", "lv-cpu", AVX512_CPU);
        daemons.startDirtyingGuest("a", "lv-restart");
        // Nova's ramp for a guest counted as 2 GiB: 500 ms, then +450 ms every 6 s; the stream capped at 20 MiB/s,
        // about what the dirtying guests write, so each pass leaves their whole working set dirty: 32 MiB converges
        // once the limit passes ~1.6 s, 124 MiB needs ~6 s, more than the ramp ever allows. The completion timeout
        // (15 s/GiB x 2 GiB = 30 s) then force-completes: post-copy, as it is permitted
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withFleet(new SimFleet(List.of())).withProperties(Map.of(
                        "ferry.conductor.convergence-policy", "nova",
                        "ferry.conductor.live-migration-downtime", 5000,
                        "ferry.conductor.live-migration-downtime-steps", 10,
                        "ferry.conductor.live-migration-downtime-delay", 3,
                        "ferry.conductor.live-migration-bandwidth", 20,
                        "ferry.conductor.live-migration-permit-post-copy", true,
                        "ferry.conductor.live-migration-timeout-action", "force_complete",
                        "ferry.conductor.live-migration-completion-timeout", 15)));
        cluster.startAgent(agent("a"));
        cluster.startAgent(agent("b"));
        api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        topics = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.MIGRATIONS, Topics.MIGRATION_PROGRESS));
    }

    /** The destination's libvirtd picks the stream's port (its own allocator binds it first): no collisions. */
    private static Map<String, Object> agent(String daemon) {
        Map<String, Object> properties = daemons.agentProperties(daemon);
        properties.put("ferry.agent.libvirt.progress-interval", "250ms");
        properties.put("ferry.agent.heartbeat-interval", "2s");
        properties.put("ferry.agent.libvirt.reconnect-initial", "200ms");
        properties.put("ferry.agent.libvirt.reconnect-max", "2s");
        return properties;
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (topics != null) {
                topics.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            try {
                if (daemons != null) {
                    daemons.close();
                }
            } finally {
                if (userfaultfd != null) {
                    userfaultfd.close();
                }
            }
        }
    }

    @Test
    void eachRealHostReportsWhatItsHypervisorSaysOfItself() {
        // the agents' inventories carry libvirt's own facts: QEMU's version (Nova's integer) and the host CPU
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode hypervisors = api.get("/v2.1/os-hypervisors/detail", "X-OpenStack-Nova-API-Version", "2.28")
                    .body().get("hypervisors");
            for (String host : List.of("libvirt-a", "libvirt-b")) {
                JsonNode h = find(hypervisors, "hypervisor_hostname", host);
                assertThat(h).as(host).isNotNull();
                assertThat(h.get("hypervisor_version").asLong()).as("QEMU version of %s", host).isGreaterThan(1_000_000L);
                assertThat(h.get("cpu_info").get("features").size()).as("CPU features of %s", host).isPositive();
            }
        });
    }

    @Test
    void anIdleGuestLiveMigratesThroughTheComputeApiAndItsRecordCarriesRealByteCounts() {
        // given the real guest is listed on libvirt-a through the API
        AtomicReference<String> id = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode server = find(api.get("/v2.1/servers/detail?all_tenants=1").body().get("servers"), "name", "lv-idle");
            assertThat(server).isNotNull();
            assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("libvirt-a");
            id.set(server.get("id").asText());
        });
        assertThat(id.get()).isEqualTo(daemons.withConnection("a", c -> c.domainLookupByName("lv-idle").getUUIDString()));

        // when an operator live-migrates it to libvirt-b
        long started = System.nanoTime();
        Rest.Response accepted = api.post("/v2.1/servers/" + id.get() + "/action",
                "{\"os-migrateLive\": {\"host\": \"libvirt-b\", \"block_migration\": \"auto\"}}",
                "X-OpenStack-Nova-API-Version", "2.30");
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);

        // then the record completes, with the figures libvirt measured
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(records(id.get())).extracting(MigrationRecord::getStatus).contains("completed"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        MigrationRecord completed = records(id.get()).stream().filter(r -> r.getStatus().equals("completed"))
                .findFirst().orElseThrow();
        assertThat(completed.getSourceHost()).isEqualTo("libvirt-a");
        assertThat(completed.getDestHost()).isEqualTo("libvirt-b");
        assertThat(completed.getMemoryTotalBytes()).isGreaterThanOrEqualTo(128 * MIB);
        assertThat(completed.getMemoryProcessedBytes()).isPositive();
        System.out.printf("Ferry live-migrated a real guest in %d ms: statuses %s, %d of %d bytes, downtime %d ms%n",
                tookMs, records(id.get()).stream().map(MigrationRecord::getStatus).toList(),
                completed.getMemoryProcessedBytes(), completed.getMemoryTotalBytes(), completed.getDowntimeMs());

        // and the domain runs on the destination daemon, not on the source
        assertThat(daemons.runningDomains("b")).contains("lv-idle");
        assertThat(daemons.runningDomains("a")).doesNotContain("lv-idle");

        // and the API shows the server on libvirt-b
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode server = api.get("/v2.1/servers/" + id.get()).body().get("server");
            assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("libvirt-b");
            assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        });
    }

    @Test
    void aDirtyingGuestCompletesOnlyAfterTheNovaPolicyRaisesItsMaxDowntimeAndItsProgressCarriesRealFigures() {
        // given a guest dirtying its memory faster than the capped stream
        String id = serverOn("lv-dirty", "libvirt-a");

        // when it is live-migrated to libvirt-b
        long started = System.nanoTime();
        assertThat(migrate(id, "libvirt-b").status()).isEqualTo(202);

        // then it completes, after the policy raised the downtime at least twice
        await().atMost(Duration.ofSeconds(150)).untilAsserted(() ->
                assertThat(records(id)).extracting(MigrationRecord::getStatus).contains("completed"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        List<MigrationRecord> raises = records(id).stream()
                .filter(r -> "set-max-downtime".equals(r.getDecision())).toList();
        assertThat(raises).hasSizeGreaterThanOrEqualTo(2);
        assertThat(raises).extracting(MigrationRecord::getDecisionDowntimeMs).isSorted();
        MigrationRecord completed = records(id).stream().filter(r -> r.getStatus().equals("completed"))
                .findFirst().orElseThrow();
        assertThat(completed.getMemoryProcessedBytes()).isGreaterThan(64 * MIB);

        // and the progress on the topic carries libvirt's real dirty rate and iterations
        List<MigrationProgress> readings = progress(completed.getUuid());
        assertThat(readings).isNotEmpty();
        assertThat(readings).anySatisfy(p -> assertThat(p.getDirtyRateBytesPerSec()).isGreaterThan(4 * MIB));
        assertThat(readings).extracting(MigrationProgress::getIteration).anySatisfy(i -> assertThat(i).isGreaterThanOrEqualTo(3));
        assertThat(readings).extracting(MigrationProgress::getDowntimeLimitMs)
                .contains(raises.getFirst().getDecisionDowntimeMs());

        // and the guest runs on libvirt-b only
        assertThat(daemons.runningDomains("b")).contains("lv-dirty");
        assertThat(daemons.runningDomains("a")).doesNotContain("lv-dirty");
        System.out.printf("Ferry migrated the dirtying guest in %d ms: downtime limits %s, %d bytes, %d readings%n",
                tookMs, raises.stream().map(MigrationRecord::getDecisionDowntimeMs).toList(),
                completed.getMemoryProcessedBytes(), readings.size());
    }

    @Test
    void aSourceAgentRestartedDuringARealMigrationFindsTheJobOnItsDomainAndTheMigrationCompletes() {
        // given a dirtying guest migrating on its capped stream (it converges only once the ramp passes ~1.6 s)
        String id = serverOn("lv-restart", "libvirt-a");
        assertThat(migrate(id, "libvirt-b").status()).isEqualTo(202);
        AtomicReference<MigrationRecord> running = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            MigrationRecord record = records(id).getLast();
            assertThat(record.getStatus()).isEqualTo("running");
            assertThat(progress(record.getUuid())).anySatisfy(p -> assertThat(p.getMemoryProcessedBytes()).isPositive());
            running.set(record);
        });
        String migration = running.get().getUuid();

        // when the source's compute agent stops (libvirtd runs the job on) and a new one starts
        cluster.stopAgent("libvirt-a");
        assertThat(cluster.hostAgents()).doesNotContainKey("libvirt-a");
        int readingsBefore = progress(migration).size();
        cluster.startAgent(agent("a"));

        // then the new agent found the job by the mark on its domain: it reports the job's progress again
        java.util.Optional<String> followed = cluster.hostAgents().get("libvirt-a").read(ledger -> ledger.migrationOf(id));
        assertThat(followed).hasValue(migration);
        await().atMost(Duration.ofSeconds(60)).until(() -> progress(migration).size() > readingsBefore);

        // and the migration completes, the guest running on libvirt-b only
        await().atMost(Duration.ofSeconds(150)).untilAsserted(() ->
                assertThat(records(id)).extracting(MigrationRecord::getStatus).contains("completed"));
        assertThat(records(id)).extracting(MigrationRecord::getStatus).doesNotContain("error", "failed");
        MigrationRecord completed = records(id).stream().filter(r -> r.getStatus().equals("completed"))
                .findFirst().orElseThrow();
        assertThat(completed.getUuid()).isEqualTo(migration);
        assertThat(completed.getMemoryProcessedBytes()).isGreaterThan(32 * MIB);
        assertThat(daemons.runningDomains("b")).contains("lv-restart");
        assertThat(daemons.runningDomains("a")).doesNotContain("lv-restart");
        System.out.printf("the restarted agent followed migration %s to its end: %s, %d bytes%n", migration,
                records(id).stream().map(MigrationRecord::getStatus).distinct().toList(),
                completed.getMemoryProcessedBytes());
    }

    @Test
    void anOperatorAbortStopsARealMigrationAndTheGuestKeepsRunningOnTheSource() {
        // given a dirtying guest migrating
        String id = serverOn("lv-abort", "libvirt-a");
        assertThat(migrate(id, "libvirt-b").status()).isEqualTo(202);
        AtomicReference<MigrationRecord> running = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            MigrationRecord record = records(id).getLast();
            assertThat(record.getStatus()).isEqualTo("running");
            assertThat(progress(record.getUuid())).anySatisfy(p -> assertThat(p.getMemoryProcessedBytes()).isPositive());
            running.set(record);
        });

        // when the operator aborts it
        Rest.Response abort = api.delete("/v2.1/servers/" + id + "/migrations/" + running.get().getId(),
                "X-OpenStack-Nova-API-Version", "2.65");

        // then the record ends cancelled, and the guest still runs on libvirt-a only
        assertThat(abort.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(records(id)).extracting(MigrationRecord::getStatus).last().isEqualTo("cancelled"));
        assertThat(records(id)).extracting(MigrationRecord::getStatus).doesNotContain("completed");
        assertThat(daemons.runningDomains("a")).contains("lv-abort");
        assertThat(daemons.runningDomains("b")).doesNotContain("lv-abort");
    }

    @Test
    void aDirtyingGuestThatCannotConvergeIsSwitchedToPostCopyByTheNovaPolicyAndCompletes() {
        // given a guest whose 124 MiB working set never fits the downtime limits of the ramp
        String id = serverOn("lv-postcopy", "libvirt-a");

        // when it is live-migrated to libvirt-b
        long started = System.nanoTime();
        assertThat(migrate(id, "libvirt-b").status()).isEqualTo(202);

        // then the completion timeout's force_complete switches it to post-copy, and it completes
        await().atMost(Duration.ofSeconds(180)).untilAsserted(() ->
                assertThat(records(id)).extracting(MigrationRecord::getStatus).contains("completed"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        List<String> statuses = records(id).stream().map(MigrationRecord::getStatus).distinct().toList();
        assertThat(statuses).containsSubsequence("running", "running (post-copy)", "post-migrating", "completed");
        MigrationRecord switched = records(id).stream().filter(r -> "switch-to-post-copy".equals(r.getDecision()))
                .findFirst().orElseThrow();
        assertThat(switched.getDecisionReason()).contains("timeout action force_complete, post-copy permitted");
        MigrationRecord completed = records(id).getLast();
        assertThat(completed.getStatus()).isEqualTo("completed");
        assertThat(completed.getPostCopy()).isTrue();
        assertThat(completed.getMemoryProcessedBytes()).isGreaterThan(64 * MIB);

        // and the source reported post-copy readings from libvirt while the guest already ran on libvirt-b
        assertThat(progress(completed.getUuid())).extracting(MigrationProgress::getPhase)
                .contains(io.ferry.schemas.migration.JobPhase.PRE_COPY, io.ferry.schemas.migration.JobPhase.POST_COPY);

        // and the guest runs on libvirt-b only
        assertThat(daemons.runningDomains("b")).contains("lv-postcopy");
        assertThat(daemons.runningDomains("a")).doesNotContain("lv-postcopy");
        System.out.printf("Ferry migrated the non-converging guest in %d ms through post-copy: %s, %d bytes%n",
                tookMs, statuses, completed.getMemoryProcessedBytes());
    }

    @Test
    void aDestinationWhoseHypervisorLacksTheGuestsCpuRefusesItInPreCheckAndTheGuestStaysOnTheSource() {
        // given a guest whose definition asks for AVX-512 (defined on a newer host), running on libvirt-a
        String id = serverOn("lv-cpu", "libvirt-a");

        // when it is live-migrated to libvirt-b
        assertThat(migrate(id, "libvirt-b").status()).isEqualTo(202);

        // then libvirt-b refuses it in pre-check, naming the missing feature, and the migration fails
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(records(id)).extracting(MigrationRecord::getStatus).last().isEqualTo("failed"));
        MigrationRecord failed = records(id).getLast();
        assertThat(failed.getReason()).contains("prepare destination refused by libvirt-b")
                .contains("CPU doesn't have compatibility")
                .contains("Host CPU does not provide required features: avx512f");
        assertThat(records(id)).extracting(MigrationRecord::getStatus).doesNotContain("running");

        // and the API lists the migration as failed, the server still ACTIVE on libvirt-a
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode migrations = api.get("/v2.1/os-migrations?instance_uuid=" + id,
                    "X-OpenStack-Nova-API-Version", "2.59").body().get("migrations");
            JsonNode listed = find(migrations, "uuid", failed.getUuid());
            assertThat(listed).isNotNull();
            assertThat(listed.get("status").asText()).isEqualTo("failed");
            assertThat(listed.get("dest_compute").asText()).isEqualTo("libvirt-b");
            JsonNode server = api.get("/v2.1/servers/" + id).body().get("server");
            assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("libvirt-a");
            assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        });

        // and the guest still runs on libvirt-a only
        assertThat(daemons.runningDomains("a")).contains("lv-cpu");
        assertThat(daemons.runningDomains("b")).doesNotContain("lv-cpu");
        System.out.printf("libvirt-b refused the guest in pre-check: %s%n", failed.getReason());
    }

    @Test
    void aHostWhoseLibvirtdStopsIsDisabledWithNovasReasonUntilItAnswersAgain() {
        // given libvirt-b's compute service is enabled
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(service("libvirt-b").get("status").asText()).isEqualTo("enabled"));
        try {
            // when its libvirtd dies (its guests keep running: QEMU outlives libvirtd)
            daemons.stopDaemon("b");

            // then the agent, still heartbeating, reports the service disabled with Nova's automatic reason
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode service = service("libvirt-b");
                assertThat(service.get("status").asText()).isEqualTo("disabled");
                assertThat(service.get("disabled_reason").asText()).startsWith("AUTO: Connection to libvirt lost: ")
                        .contains(daemons.uri("b"));
                assertThat(service.get("state").asText()).isEqualTo("up");
                JsonNode hypervisor = find(api.get("/v2.1/os-hypervisors/detail", "X-OpenStack-Nova-API-Version", "2.28")
                        .body().get("hypervisors"), "hypervisor_hostname", "libvirt-b");
                assertThat(hypervisor.get("status").asText()).isEqualTo("disabled");
            });
        } finally {
            // when it is back
            daemons.restartDaemon("b");
        }

        // then the agent reconnects on its own and enables the service again
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode service = service("libvirt-b");
            assertThat(service.get("status").asText()).isEqualTo("enabled");
            assertThat(service.get("disabled_reason").isNull()).isTrue();
        });
    }

    private static JsonNode service(String host) {
        JsonNode services = api.get("/v2.1/os-services?binary=nova-compute&host=" + host).body().get("services");
        assertThat(services).hasSize(1);
        return services.get(0);
    }

    private static String serverOn(String name, String host) {
        AtomicReference<String> id = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode server = find(api.get("/v2.1/servers/detail?all_tenants=1").body().get("servers"), "name", name);
            assertThat(server).isNotNull();
            assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(host);
            id.set(server.get("id").asText());
        });
        return id.get();
    }

    private static Rest.Response migrate(String id, String host) {
        return api.post("/v2.1/servers/" + id + "/action",
                "{\"os-migrateLive\": {\"host\": \"" + host + "\", \"block_migration\": \"auto\"}}",
                "X-OpenStack-Nova-API-Version", "2.30");
    }

    private static List<MigrationRecord> records(String instanceUuid) {
        return topics.messages(MigrationRecord.class).stream()
                .filter(r -> r.getInstance().getUuid().equals(instanceUuid)).toList();
    }

    private static List<MigrationProgress> progress(String migrationUuid) {
        return topics.messages(MigrationProgress.class).stream()
                .filter(p -> p.getMigrationUuid().equals(migrationUuid)).toList();
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

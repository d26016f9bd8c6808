package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.MigrationRecord;
import io.ferry.schemas.migration.MigrationProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source agent cut off from the broker (its hypervisor running on) for longer than host-heartbeat-timeout (6 s)
 * in the middle of a migration: the migration goes to {@code error} with the reason, the last figures and where the
 * guest is; when the agent comes back it learns the job's outcome, nothing is done twice (the guest runs on exactly
 * one hypervisor), every host's memory in use is the sum of its guests, and the record never leaves {@code error}.
 * Guests dirty 1.5 GB/s over 1 Gbit/s NICs: pre-copy never converges, so only an abort ends a stream. Nova's policy
 * (no early abort) with a 16 s/GiB completion timeout: 512 s of job time for the 32 GiB guest, 64 s (+ a 4 s margin
 * at the source) for the 4 GiB one; at speed 4 that is 16 s (17 s) of wall time.
 */
class AgentPartitionIT {

    private static final String SOURCE = "compute-a";
    private static final String DEST = "compute-b";

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static Rest api;
    static RecordingConsumer migrations;
    static RecordingConsumer progress;
    static PartitionChecks checks;

    @BeforeAll
    static void startFerry() {
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host(SOURCE, 32, 131072, 1000, List.of(
                        new SimFleet.Vm("stranded", 32768, 8, 40, "m1.xxlarge", "memory-stress"),
                        new SimFleet.Vm("deadline", 4096, 2, 40, "m1.medium", "memory-stress"))),
                new SimFleet.Host(DEST, 32, 131072, 1000, List.of())));
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withFleet(fleet).withSimSpeed(4.0).withProperties(Map.of(
                        "ferry.agent.heartbeat-interval", "1s",
                        "ferry.conductor.host-heartbeat-timeout", "6s",
                        "ferry.conductor.convergence-policy", "nova",
                        "ferry.conductor.live-migration-completion-timeout", 16,
                        "ferry.conductor.agent-deadline-margin", "4s")));
        api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        migrations = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.MIGRATIONS));
        progress = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.MIGRATION_PROGRESS));
        checks = new PartitionChecks(cluster, api, migrations);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(checks.hostOf(checks.serverId("stranded"))).isEqualTo(SOURCE);
            assertThat(checks.hostOf(checks.serverId("deadline"))).isEqualTo(SOURCE);
        });
    }

    @AfterAll
    static void stopFerry() throws InterruptedException {
        if (migrations != null) {
            migrations.close();
        }
        if (progress != null) {
            progress.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRunningMigrationWhoseSourceFallsSilentEndsInErrorAndTheGuestRunsOnceWhenTheSourceReturns() {
        // given a 32 GiB guest streaming to compute-b
        String vm = checks.serverId("stranded");
        checks.migrate(vm, DEST);
        awaitStreaming(vm);

        // when compute-a is cut off from the broker for longer than the heartbeat timeout
        cluster.isolateAgent(SOURCE);
        MigrationRecord error;
        try {
            error = checks.awaitStatus(vm, "error");
            // its job still runs on the hypervisor: the conductor could not have known how it ends
            assertThat(cluster.hostAgents().get(SOURCE).<java.util.Optional<String>>read(
                    l -> l.migrationOf(vm))).isPresent();
        } finally {
            cluster.reconnectAgent(SOURCE);
        }

        // then the record says why, with the last figures, where the guest is and what to do
        assertThat(error.getReason()).contains("source host compute-a stopped reporting")
                .contains("host-heartbeat-timeout 6 s").contains("while the stream ran").contains("pre-copy");
        assertThat(error.getMemoryProcessedBytes()).isPositive();
        assertThat(error.getVmLocation()).contains("the guest runs on compute-a");
        assertThat(error.getOperatorAction()).contains("Ferry ordered it to abort the job");

        // and once compute-a is back, its job is aborted there and compute-b's reservation released
        MigrationRecord settled = checks.awaitRecord(vm, r -> r.getVmLocation() != null
                && r.getVmLocation().contains("its job ended cancelled"));
        assertThat(settled.getVmLocation()).startsWith("the guest runs on compute-a");
        assertThat(settled.getOperatorAction()).contains("released the reservation on compute-b");
        checks.assertGuestRunsOnlyOn(vm, SOURCE);
        assertNeverLeftError(vm);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(checks.hostOf(vm)).isEqualTo(SOURCE));
    }

    @Test
    void theSourceAppliesItsOwnCompletionDeadlineWhileCutOff() {
        // given a 4 GiB guest streaming to compute-b (conductor's timeout 64 s of job time, the source's 68 s)
        String vm = checks.serverId("deadline");
        checks.migrate(vm, DEST);
        awaitStreaming(vm);

        // when compute-a is cut off until its own deadline has ended the job
        cluster.isolateAgent(SOURCE);
        try {
            checks.awaitStatus(vm, "error");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cluster.hostAgents().get(SOURCE)
                    .<java.util.Optional<String>>read(l -> l.migrationOf(vm))).isEmpty());
        } finally {
            cluster.reconnectAgent(SOURCE);
        }

        // then when it is back the record learns why the job ended, from the source's own account
        MigrationRecord settled = checks.awaitRecord(vm, r -> r.getVmLocation() != null
                && r.getVmLocation().contains("its job ended cancelled"));
        assertThat(settled.getVmLocation()).contains("the source agent aborted the job")
                .contains("completion deadline of 68 s").contains("without a timeout decision from the conductor");
        assertThat(settled.getStatus()).isEqualTo("error");
        checks.assertGuestRunsOnlyOn(vm, SOURCE);
        assertNeverLeftError(vm);
    }

    /** Once in error, every later record of the migration is in error too (updates, never a move back). */
    private static void assertNeverLeftError(String vm) {
        List<String> statuses = checks.statuses(vm);
        int first = statuses.indexOf("error");
        assertThat(first).isNotNegative();
        assertThat(statuses.subList(first, statuses.size())).containsOnly("error");
        assertThat(statuses.subList(0, first)).containsSubsequence("queued", "preparing", "running")
                .doesNotContain("post-migrating", "completed", "failed", "cancelled");
    }

    /** Running, and the conductor has been sent a reading with memory sent. */
    private static void awaitStreaming(String vm) {
        String uuid = checks.awaitStatus(vm, "running").getUuid();
        await().atMost(Duration.ofSeconds(60)).until(() -> progress.messages(MigrationProgress.class).stream()
                .anyMatch(p -> p.getMigrationUuid().equals(uuid) && p.getMemoryProcessedBytes() > 0));
    }
}

package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.app.HostAgent;
import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.AgentReply;
import io.ferry.schemas.migration.HostStep;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import io.ferry.schemas.scheduler.ClaimRecord;
import io.ferry.schemas.scheduler.ClaimState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DESTINATION agent cut off from the broker (its hypervisor running on) for longer than host-heartbeat-timeout
 * (6 s): while preparing, the migration fails (a forced destination has no alternate); while the stream runs, the
 * conductor orders the heard source to abort and the migration is cancelled. Either way the record names the silent
 * host, where the guest is and what the operator does; the guest runs on the source alone (the simulated hypervisors
 * are the truth); the scheduler's claim is released; and when the destination comes back it reads the orders that
 * waited for it (prepare, then rollback) and releases its room: nothing is started twice, no migration moves again.
 * Guests dirty 1.5 GB/s over 1 Gbit/s NICs, so only an abort ends a stream; Nova's policy with a 16 s/GiB completion
 * timeout keeps the conductor's own timeout (512 s of job time for 32 GiB) out of the way.
 */
class DestinationPartitionIT {

    private static final String SOURCE = "compute-a";
    private static final String DEST = "compute-b";

    @TempDir
    static Path data;
    static FerryCluster cluster;
    static Rest api;
    static RecordingConsumer recorder;
    static PartitionChecks checks;

    @BeforeAll
    static void startFerry() {
        SimFleet fleet = new SimFleet(List.of(
                new SimFleet.Host(SOURCE, 32, 131072, 1000, List.of(
                        new SimFleet.Vm("unprepared", 8192, 2, 40, "m1.large", "memory-stress"),
                        new SimFleet.Vm("streaming", 32768, 8, 40, "m1.xxlarge", "memory-stress"))),
                new SimFleet.Host(DEST, 32, 131072, 1000, List.of())));
        cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0).withGatewayPort(0)
                .withFleet(fleet).withSimSpeed(4.0).withProperties(Map.of(
                        "ferry.agent.heartbeat-interval", "1s",
                        "ferry.conductor.host-heartbeat-timeout", "6s",
                        "ferry.conductor.convergence-policy", "nova",
                        "ferry.conductor.live-migration-completion-timeout", 16)));
        api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        recorder = new RecordingConsumer(cluster.bootstrapServers(),
                List.of(Topics.MIGRATIONS, Topics.MIGRATION_PROGRESS, Topics.SCHEDULER_CLAIMS));
        checks = new PartitionChecks(cluster, api, recorder);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(checks.hostOf(checks.serverId("unprepared"))).isEqualTo(SOURCE);
            assertThat(checks.hostOf(checks.serverId("streaming"))).isEqualTo(SOURCE);
        });
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

    @Test
    void aDestinationSilentWhilePreparingFailsTheMigrationAndReleasesItsRoomWhenItReturns() {
        // given compute-b cut off from the broker just before a migration forced onto it asks it to prepare
        String vm = checks.serverId("unprepared");
        cluster.isolateAgent(DEST);
        MigrationRecord failed;
        try {
            checks.migrate(vm, DEST);
            // (the order to prepare waits in compute-b's topic, or reached it just before the cut: then it
            // reserved the room, but its answer was lost)
            failed = checks.awaitRecord(vm, r -> r.getStatus().equals("failed"));
        } finally {
            cluster.reconnectAgent(DEST);
        }

        // then the record says which host went silent, that nothing changed, where the guest is and what to do
        assertThat(failed.getReason()).contains("destination host compute-b stopped reporting")
                .contains("host-heartbeat-timeout 6 s").contains("nothing changed");
        assertThat(failed.getVmLocation()).isEqualTo("the guest runs on compute-a: nothing changed");
        assertThat(failed.getOperatorAction()).contains("none if compute-b comes back")
                .contains("rollback order waiting in its topic");

        // and once back, compute-b answers the rollback that waited and holds no room
        awaitReply(failed.getUuid(), HostStep.ROLLBACK_DESTINATION);
        checks.assertGuestRunsOnlyOn(vm, SOURCE);
        assertClaimReleased(failed.getUuid());
        assertThat(checks.statuses(vm)).containsSubsequence("queued", "preparing", "failed")
                .doesNotContain("running", "post-migrating", "completed", "error");
        assertThat(checks.statuses(vm).getLast()).isEqualTo("failed");
    }

    @Test
    void aDestinationSilentWhileTheStreamRunsGetsTheJobAbortedAndTheGuestStaysOnTheSource() {
        // given a 32 GiB guest streaming to compute-b
        String vm = checks.serverId("streaming");
        checks.migrate(vm, DEST);
        String uuid = checks.awaitRecord(vm, r -> r.getStatus().equals("running")).getUuid();
        await().atMost(Duration.ofSeconds(60)).until(() -> recorder.messages(MigrationProgress.class).stream()
                .anyMatch(p -> p.getMigrationUuid().equals(uuid) && p.getMemoryProcessedBytes() > 0));

        // when compute-b is cut off from the broker for longer than the heartbeat timeout
        cluster.isolateAgent(DEST);
        MigrationRecord cancelled;
        try {
            cancelled = checks.awaitRecord(vm, r -> r.getStatus().equals("cancelled"));
            // the source's job is gone, the guest runs on compute-a, compute-b still holds its room (it cannot hear)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(agent(SOURCE).<Optional<String>>read(l -> l.migrationOf(vm))).isEmpty();
                assertThat(agent(SOURCE).<Boolean>read(l -> l.running(vm).isPresent())).isTrue();
            });
            assertThat(agent(DEST).<Boolean>read(l -> l.isIncoming(vm))).isTrue();
        } finally {
            cluster.reconnectAgent(DEST);
        }

        // then the record says why, with the last figures, where the guest is and what to do
        assertThat(cancelled.getReason()).contains("destination host compute-b stopped reporting")
                .contains("host-heartbeat-timeout 6 s").contains("while the stream ran").contains("pre-copy")
                .contains("Ferry aborted the job so that the guest stays on compute-a");
        assertThat(cancelled.getMemoryProcessedBytes()).isPositive();
        assertThat(cancelled.getVmLocation()).startsWith("the guest runs on compute-a");
        assertThat(cancelled.getOperatorAction()).contains("none if compute-b comes back")
                .contains("releases its reservation");

        // and once compute-b is back it rolls back: one host runs the guest, no room or claim is left, and the
        // migration never moves again
        awaitReply(uuid, HostStep.ROLLBACK_DESTINATION);
        checks.assertGuestRunsOnlyOn(vm, SOURCE);
        assertClaimReleased(uuid);
        List<String> statuses = checks.statuses(vm);
        assertThat(statuses).containsSubsequence("queued", "preparing", "running", "cancelled")
                .doesNotContain("post-migrating", "completed", "error", "failed");
        assertThat(statuses.subList(statuses.indexOf("cancelled"), statuses.size())).containsOnly("cancelled");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(checks.hostOf(vm)).isEqualTo(SOURCE));
    }

    private static HostAgent agent(String host) {
        return cluster.hostAgents().get(host);
    }

    /** The scheduler's last word on the migration's claim is a release. */
    private static void assertClaimReleased(String migrationUuid) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ClaimRecord> claims = recorder.messages(ClaimRecord.class).stream()
                    .filter(c -> c.getMigrationUuid().equals(migrationUuid)).toList();
            assertThat(claims).as("claims of %s", migrationUuid).isNotEmpty();
            assertThat(claims.getLast().getStatus()).isEqualTo(ClaimState.RELEASED);
        });
    }

    private static void awaitReply(String migrationUuid, HostStep step) {
        await().atMost(Duration.ofSeconds(60)).until(() -> recorder.messages(AgentReply.class).stream()
                .anyMatch(r -> r.getMigrationUuid().equals(migrationUuid) && r.getHost().equals(DEST)
                        && r.getStep() == step));
    }
}

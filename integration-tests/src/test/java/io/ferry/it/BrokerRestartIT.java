package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.adapter.sim.SimHypervisorClient;
import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.FerryService;
import io.ferry.deploy.ProcessCluster;
import io.ferry.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The broker goes away mid-migration and comes back on the same data directory: stopped cleanly while a job runs,
 * or killed with SIGKILL during post-copy. Every service reconnects and every migration resumes; nothing is lost or
 * duplicated in effect: every migration ends, every VM runs on one host, claims match the guests, and each
 * migration's transitions are all there, in order, each recorded as one status.
 */
class BrokerRestartIT {

    private static final List<String> HOSTS = List.of("compute-a", "compute-b", "compute-c", "compute-d");

    @TempDir
    static Path data;
    static ProcessCluster cluster;
    static SimHypervisorClient hypervisor;
    static RecordingConsumer recorder;
    static FaultChecks checks;
    static Set<String> instances;

    @BeforeAll
    static void startFerry() {
        Path dir = System.getenv("FERRY_IT_DATA") != null ? Path.of(System.getenv("FERRY_IT_DATA")) : data;
        cluster = ProcessCluster.start(FerryCluster.Options.defaults(dir).withGatewayPort(0).withIdentityPort(0)
                .withFleet(FaultChecks.fleet(HOSTS)).withSimSpeed(8.0)
                .withProperties(Map.of(
                        "ferry.agent.heartbeat-interval", "1s",
                        "ferry.conductor.live-migration-permit-post-copy", "true")));
        hypervisor = new SimHypervisorClient(cluster.simHypervisorUrl());
        recorder = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.MIGRATIONS, Topics.HOST_EVENTS));
        checks = new FaultChecks(recorder, hypervisor, HOSTS);
        instances = checks.placement().keySet();
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

    @ParameterizedTest(name = "broker {0} while a migration is {1}")
    @CsvSource({"stopped, running, 0", "killed, running (post-copy), 2"})
    void migrationsResumeAfterTheBrokerRestarts(String how, String status, int watchedIndex) {
        // given three migrations under way
        checks.awaitApiAgrees(() -> Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity()),
                Duration.ofSeconds(60));
        Rest api = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        List<String> migrations = checks.startThreeMigrations(api);
        String watched = migrations.get(watchedIndex);
        if (status.equals("running (post-copy)")) {
            checks.forcePostCopy(api, watched);
        }

        // when the broker goes away as the watched migration enters the phase, and comes back on the same data
        String atStop = checks.onceReached(watched, status, how.equals("killed") ? cluster.broker()::kill
                : cluster.broker()::stop, Duration.ofSeconds(90));
        cluster.broker().start();

        // then every migration ends, and nothing is lost or duplicated in effect
        int passed = 0;
        String outcomes = "not ended";
        try {
            checks.awaitTerminal(migrations, Duration.ofSeconds(180));
            outcomes = checks.outcomes(migrations);
            passed = checks.runAll(migrations, instances,
                    () -> assertThat(List.of(FerryService.values())).as("services alive after the broker came back")
                            .allMatch(cluster::isAlive));
        } finally {
            FaultReport.add(new FaultReport.Row("broker restart", "broker " + how + " at " + status
                    + (atStop.equals(status) ? "" : " (was " + atStop + ")"),
                    migrations.size(), outcomes, passed, FaultChecks.NAMES.size() + 1));
        }
        checks.rethrow();
        assertThat(outcomes).as("every migration resumes to its end").isEqualTo("completed x3");
    }
}

package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.adapter.sim.SimHypervisorClient;
import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.FerryService;
import io.ferry.deploy.ProcessCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kill matrix: each of the four services (compute agent, scheduler, conductor, gateway) is killed with SIGKILL
 * at each phase of a migration (queued, preparing, running, running (post-copy), post-migrating) while three
 * migrations are under way, then started again. Each service runs in its own process and the simulated hosts' guests
 * and jobs in the simulated hypervisor daemon, so a kill is a real kill and a killed agent leaves its guests running,
 * as a real host's QEMU outlives nova-compute. The phase is hit by watching {@code ferry.migrations} and killing
 * when the target migration's record in that status is read (on the recorder's thread, within milliseconds); a
 * phase that ended before the kill landed is named in the summary ("was ... at the kill"). The conductor and the
 * compute agents are killed in preparing once the record says the start is ordered (written before StartMigration
 * goes out), so the restarted conductor or source agent must settle a start that may or may not have been sent or
 * run. Per case: two web guests leave one host (the second
 * waits queued behind the first: one outgoing migration per host), and a memory-stress guest leaves another host
 * and is switched to post-copy (force_complete with post-copy permitted) in the post-copy cases. Before each
 * case the compute API must show every VM where its hypervisor runs it. Afterwards: every migration is terminal, every
 * VM runs on exactly one host, no claim leaked, and no transition of any migration is missing or out of order.
 * One cluster serves every case.
 */
class KillMatrixIT {

    private static final double SIM_SPEED = 8.0;
    private static final List<String> HOSTS = List.of("compute-a", "compute-b", "compute-c", "compute-d");

    enum Phase {
        QUEUED("queued", Mover.SECOND_WEB),
        PREPARING("preparing", Mover.FIRST_WEB),
        RUNNING("running", Mover.FIRST_WEB),
        POST_COPY("running (post-copy)", Mover.STRESS),
        POST_MIGRATING("post-migrating", Mover.FIRST_WEB);

        final String status;
        final Mover watched;

        Phase(String status, Mover watched) {
            this.status = status;
            this.watched = watched;
        }
    }

    enum Mover { FIRST_WEB, SECOND_WEB, STRESS }

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
                .withFleet(FaultChecks.fleet(HOSTS)).withSimSpeed(SIM_SPEED)
                .withProperties(Map.of(
                        "ferry.agent.heartbeat-interval", "1s",
                        "ferry.conductor.live-migration-permit-post-copy", "true")));
        hypervisor = new SimHypervisorClient(cluster.simHypervisorUrl());
        recorder = new RecordingConsumer(cluster.bootstrapServers(), List.of(Topics.MIGRATIONS, Topics.HOST_EVENTS));
        checks = new FaultChecks(recorder, hypervisor, HOSTS);
        instances = checks.placement().keySet();
        assertThat(instances).hasSize(11);
        await().atMost(Duration.ofSeconds(60)).until(() -> api().get("/v2.1/servers?all_tenants=1").body()
                .get("servers").size() == 11);
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

    /**
     * All 20 cells run by default; {@code -Dferry.it.kill-matrix=CONDUCTOR,COMPUTE_AGENT:RUNNING} runs the named
     * services (all their phases) or service:phase pairs.
     */
    static final String DEFAULT_CELLS = "ALL";

    static Stream<Arguments> matrix() {
        String only = System.getProperty("ferry.it.kill-matrix", DEFAULT_CELLS);
        Set<String> selected = new LinkedHashSet<>(only.isBlank() || only.equals("ALL") ? List.of()
                : List.of(only.split(",")));
        List<Arguments> cases = new ArrayList<>();
        for (FerryService service : List.of(FerryService.CONDUCTOR, FerryService.SCHEDULER, FerryService.COMPUTE_AGENT,
                FerryService.GATEWAY)) {
            for (Phase phase : Phase.values()) {
                if (selected.isEmpty() || selected.contains(service.name())
                        || selected.contains(service.name() + ":" + phase.name())) {
                    cases.add(Arguments.of(service, phase));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "kill {0} at {1}")
    @MethodSource("matrix")
    void aServiceKilledAtAnyPhaseLeavesNoMigrationOrVmInAnUnknownState(FerryService victim, Phase phase) {
        // given three migrations under way: two web guests from one host (the second queued), a dirty guest from another
        checks.awaitApiAgrees(KillMatrixIT::api, Duration.ofSeconds(60));
        List<String> migrations = checks.startThreeMigrations(api());
        String watched = migrations.get(phase.watched.ordinal());

        // when the service is killed as the watched migration enters the phase, and started again
        if (phase == Phase.POST_COPY) {
            checks.forcePostCopy(api(), watched);
        }
        boolean startOrdered = phase == Phase.PREPARING
                && (victim == FerryService.CONDUCTOR || victim == FerryService.COMPUTE_AGENT);
        String atKill = startOrdered
                ? checks.onceRecorded(watched, r -> r.getStatus().equals(phase.status)
                        && "START_MIGRATION".equals(r.getAwaiting()), () -> cluster.kill(victim), Duration.ofSeconds(90))
                : checks.onceReached(watched, phase.status, () -> cluster.kill(victim), Duration.ofSeconds(90));
        cluster.restart(victim);

        // then every migration ends, and the invariants hold
        int passed = 0;
        String outcomes = "not ended";
        try {
            checks.awaitTerminal(migrations, Duration.ofSeconds(180));
            outcomes = checks.outcomes(migrations);
            passed = checks.runAll(migrations, instances);
        } finally {
            FaultReport.add(new FaultReport.Row("kill matrix", "kill " + victim.name().toLowerCase()
                    + " at " + phase.status + (startOrdered ? " (start ordered)" : "")
                    + (atKill.equals(phase.status) ? "" : " (was " + atKill + " at the kill)"),
                    migrations.size(), outcomes, passed, FaultChecks.NAMES.size()));
        }
        checks.rethrow();
        assertThat(outcomes).as("no migration of a kill case fails or errs: they resume").doesNotContain("error");
    }

    private static Rest admin;

    /** One token for the whole run: Fernet tokens outlive a restart of the gateway that issued them. */
    private static synchronized Rest api() {
        if (admin == null) {
            admin = Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
        }
        return admin;
    }
}

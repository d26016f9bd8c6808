package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.adapter.sim.SimHypervisorClient;
import io.ferry.agent.domain.Guest;
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
import java.util.Optional;
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
 * when the target migration's record in that status appears. Per case: two web guests leave one host (the second
 * waits queued behind the first: one outgoing migration per host), and a memory-stress guest leaves another host
 * and, dirtying faster than the 1 Gbit/s link, switches to post-copy. Afterwards: every migration is terminal, every
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
        List<SimFleet.Host> hosts = new ArrayList<>();
        for (int h = 0; h < HOSTS.size(); h++) {
            List<SimFleet.Vm> vms = new ArrayList<>();
            for (int v = 1; v <= 2; v++) {
                vms.add(new SimFleet.Vm("web-" + (char) ('a' + h) + v, 2048, 1, 20, "m1.small", "web"));
            }
            if (h < 3) {
                vms.add(new SimFleet.Vm("stress-" + (char) ('a' + h), 4096, 2, 40, "m1.medium", "memory-stress"));
            }
            hosts.add(new SimFleet.Host(HOSTS.get(h), 32, 65536, 1000, vms));
        }
        Path dir = System.getenv("FERRY_IT_DATA") != null ? Path.of(System.getenv("FERRY_IT_DATA")) : data;
        cluster = ProcessCluster.start(FerryCluster.Options.defaults(dir).withGatewayPort(0).withIdentityPort(0)
                .withFleet(new SimFleet(hosts)).withSimSpeed(SIM_SPEED)
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
     * Every (service, phase) pair; {@code -Dferry.it.kill-matrix=CONDUCTOR,COMPUTE_AGENT:RUNNING} runs only the
     * named services (all their phases) or service:phase pairs.
     */
    static Stream<Arguments> matrix() {
        String only = System.getProperty("ferry.it.kill-matrix", "");
        Set<String> selected = new LinkedHashSet<>(only.isBlank() ? List.of() : List.of(only.split(",")));
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
        Rest api = api();
        Map<String, List<Guest>> byHost = checks.guestsByHost();
        String source = HOSTS.stream().filter(h -> webGuests(byHost.get(h)).size() >= 2
                        && HOSTS.stream().anyMatch(o -> !o.equals(h) && stressGuest(byHost.get(o)).isPresent()))
                .findFirst().orElseThrow(() -> new AssertionError("no host with two web guests: " + byHost));
        String stressSource = HOSTS.stream().filter(h -> !h.equals(source) && stressGuest(byHost.get(h)).isPresent())
                .findFirst().orElseThrow();
        List<Guest> webs = webGuests(byHost.get(source)).subList(0, 2);
        List<String> movers = List.of(webs.get(0).uuid(), webs.get(1).uuid(),
                stressGuest(byHost.get(stressSource)).orElseThrow().uuid());
        Set<String> known = checks.migrationUuids();
        List<String> migrations = new ArrayList<>();
        for (String instance : movers) {
            assertThat(api.post("/v2.1/servers/" + instance + "/action",
                    "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}",
                    "X-OpenStack-Nova-API-Version", "2.30").status()).as("live migration of %s accepted", instance)
                    .isEqualTo(202);
            migrations.add(checks.awaitNewMigration(instance, known));
        }
        String watched = migrations.get(phase.watched.ordinal());

        // when the service is killed as the watched migration enters the phase, and started again
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                .until(() -> checks.reached(watched, phase.status));
        cluster.kill(victim);
        String atKill = checks.status(watched);
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
                    + " at " + phase.status + (atKill.equals(phase.status) ? "" : " (was " + atKill + " at the kill)"),
                    migrations.size(), outcomes, passed, FaultChecks.NAMES.size()));
        }
        checks.rethrow();
        assertThat(outcomes).as("no migration of a kill case fails or errs: they resume").doesNotContain("error");
    }

    private static List<Guest> webGuests(List<Guest> guests) {
        return guests.stream().filter(g -> "web".equals(g.workload())).toList();
    }

    private static Optional<Guest> stressGuest(List<Guest> guests) {
        return guests.stream().filter(g -> "memory-stress".equals(g.workload())).findFirst();
    }

    private static Rest api() {
        // a fresh token: a restarted gateway forgets the tokens it issued
        return Rest.asAdmin(cluster.gatewayUrl(), cluster.identityUrl(), cluster.identity());
    }
}

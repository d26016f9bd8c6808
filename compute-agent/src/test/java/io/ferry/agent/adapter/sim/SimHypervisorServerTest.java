package io.ferry.agent.adapter.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.config.AgentConfiguration;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.HostCapacity;
import io.ferry.agent.domain.HostLedger;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.MigrationOrder;
import io.ferry.agent.domain.sim.Bandwidth;
import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.HostSpec;
import io.ferry.agent.domain.sim.SimulationSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated hypervisor daemon and an agent's client: guests and jobs live in the daemon, not in the agent. */
class SimHypervisorServerTest {

    private static final Guest WEB = new Guest("11111111-1111-1111-1111-111111111111", "web-1", "demo", "demo",
            "m1.small", 1024, 1, 10, "web");
    private static final Guest STRESS = new Guest("22222222-2222-2222-2222-222222222222", "stress-1", "demo", "demo",
            "m1.large", 4096, 2, 40, "memory-stress");

    private ScheduledExecutorService ticker;
    private SimHypervisorServer server;
    private final List<SimHypervisorClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startDaemon() throws IOException {
        ticker = Executors.newScheduledThreadPool(2);
        SimulatedFabric fabric = new SimulatedFabric(SimulationSettings.defaults(), 20, Duration.ofMillis(20),
                Duration.ofSeconds(1), ticker);
        fabric.addHost(HostSpec.of("a", Bandwidth.gbitPerSecond(1), ByteSize.gib(64)));
        fabric.addHost(HostSpec.of("b", Bandwidth.gbitPerSecond(1), ByteSize.gib(64)));
        server = new SimHypervisorServer(fabric, Duration.ofMillis(30), Map.of("a", List.of(WEB, STRESS), "b", List.of()), 0);
    }

    @AfterEach
    void stopDaemon() {
        clients.forEach(SimHypervisorClient::close);
        server.close();
        ticker.shutdownNow();
    }

    private SimHypervisorClient agent() {
        SimHypervisorClient client = new SimHypervisorClient(server.url());
        new RemoteSimulatedDriver("a", client);
        new RemoteSimulatedDriver("b", client);
        client.start(ticker, Duration.ofMillis(20));
        clients.add(client);
        return client;
    }

    private static MigrationOrder order(String migration, Guest guest, boolean postCopy) {
        return new MigrationOrder(migration, guest, "a", "b", false, Duration.ofMillis(300), 0, false, postCopy);
    }

    @Test
    void anAgentOfTheDaemonReportsItsGuestsDirtyRatesMeasuredOverTheirProfiles() {
        // given an agent whose hosts' guests live in the daemon
        SimHypervisorClient client = new SimHypervisorClient(server.url());
        clients.add(client);
        RemoteSimulatedDriver a = new RemoteSimulatedDriver("a", client, Duration.ofSeconds(30));

        // when
        long web = a.measuredDirtyRate(WEB).orElseThrow().bytesPerSecond();
        long stress = a.measuredDirtyRate(STRESS).orElseThrow().bytesPerSecond();

        // then calc-dirty-rate's whole MiB/s over 5 s: web's 40 MB/s, memory-stress's 1,500 MB/s capped by its 4 GiB
        // working set (4 GiB / 5 s)
        assertThat(web).isEqualTo(38L * 1024 * 1024);
        assertThat(stress).isEqualTo(819L * 1024 * 1024);
    }

    @Test
    void aCompletedJobMovesTheGuestToItsDestinationAndReportsProgressAndItsEnd() {
        // given
        SimHypervisorClient client = agent();
        Recording recording = new Recording();
        // when
        client.startMigration(order("m-1", WEB, false), recording);
        // then
        await().atMost(Duration.ofSeconds(30)).until(() -> !recording.ends.isEmpty());
        assertThat(recording.ends).singleElement().extracting(JobEnd::outcome).isEqualTo(JobEnd.Outcome.COMPLETED);
        assertThat(recording.readings).isNotEmpty();
        RemoteSimulatedDriver a = new RemoteSimulatedDriver("a", client);
        RemoteSimulatedDriver b = new RemoteSimulatedDriver("b", client);
        assertThat(a.runningGuests()).extracting(Guest::uuid).containsExactly(STRESS.uuid());
        assertThat(b.runningGuests()).containsExactly(WEB);
        assertThat(b.arrivalProblem(WEB.uuid())).isEmpty();
        assertThat(a.departureProblem(WEB.uuid())).isEmpty();
        assertThat(a.departureProblem(STRESS.uuid())).isPresent();
        assertThat(a.jobs()).isEmpty();
    }

    @Test
    void aJobGoesOnWithoutItsAgentAndItsEndWaitsForTheNextAgent() {
        // given an agent starts a job and dies before it ends
        SimHypervisorClient first = new SimHypervisorClient(server.url());
        first.startMigration(order("m-2", WEB, false), new Recording());
        first.close();
        RemoteSimulatedDriver a = new RemoteSimulatedDriver("a", agent());
        await().atMost(Duration.ofSeconds(30)).until(() -> b().runningGuests().contains(WEB));
        // when the next agent asks what happened on its host
        List<MigrationOrder> unhandled = a.jobs();
        assertThat(unhandled).extracting(MigrationOrder::migrationUuid).containsExactly("m-2");
        Recording recording = new Recording();
        clients.getFirst().listen("m-2", recording);
        // then it hears the end once, and the daemon forgets it
        await().atMost(Duration.ofSeconds(10)).until(() -> !recording.ends.isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> a.jobs().isEmpty());
        assertThat(recording.ends).singleElement().extracting(JobEnd::outcome).isEqualTo(JobEnd.Outcome.COMPLETED);
    }

    @Test
    void aLinkFailureDuringPostCopyLosesTheGuestAndNamesTheHostToRecoverItOn() {
        // given a dirty guest in post-copy
        SimHypervisorClient client = agent();
        Recording recording = new Recording();
        client.startMigration(order("m-3", STRESS, true), recording);
        await().atMost(Duration.ofSeconds(10)).until(() -> !recording.readings.isEmpty());
        assertThat(client.command("m-3", "post-copy", null)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> recording.readings.stream()
                .anyMatch(r -> r.phase() == JobReading.JobPhase.POST_COPY) || !recording.ends.isEmpty());
        assertThat(recording.ends).isEmpty();
        // when the source's link fails
        client.fault("link-down", "a", Duration.ofSeconds(30));
        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> !recording.ends.isEmpty());
        assertThat(recording.ends).singleElement().extracting(JobEnd::outcome).isEqualTo(JobEnd.Outcome.GUEST_LOST);
        assertThat(new RemoteSimulatedDriver("a", client).runningGuests()).extracting(Guest::uuid)
                .containsExactly(WEB.uuid());
        assertThat(b().runningGuests()).isEmpty();
        assertThat(client.lost()).singleElement().satisfies(lost -> assertThat(lost).containsEntry("uuid", STRESS.uuid())
                .containsEntry("recoverOn", "b"));
        // and b's hypervisor holds the lost guest's room: what a restarted agent of b must count
        assertThat(b().heldGuests()).containsExactly(STRESS);
        assertThat(new RemoteSimulatedDriver("a", client).heldGuests()).isEmpty();
    }

    @Test
    void aRestartedDestinationAgentHoldsTheRoomOfAGuestLostThereAndEveryOtherHostOnlyItsGuests() {
        // given STRESS lost by a failed post-copy from a to b, and the agent of both hosts gone
        SimHypervisorClient first = agent();
        Recording recording = new Recording();
        first.startMigration(order("m-4", STRESS, true), recording);
        await().atMost(Duration.ofSeconds(10)).until(() -> !recording.readings.isEmpty());
        assertThat(first.command("m-4", "post-copy", null)).isTrue();
        first.fault("link-down", "a", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> !recording.ends.isEmpty());
        assertThat(recording.ends).singleElement().extracting(JobEnd::outcome).isEqualTo(JobEnd.Outcome.GUEST_LOST);
        first.close();

        // when a new agent boots its ledgers from the hypervisor
        SimHypervisorClient restarted = agent();
        HostLedger a = new HostLedger(new HostCapacity(32, 65536, 0, 1000, "host-model", 1000));
        HostLedger b = new HostLedger(new HostCapacity(32, 65536, 0, 1000, "host-model", 1000));
        AgentConfiguration.bootLedger(a, new RemoteSimulatedDriver("a", restarted));
        AgentConfiguration.bootLedger(b, new RemoteSimulatedDriver("b", restarted));

        // then capacity used = the guests placed + the room held for the lost guest on b, and nothing else
        assertThat(b.runningGuests()).isEmpty();
        assertThat(b.migrationsIn()).isEqualTo(1);
        assertThat(b.isIncoming(STRESS.uuid())).isTrue();
        assertThat(b.memoryMbUsed()).isEqualTo(STRESS.memoryMb());
        assertThat(b.vcpusUsed()).isEqualTo(STRESS.vcpus());
        assertThat(a.runningGuests()).containsExactly(WEB);
        assertThat(a.migrationsIn()).isZero();
        assertThat(a.memoryMbUsed()).isEqualTo(WEB.memoryMb());
        // and booting again counts it once
        AgentConfiguration.bootLedger(b, new RemoteSimulatedDriver("b", restarted));
        assertThat(b.memoryMbUsed()).isEqualTo(STRESS.memoryMb());
    }

    @Test
    void aBadRequestIsRefusedWithItsReason() {
        SimHypervisorClient client = agent();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.startMigration(
                new MigrationOrder("m-4", WEB, "b", "a", false, Duration.ofMillis(300), 0, false, false), new Recording()))
                .hasMessageContaining("400").hasMessageContaining("does not run on b");
        assertThat(client.running("m-4")).isFalse();
    }

    private RemoteSimulatedDriver b() {
        return new RemoteSimulatedDriver("b", clients.getFirst());
    }

    private static final class Recording implements MigrationListener {
        final List<JobReading> readings = new CopyOnWriteArrayList<>();
        final List<JobEnd> ends = new CopyOnWriteArrayList<>();

        @Override
        public void progress(JobReading reading) {
            readings.add(reading);
        }

        @Override
        public void ended(JobEnd end) {
            ends.add(end);
        }
    }
}

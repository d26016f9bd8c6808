package io.ferry.conductor.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.AgentStep;
import io.ferry.conductor.domain.Effect;
import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.JobFigures;
import io.ferry.conductor.domain.LifecycleSettings;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationInput;
import io.ferry.conductor.domain.MigrationProcess;
import io.ferry.conductor.domain.MigrationStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The conductor's use cases over in-memory ports: duplicates, queues, and a restart from the recorded log. */
class ConductorServiceTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final List<Migration> log = new ArrayList<>();
    private final List<String> orders = new ArrayList<>();
    private final Map<String, FleetView.Location> fleet = Map.of(
            "vm-1", location("vm-1", "compute-a"), "vm-2", location("vm-2", "compute-a"),
            "vm-3", location("vm-3", "compute-b"));
    private final ConductorService conductor = newConductor();

    private ConductorService newConductor() {
        MigrationLog migrationLog = (m, cause) -> log.add(m);
        EffectPort effects = (e, cause) -> orders.add(switch (e) {
            case Effect.ToHost h -> h.step() + "@" + h.host() + ":" + h.migration().uuid();
            case Effect.SelectDestination s -> "select:" + s.migration().uuid();
        });
        FleetView view = uuid -> Optional.ofNullable(fleet.get(uuid));
        return new ConductorService(migrationLog, effects, view, Clock.fixed(NOW, ZoneOffset.UTC),
                new MigrationProcess(LifecycleSettings.defaults()));
    }

    private static FleetView.Location location(String vm, String host) {
        return new FleetView.Location(host, true, new Instance(vm, vm, 2048, 1, 10, "p", "u"), "active");
    }

    private void request(String migration, String vm) {
        conductor.liveMigrate(new ConductorService.LiveMigrateRequest(1, migration, vm, null, null, false, "u", "p"),
                "msg-" + migration);
    }

    private List<MigrationStatus> statuses(String uuid) {
        return log.stream().filter(m -> m.uuid().equals(uuid)).map(Migration::status).toList();
    }

    private void runToCompletion(String uuid, String dest, String source) {
        String n = uuid + "-";
        conductor.handle(uuid, new MigrationInput.DestinationClaimed(dest, List.of(), NOW), n + 1);
        conductor.handle(uuid, reply(dest, AgentStep.PREPARE_DESTINATION), n + 2);
        conductor.handle(uuid, reply(source, AgentStep.CHECK_SOURCE), n + 3);
        conductor.handle(uuid, reply(source, AgentStep.START_MIGRATION), n + 4);
        conductor.handle(uuid, new MigrationInput.JobEnded(MigrationInput.JobOutcome.COMPLETED, null, JobFigures.NONE,
                NOW), n + 5);
        conductor.handle(uuid, reply(dest, AgentStep.POST_MIGRATE_DESTINATION), n + 6);
        conductor.handle(uuid, reply(source, AgentStep.CLEANUP_SOURCE), n + 7);
    }

    private static MigrationInput.AgentReplied reply(String host, AgentStep step) {
        return new MigrationInput.AgentReplied(host, step, true, null, NOW);
    }

    @Test
    void aCommandOrEventDeliveredTwiceChangesNothingTheSecondTime() {
        // given
        request("m-1", "vm-1");
        conductor.handle("m-1", new MigrationInput.DestinationClaimed("compute-b", List.of(), NOW), "claim-1");
        int records = log.size();
        int sent = orders.size();

        // when the same request, the same claim, and the same claim under a new message id arrive again
        request("m-1", "vm-1");
        conductor.handle("m-1", new MigrationInput.DestinationClaimed("compute-b", List.of(), NOW), "claim-1");
        conductor.handle("m-1", new MigrationInput.DestinationClaimed("compute-c", List.of(), NOW), "claim-2");
        conductor.handle("m-1", reply("compute-b", AgentStep.PREPARE_DESTINATION), "prep-1");
        conductor.handle("m-1", reply("compute-b", AgentStep.PREPARE_DESTINATION), "prep-1");
        conductor.handle("m-1", reply("compute-b", AgentStep.PREPARE_DESTINATION), "prep-2");

        // then only the first prepare answer moved it on
        assertThat(log).hasSize(records);
        assertThat(orders.subList(sent, orders.size())).containsExactly("CHECK_SOURCE@compute-a:m-1");
        assertThat(conductor.migration("m-1").orElseThrow().destHost()).isEqualTo("compute-b");
    }

    @Test
    void aSecondMigrationFromTheSameHostWaitsQueuedAndStartsWhenTheFirstEnds() {
        // given
        request("m-1", "vm-1");
        request("m-2", "vm-2");
        request("m-3", "vm-3");

        // then the one from the busy host waits, the other host's starts
        assertThat(statuses("m-1")).containsExactly(MigrationStatus.QUEUED, MigrationStatus.PREPARING);
        assertThat(statuses("m-2")).containsExactly(MigrationStatus.QUEUED, MigrationStatus.QUEUED);
        assertThat(log.stream().filter(m -> m.uuid().equals("m-2")).toList().getLast().queuePosition()).isEqualTo(1);
        assertThat(statuses("m-3")).containsExactly(MigrationStatus.QUEUED, MigrationStatus.PREPARING);

        // when the first completes
        runToCompletion("m-1", "compute-b", "compute-a");

        // then the second starts
        assertThat(statuses("m-1")).last().isEqualTo(MigrationStatus.COMPLETED);
        assertThat(statuses("m-2")).last().isEqualTo(MigrationStatus.PREPARING);
        assertThat(orders).last().isEqualTo("select:m-2");
    }

    @Test
    void aRestartedConductorResumesWhatWasOpenAndStartsWhatWasQueued() {
        // given a conductor that recorded m-1 running and m-2 queued behind it, then stopped
        request("m-1", "vm-1");
        request("m-2", "vm-2");
        conductor.handle("m-1", new MigrationInput.DestinationClaimed("compute-b", List.of(), NOW), "c");
        conductor.handle("m-1", reply("compute-b", AgentStep.PREPARE_DESTINATION), "p");
        conductor.handle("m-1", reply("compute-a", AgentStep.CHECK_SOURCE), "s");
        conductor.handle("m-1", reply("compute-a", AgentStep.START_MIGRATION), "r");
        Map<String, Migration> lastRecords = new java.util.LinkedHashMap<>();
        log.forEach(m -> lastRecords.put(m.uuid(), m));
        orders.clear();

        // when a new conductor takes the records back
        ConductorService restarted = newConductor();
        restarted.recover(lastRecords.values());

        // then it probes the running job's source and keeps the queued one waiting
        assertThat(orders).containsExactly("SET_MAX_DOWNTIME@compute-a:m-1");
        assertThat(restarted.migration("m-2").orElseThrow().status()).isEqualTo(MigrationStatus.QUEUED);

        // and when the job's end (delivered again after the restart) arrives, it carries on and m-2 starts after
        restarted.handle("m-1", new MigrationInput.JobEnded(MigrationInput.JobOutcome.COMPLETED, null, JobFigures.NONE,
                NOW), "end");
        restarted.handle("m-1", reply("compute-b", AgentStep.POST_MIGRATE_DESTINATION), "pm");
        restarted.handle("m-1", reply("compute-a", AgentStep.CLEANUP_SOURCE), "cl");
        assertThat(restarted.migration("m-1").orElseThrow().status()).isEqualTo(MigrationStatus.COMPLETED);
        assertThat(restarted.migration("m-2").orElseThrow().status()).isEqualTo(MigrationStatus.PREPARING);
    }

    @Test
    void aConductorKilledInPreparingAfterTheStartFinishesFromTheJobEndTheSourceAnnouncesAgain() {
        // given a conductor that sent the start of m-1 (m-2 queued behind it), then was killed before the answer
        request("m-1", "vm-1");
        request("m-2", "vm-2");
        conductor.handle("m-1", new MigrationInput.DestinationClaimed("compute-b", List.of(), NOW), "c");
        conductor.handle("m-1", reply("compute-b", AgentStep.PREPARE_DESTINATION), "p");
        conductor.handle("m-1", reply("compute-a", AgentStep.CHECK_SOURCE), "s");
        Map<String, Migration> lastRecords = new java.util.LinkedHashMap<>();
        log.forEach(m -> lastRecords.put(m.uuid(), m));
        orders.clear();

        // when a new conductor takes the records back
        ConductorService restarted = newConductor();
        restarted.recover(lastRecords.values());

        // then it asks the source again for the job it started (never prepares anew)
        assertThat(orders).containsExactly("START_MIGRATION@compute-a:m-1");

        // and when the source announces the end of the job that completed meanwhile (twice: the first delivery
        // was still on the topic), then acknowledges the repeated start, m-1 finishes and m-2 starts after it
        MigrationInput.JobEnded end = new MigrationInput.JobEnded(MigrationInput.JobOutcome.COMPLETED, null,
                JobFigures.NONE, NOW);
        restarted.handle("m-1", end, "end-first");
        restarted.handle("m-1", reply("compute-a", AgentStep.START_MIGRATION), "r");
        restarted.handle("m-1", end, "end-again");
        restarted.handle("m-1", reply("compute-b", AgentStep.POST_MIGRATE_DESTINATION), "pm");
        restarted.handle("m-1", reply("compute-a", AgentStep.CLEANUP_SOURCE), "cl");
        assertThat(statuses("m-1")).containsSubsequence(MigrationStatus.PREPARING, MigrationStatus.RUNNING,
                MigrationStatus.POST_MIGRATING, MigrationStatus.COMPLETED);
        assertThat(statuses("m-1").stream().filter(st -> st == MigrationStatus.RUNNING)).hasSize(1);
        assertThat(restarted.migration("m-1").orElseThrow().status()).isEqualTo(MigrationStatus.COMPLETED);
        assertThat(restarted.migration("m-2").orElseThrow().status()).isEqualTo(MigrationStatus.PREPARING);
    }

    @Test
    void refusesASecondMigrationOfTheSameInstance() {
        // given
        request("m-1", "vm-1");

        // when
        request("m-9", "vm-1");

        // then
        assertThat(statuses("m-9")).containsExactly(MigrationStatus.QUEUED, MigrationStatus.FAILED);
        assertThat(conductor.migration("m-9").orElseThrow().reason()).contains("already being migrated");
    }

    /** Hosts heard as given: silent ones for a long time, the rest just now; {@code anyHeard} the cut-off guard. */
    private static HostLiveness liveness(java.util.Set<String> silent, boolean anyHeard) {
        return new HostLiveness() {
            @Override
            public java.time.Duration silentFor(String host, Instant now) {
                return silent.contains(host) ? java.time.Duration.ofMinutes(5) : java.time.Duration.ZERO;
            }

            @Override
            public boolean anyHeardWithin(java.time.Duration window, Instant now) {
                return anyHeard;
            }
        };
    }

    @Test
    void theLivenessCheckEndsTheMigrationsOfASilentSourceOnlyAndStartsWhatWaitedBehindThem() {
        // given vm-1 running from compute-a, vm-2 queued behind it, vm-3 queued from compute-b
        request("m-1", "vm-1");
        conductor.handle("m-1", new MigrationInput.DestinationClaimed("compute-b", List.of(), NOW), "c-1");
        conductor.handle("m-1", reply("compute-b", AgentStep.PREPARE_DESTINATION), "c-2");
        conductor.handle("m-1", reply("compute-a", AgentStep.CHECK_SOURCE), "c-3");
        conductor.handle("m-1", reply("compute-a", AgentStep.START_MIGRATION), "c-4");
        request("m-2", "vm-2");
        request("m-3", "vm-3");
        orders.clear();

        // when compute-a falls silent
        conductor.checkLiveness(liveness(java.util.Set.of("compute-a"), true));

        // then the running one is in error with the abort ordered, the queued one failed, compute-b's untouched
        assertThat(statuses("m-1")).last().isEqualTo(MigrationStatus.ERROR);
        assertThat(conductor.migration("m-1").orElseThrow().vmLocation()).contains("compute-a");
        assertThat(statuses("m-2")).last().isEqualTo(MigrationStatus.FAILED);
        assertThat(statuses("m-3")).last().isNotIn(MigrationStatus.FAILED, MigrationStatus.ERROR);
        assertThat(orders).contains("ABORT_JOB@compute-a:m-1");

        // and a second check changes nothing
        int records = log.size();
        orders.clear();
        conductor.checkLiveness(liveness(java.util.Set.of("compute-a"), true));
        assertThat(log).hasSize(records);
        assertThat(orders).isEmpty();
    }

    @Test
    void aConductorThatHearsNoHostAtAllEndsNothing() {
        // given
        request("m-1", "vm-1");
        int records = log.size();

        // when every host seems silent: the conductor is the one cut off
        conductor.checkLiveness(liveness(java.util.Set.of("compute-a", "compute-b"), false));

        // then
        assertThat(log).hasSize(records);
        assertThat(statuses("m-1")).last().isNotEqualTo(MigrationStatus.FAILED);
    }
}

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
import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ByteSize;
import io.ferry.conductor.domain.drain.Drain;
import io.ferry.conductor.domain.drain.DrainCandidate;
import io.ferry.conductor.domain.drain.DrainEntry;
import io.ferry.conductor.domain.drain.DrainPlanner;
import io.ferry.conductor.domain.drain.DrainSettings;
import io.ferry.conductor.domain.drain.DrainStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Draining a host through the conductor's use cases over in-memory ports. */
class ConductorDrainTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final String HOST = "compute-a";

    private final List<Drain> drainLog = new ArrayList<>();
    private final List<DrainEntry> requested = new ArrayList<>();
    private final List<Migration> migrationLog = new ArrayList<>();
    private final Map<String, FleetView.Location> locations = new HashMap<>();
    private final List<String> starts = new ArrayList<>();
    private final List<String> aborts = new ArrayList<>();
    private final List<DrainCandidate> onHost = List.of(
            candidate("db", 8192, 600, List.of()), candidate("idle-1", 2048, 1, List.of()),
            candidate("idle-2", 2048, 1, List.of()), candidate("nfv", 4096, 40, List.of("0000:3b:00.1")));
    private Bandwidth streamBandwidth = Bandwidth.ZERO;
    private ConductorService conductor = newConductor();

    private static DrainCandidate candidate(String name, long mb, long dirtyMBps, List<String> pci) {
        return new DrainCandidate("uuid-" + name, name, ByteSize.ofMiB(mb), Bandwidth.ofMBps(dirtyMBps), pci, "active",
                false);
    }

    private ConductorService newConductor() {
        for (DrainCandidate c : onHost) {
            locations.put(c.instanceUuid(), new FleetView.Location(HOST, true,
                    new Instance(c.instanceUuid(), c.name(), c.memory().bytes() / 1048576, 2, 20, "p", "u"), "active"));
        }
        FleetView fleet = new FleetView() {
            @Override
            public Optional<Location> locate(String instanceUuid) {
                return Optional.ofNullable(locations.get(instanceUuid));
            }

            @Override
            public Optional<SourceHost> host(String name) {
                return HOST.equals(name) ? Optional.of(new SourceHost(HOST, Bandwidth.ofMBps(1250), streamBandwidth, onHost))
                        : Optional.empty();
            }
        };
        DrainPort drains = new DrainPort() {
            @Override
            public void record(Drain drain, String causationId) {
                drainLog.add(drain);
            }

            @Override
            public void requestMigrations(Drain drain, List<DrainEntry> entries, String causationId) {
                requested.addAll(entries);
            }
        };
        EffectPort effects = (e, cause) -> {
            if (e instanceof Effect.ToHost h && h.step() == AgentStep.START_MIGRATION) {
                starts.add(h.migration().instance().name());
            }
            if (e instanceof Effect.ToHost h && h.step() == AgentStep.ABORT_JOB) {
                aborts.add(h.migration().instance().name());
            }
        };
        return new ConductorService((m, cause) -> migrationLog.add(m), effects, fleet,
                Clock.fixed(NOW, ZoneOffset.UTC), new MigrationProcess(LifecycleSettings.defaults()), drains,
                new DrainPlanner(DrainSettings.defaults()));
    }

    private static Drain.Request drainRequest(boolean dryRun) {
        return new Drain.Request("d-1", HOST, "maintenance", dryRun, true, "admin", "p");
    }

    /** The expansion's commands come back, in reverse order (they are spread over partitions). */
    private void commandsArriveInReverse() {
        for (DrainEntry e : requested.reversed()) {
            conductor.liveMigrate(new ConductorService.LiveMigrateRequest(e.order() + 1, e.migrationUuid(),
                    e.instanceUuid(), null, null, false, "admin", "p"), "lm-" + e.migrationUuid());
        }
    }

    private MigrationStatus status(String instance) {
        return conductor.migrations().stream().filter(m -> m.instance().uuid().equals("uuid-" + instance))
                .findFirst().map(Migration::status).orElseThrow();
    }

    private void complete(String uuid) {
        String n = uuid + "-";
        conductor.handle(uuid, new MigrationInput.DestinationClaimed("compute-b", List.of(), NOW), n + 1);
        conductor.handle(uuid, reply("compute-b", AgentStep.PREPARE_DESTINATION), n + 2);
        conductor.handle(uuid, reply(HOST, AgentStep.CHECK_SOURCE), n + 3);
        conductor.handle(uuid, reply(HOST, AgentStep.START_MIGRATION), n + 4);
        conductor.handle(uuid, new MigrationInput.JobEnded(MigrationInput.JobOutcome.COMPLETED, null, JobFigures.NONE,
                NOW), n + 5);
        conductor.handle(uuid, reply("compute-b", AgentStep.POST_MIGRATE_DESTINATION), n + 6);
        conductor.handle(uuid, reply(HOST, AgentStep.CLEANUP_SOURCE), n + 7);
    }

    private static MigrationInput.AgentReplied reply(String host, AgentStep step) {
        return new MigrationInput.AgentReplied(host, step, true, null, NOW);
    }

    @Test
    void recordsTheDrainThenAsksForOneMigrationPerLiveMigratableInstanceInPlanOrder() {
        // when
        conductor.drainHost(drainRequest(false), "msg-1");

        // then
        assertThat(drainLog).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(DrainStatus.RUNNING);
            assertThat(d.total()).isEqualTo(3);
            assertThat(d.entries()).filteredOn(e -> !e.migrated()).singleElement()
                    .satisfies(e -> assertThat(e.blocker()).contains("cold migrate"));
        });
        assertThat(requested).extracting(DrainEntry::name).containsExactly("db", "idle-1", "idle-2");
    }

    @Test
    void plansWithThePerStreamBandwidthTheSourceMeasured() {
        // given the source reports that one stream from it reached 416 MB/s of its 1,250 MB/s NIC
        streamBandwidth = Bandwidth.ofMBps(416);

        // when
        conductor.drainHost(drainRequest(true), "msg-1");

        // then the plan's rule holds it, and the database needs no more than one stream can give
        assertThat(drainLog).singleElement().satisfies(d -> {
            assertThat(d.plan().rule().streamBandwidth()).isEqualTo(Bandwidth.ofMBps(416));
            assertThat(d.migrations()).filteredOn(e -> e.name().equals("db")).singleElement()
                    .satisfies(e -> assertThat(e.needed()).isEqualTo(Bandwidth.ofMBps(416)));
        });
    }

    @Test
    void aDryRunRecordsThePlanAndStartsNothing() {
        // when
        conductor.drainHost(drainRequest(true), "msg-1");

        // then
        assertThat(drainLog).singleElement().satisfies(d -> assertThat(d.status()).isEqualTo(DrainStatus.PLANNED));
        assertThat(requested).isEmpty();
    }

    @Test
    void startsTheDatabaseAloneThenTheIdleGuestsTogetherAndCompletesTheDrain() {
        // given
        conductor.drainHost(drainRequest(false), "msg-1");

        // when the commands arrive in reverse order
        commandsArriveInReverse();

        // then the database goes first and alone
        assertThat(status("db")).isEqualTo(MigrationStatus.PREPARING);
        assertThat(status("idle-1")).isEqualTo(MigrationStatus.QUEUED);
        assertThat(status("idle-2")).isEqualTo(MigrationStatus.QUEUED);

        // when the database completes, both idle guests start together, and complete
        complete(requested.get(0).migrationUuid());
        assertThat(status("idle-1")).isEqualTo(MigrationStatus.PREPARING);
        assertThat(status("idle-2")).isEqualTo(MigrationStatus.PREPARING);
        complete(requested.get(1).migrationUuid());
        complete(requested.get(2).migrationUuid());

        // then
        Drain last = drainLog.getLast();
        assertThat(last.status()).isEqualTo(DrainStatus.COMPLETED);
        assertThat(last.completed()).isEqualTo(3);
        assertThat(last.migrations()).allSatisfy(e -> {
            assertThat(e.destHost()).isEqualTo("compute-b");
            assertThat(e.migrationId()).isPositive();
        });
    }

    @Test
    void theNextMigrationPreparesAheadWhileTheDatabaseStreamsAndStartsStreamingWhenTheDatabaseIsDone() {
        // given the database's stream started
        conductor.drainHost(drainRequest(false), "msg-1");
        commandsArriveInReverse();
        String db = requested.get(0).migrationUuid();
        String idle1 = requested.get(1).migrationUuid();
        prepare(db);
        assertThat(starts).containsExactly("db");

        // when the next guest of the plan is prepared meanwhile
        assertThat(status("idle-1")).isEqualTo(MigrationStatus.PREPARING);
        assertThat(status("idle-2")).isEqualTo(MigrationStatus.QUEUED);
        prepare(idle1);

        // then its start is held while the database streams
        assertThat(starts).containsExactly("db");

        // when the database's stream ends
        conductor.handle(db, reply(HOST, AgentStep.START_MIGRATION), "db-start");
        conductor.handle(db, new MigrationInput.JobEnded(MigrationInput.JobOutcome.COMPLETED, null, JobFigures.NONE,
                NOW), "db-ended");

        // then the idle guest streams at once, and the last one prepares to stream with it
        assertThat(starts).containsExactly("db", "idle-1");
        assertThat(status("idle-2")).isEqualTo(MigrationStatus.PREPARING);
    }

    private void prepare(String uuid) {
        conductor.handle(uuid, new MigrationInput.DestinationClaimed("compute-b", List.of(), NOW), uuid + "-claim");
        conductor.handle(uuid, reply("compute-b", AgentStep.PREPARE_DESTINATION), uuid + "-prepared");
        conductor.handle(uuid, reply(HOST, AgentStep.CHECK_SOURCE), uuid + "-checked");
    }

    @Test
    void stoppingADrainCancelsItsQueuedMigrationsAndLetsTheRunningOneFinish() {
        // given the database streams, the idle guests wait
        conductor.drainHost(drainRequest(false), "msg-1");
        commandsArriveInReverse();
        String db = requested.get(0).migrationUuid();
        prepare(db);
        conductor.handle(db, reply(HOST, AgentStep.START_MIGRATION), "db-start");

        // when
        conductor.abortDrain("d-1", "change window closed", "abort-1");

        // then
        assertThat(status("idle-1")).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(status("idle-2")).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(status("db")).isEqualTo(MigrationStatus.RUNNING);
        assertThat(drainLog.getLast().status()).isEqualTo(DrainStatus.STOPPING);

        // when the database completes
        complete(requested.get(0).migrationUuid());

        // then
        assertThat(drainLog.getLast().status()).isEqualTo(DrainStatus.STOPPED);
        assertThat(drainLog.getLast().completed()).isEqualTo(1);
    }

    @Test
    void stoppingADrainBeforeItsFirstStreamStartsCancelsEveryMigrationStillBeingPrepared() {
        // given the database is still being prepared
        conductor.drainHost(drainRequest(false), "msg-1");
        commandsArriveInReverse();

        // when the drain is stopped, and the scheduler's answer for the database arrives late
        conductor.abortDrain("d-1", "change window closed", "abort-1");
        prepare(requested.get(0).migrationUuid());

        // then no stream starts: the database is cancelled as well, and the drain stops with nothing moved
        assertThat(starts).isEmpty();
        assertThat(status("db")).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(drainLog.getLast().status()).isEqualTo(DrainStatus.STOPPED);
        assertThat(drainLog.getLast().completed()).isZero();
    }

    @Test
    void stoppingADrainAlsoCancelsAMigrationPreparedAheadWhoseStartWasHeldAndNeverStartsIt() {
        // given the database streams and the next guest is prepared ahead, its start held
        conductor.drainHost(drainRequest(false), "msg-1");
        commandsArriveInReverse();
        String db = requested.get(0).migrationUuid();
        prepare(db);
        prepare(requested.get(1).migrationUuid());
        assertThat(starts).containsExactly("db");

        // when the drain is stopped, then the database's stream ends
        conductor.abortDrain("d-1", "change window closed", "abort-1");
        conductor.handle(db, reply(HOST, AgentStep.START_MIGRATION), "db-start");
        conductor.handle(db, new MigrationInput.JobEnded(MigrationInput.JobOutcome.COMPLETED, null, JobFigures.NONE,
                NOW), "db-ended");

        // then the prepared guest is cancelled, never started, and the drain stops with one completed
        assertThat(status("idle-1")).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(status("idle-2")).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(starts).containsExactly("db");
        conductor.handle(db, reply("compute-b", AgentStep.POST_MIGRATE_DESTINATION), "db-post");
        conductor.handle(db, reply(HOST, AgentStep.CLEANUP_SOURCE), "db-cleanup");
        assertThat(drainLog.getLast().status()).isEqualTo(DrainStatus.STOPPED);
        assertThat(drainLog.getLast().completed()).isEqualTo(1);
    }

    @Test
    void stoppingWithAbortRunningAbortsThePreCopyStreamAndLetsThePostCopyOneFinish() {
        // given the database moved, then the first idle guest streams in post-copy while the second one's start is
        // on its way to its source (pre-copy)
        conductor.drainHost(drainRequest(false), "msg-1");
        commandsArriveInReverse();
        String idle1 = requested.get(1).migrationUuid();
        String idle2 = requested.get(2).migrationUuid();
        complete(requested.get(0).migrationUuid());
        prepare(idle1);
        prepare(idle2);
        assertThat(starts).containsExactly("db", "idle-1", "idle-2");
        conductor.handle(idle1, reply(HOST, AgentStep.START_MIGRATION), "idle1-start");
        conductor.handle(idle1, reply(HOST, AgentStep.SWITCH_TO_POST_COPY), "idle1-post-copy");
        assertThat(status("idle-1")).isEqualTo(MigrationStatus.RUNNING_POST_COPY);

        // when the drain is stopped with abort_running
        conductor.abortDrain("d-1", "change window closed", true, "abort-1");

        // then nothing is aborted yet (the post-copy stream never is); the pre-copy one is, as soon as it starts
        assertThat(drainLog.getLast().status()).isEqualTo(DrainStatus.STOPPING);
        assertThat(drainLog.getLast().note())
                .isEqualTo("change window closed: stopping: 1 aborting, 1 in post-copy finishing");
        assertThat(aborts).isEmpty();
        conductor.handle(idle2, reply(HOST, AgentStep.START_MIGRATION), "idle2-start");
        assertThat(aborts).containsExactly("idle-2");

        // when the source reports the aborted job, and the post-copy one completes
        conductor.handle(idle2, jobEnded(MigrationInput.JobOutcome.CANCELLED), "idle2-ended");
        assertThat(drainLog.getLast().status()).isEqualTo(DrainStatus.STOPPING);
        conductor.handle(idle1, jobEnded(MigrationInput.JobOutcome.COMPLETED), "idle1-ended");
        conductor.handle(idle1, reply("compute-b", AgentStep.POST_MIGRATE_DESTINATION), "idle1-post");
        conductor.handle(idle1, reply(HOST, AgentStep.CLEANUP_SOURCE), "idle1-cleanup");

        // then the aborted guest stays on its source, the post-copy one moved
        assertThat(status("idle-2")).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(status("idle-1")).isEqualTo(MigrationStatus.COMPLETED);
        assertThat(aborts).containsExactly("idle-2");
        Drain last = drainLog.getLast();
        assertThat(last.status()).isEqualTo(DrainStatus.STOPPED);
        assertThat(last.completed()).isEqualTo(2);
        assertThat(last.note()).isEqualTo("change window closed: stopped: 1 aborted, 1 in post-copy finished");
    }

    @Test
    void stoppingWithAbortRunningCancelsTheQueuedMigrationsAndAbortsTheOnePreCopyStream() {
        // given the database streams in pre-copy, the idle guests wait in the queue
        conductor.drainHost(drainRequest(false), "msg-1");
        commandsArriveInReverse();
        String db = requested.get(0).migrationUuid();
        prepare(db);
        conductor.handle(db, reply(HOST, AgentStep.START_MIGRATION), "db-start");
        aborts.clear();

        // when
        conductor.abortDrain("d-1", null, true, "abort-1");

        // then
        assertThat(aborts).containsExactly("db");
        assertThat(status("idle-1")).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(status("idle-2")).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(drainLog.getLast().status()).isEqualTo(DrainStatus.STOPPING);

        // when the source reports the aborted job
        conductor.handle(db, jobEnded(MigrationInput.JobOutcome.CANCELLED), "db-ended");

        // then the guest stays on its source and the drain is stopped with nothing moved
        assertThat(status("db")).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(drainLog.getLast().status()).isEqualTo(DrainStatus.STOPPED);
        assertThat(drainLog.getLast().completed()).isZero();
        assertThat(drainLog.getLast().note())
                .isEqualTo("stopped by the operator: stopped: 1 aborted, 2 not started cancelled");
    }

    @Test
    void aRedeliveredOrRepeatedStopChangesNothing() {
        // given a drain stopped with abort_running while the database streams
        conductor.drainHost(drainRequest(false), "msg-1");
        commandsArriveInReverse();
        String db = requested.get(0).migrationUuid();
        prepare(db);
        conductor.handle(db, reply(HOST, AgentStep.START_MIGRATION), "db-start");
        conductor.abortDrain("d-1", "change window closed", true, "abort-1");
        int records = drainLog.size();
        int migrationRecords = migrationLog.size();
        List<String> abortsBefore = List.copyOf(aborts);

        // when the same request is delivered again, and another stop arrives
        conductor.abortDrain("d-1", "change window closed", true, "abort-1");
        conductor.abortDrain("d-1", "again", true, "abort-2");

        // then
        assertThat(drainLog).hasSize(records);
        assertThat(migrationLog).hasSize(migrationRecords);
        assertThat(aborts).isEqualTo(abortsBefore);
        assertThat(drainLog.getLast().note()).startsWith("change window closed: stopping: 1 aborting");
    }

    @Test
    void withoutAbortRunningTheNoteSaysThePreCopyStreamFinished() {
        // given the database streams, the idle guests wait
        conductor.drainHost(drainRequest(false), "msg-1");
        commandsArriveInReverse();
        String db = requested.get(0).migrationUuid();
        prepare(db);
        conductor.handle(db, reply(HOST, AgentStep.START_MIGRATION), "db-start");
        aborts.clear();

        // when the drain is stopped, then the database completes
        conductor.abortDrain("d-1", "window closed", false, "abort-1");
        complete(db);

        // then nothing was aborted
        assertThat(aborts).isEmpty();
        assertThat(drainLog.getLast().note())
                .isEqualTo("window closed: stopped: 1 running in pre-copy finished, 2 not started cancelled");
    }

    @Test
    void aSecondDrainOfAHostBeingDrainedIsRefusedAndAsksForNothing() {
        // given
        conductor.drainHost(drainRequest(false), "msg-1");
        int asked = requested.size();

        // when another drain of the host arrives (a gateway that gave up waiting asked again)
        conductor.drainHost(new Drain.Request("d-2", HOST, "again", false, true, "admin", "p"), "msg-2");

        // then it is recorded failed with the reason, and no migration is asked for twice
        assertThat(drainLog.getLast()).satisfies(d -> {
            assertThat(d.id()).isEqualTo("d-2");
            assertThat(d.status()).isEqualTo(DrainStatus.FAILED);
            assertThat(d.note()).isEqualTo("host " + HOST + " is already being drained (drain d-1)");
        });
        assertThat(requested).hasSize(asked);
        assertThat(conductor.drain("d-1")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(DrainStatus.RUNNING));
    }

    @Test
    void aHostIsDrainedAgainOnceItsDrainStopped() {
        // given a drain stopped before anything streamed
        conductor.drainHost(drainRequest(false), "msg-1");
        commandsArriveInReverse();
        conductor.abortDrain("d-1", null, "abort-1");
        assertThat(conductor.drain("d-1")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(DrainStatus.STOPPED));
        requested.clear();

        // when
        conductor.drainHost(new Drain.Request("d-2", HOST, "again", false, true, "admin", "p"), "msg-2");

        // then
        assertThat(conductor.drain("d-2")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(DrainStatus.RUNNING));
        assertThat(requested).hasSize(3);
    }

    private static MigrationInput.JobEnded jobEnded(MigrationInput.JobOutcome outcome) {
        return new MigrationInput.JobEnded(outcome, null, JobFigures.NONE, NOW);
    }

    @Test
    void aRestartedConductorTakesTheDrainBackAsksAgainForTheMigrationsItHasNoRecordOfAndKeepsThePlansRule() {
        // given a drain whose first two commands were recorded before the conductor stopped
        conductor.drainHost(drainRequest(false), "msg-1");
        DrainEntry db = requested.get(0);
        DrainEntry idle1 = requested.get(1);
        for (DrainEntry e : List.of(db, idle1)) {
            conductor.liveMigrate(new ConductorService.LiveMigrateRequest(e.order() + 1, e.migrationUuid(),
                    e.instanceUuid(), null, null, false, "admin", "p"), "lm-" + e.migrationUuid());
        }
        Map<String, Migration> lastRecords = new HashMap<>();
        migrationLog.forEach(m -> lastRecords.put(m.uuid(), m));
        Drain lastDrain = drainLog.getLast();
        requested.clear();

        // when a new conductor starts from the records
        conductor = newConductor();
        conductor.recover(lastRecords.values(), List.of(lastDrain));

        // then it asks again for the one migration it has no record of, and the database still goes alone
        assertThat(requested).extracting(DrainEntry::name).containsExactly("idle-2");
        assertThat(status("db")).isEqualTo(MigrationStatus.PREPARING);
        assertThat(status("idle-1")).isEqualTo(MigrationStatus.QUEUED);
        assertThat(conductor.drain("d-1")).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(DrainStatus.RUNNING));
    }

    @Test
    void aRedeliveredDrainRequestChangesNothing() {
        // given
        conductor.drainHost(drainRequest(false), "msg-1");

        // when
        conductor.drainHost(drainRequest(false), "msg-1");
        conductor.drainHost(drainRequest(false), "msg-2");

        // then
        assertThat(drainLog).hasSize(1);
        assertThat(requested).hasSize(3);
    }

    @Test
    void anUnknownHostFailsTheDrainWithTheReason() {
        // when
        conductor.drainHost(new Drain.Request("d-2", "nowhere", null, false, true, "a", "p"), "msg-1");

        // then
        assertThat(drainLog).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(DrainStatus.FAILED);
            assertThat(d.note()).contains("unknown");
        });
    }
}

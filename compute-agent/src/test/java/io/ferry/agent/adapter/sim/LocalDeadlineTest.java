package io.ferry.agent.adapter.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.app.AgentEvents;
import io.ferry.agent.app.HostAgent;
import io.ferry.agent.app.StepResult;
import io.ferry.agent.domain.CompletionDeadline;
import io.ferry.agent.domain.CompletionDeadline.TimeoutAction;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The source agent's own completion deadline, on the simulated driver with a hand-moved clock: an 8 GiB guest
 * dirtying 1.5 GB/s over 1 Gbit/s never converges in pre-copy, so only a timeout action ends its job.
 */
class LocalDeadlineTest {

    private static final String MIGRATION = "m-1";
    private static final Guest GUEST = new Guest("vm-1", "stress", "p", "u", "m1.large", 8192, 4, 20,
            "memory-stress");

    private final AtomicLong nanos = new AtomicLong();
    private final ScheduledExecutorService neverTicks = Executors.newSingleThreadScheduledExecutor();
    private final SimulatedFabric fabric = new SimulatedFabric(SimulationSettings.defaults(), 1.0, Duration.ofDays(1),
            Duration.ofSeconds(1), neverTicks, nanos::get);
    private final Recorded events = new Recorded();
    private final HostLedger ledger = new HostLedger(new HostCapacity(32, 65536, 512, 500, "Skylake", 1000));
    private final HostAgent source;

    LocalDeadlineTest() {
        fabric.addHost(HostSpec.of("compute-a", Bandwidth.gbitPerSecond(1), ByteSize.gib(64)));
        fabric.addHost(HostSpec.of("compute-b", Bandwidth.gbitPerSecond(1), ByteSize.gib(64)));
        ledger.boot(GUEST);
        source = new HostAgent("compute-a", "cell1", ledger, new SimulatedDriver(fabric, Duration.ofMillis(30)),
                events);
    }

    @AfterEach
    void stop() {
        fabric.close();
        neverTicks.shutdownNow();
    }

    @Test
    void abortsTheJobOnItsOwnOnceTheDeadlinePassesWithoutWordFromTheConductor() {
        // given a 30 s deadline, timeout action abort
        start(new CompletionDeadline(Duration.ofSeconds(30), TimeoutAction.ABORT, false));

        // when 29 s pass, nothing; when 35 s have passed
        runFor(29);
        assertThat(events.ends).isEmpty();
        runFor(6);

        // then the job was cancelled, the reason says why, and the guest still runs here
        assertThat(events.ends).hasSize(1);
        JobEnd end = events.ends.getFirst();
        assertThat(end.outcome()).isEqualTo(JobEnd.Outcome.CANCELLED);
        assertThat(end.reason()).contains("the source agent aborted the job")
                .contains("completion deadline of 30 s").contains("without a timeout decision from the conductor");
        assertThat(end.elapsedMillis()).isBetween(30_000L, 33_000L);
        assertThat(source.<java.util.Optional<Guest>>read(l -> l.running(GUEST.uuid()))).isPresent();
        assertThat(source.<java.util.Optional<String>>read(l -> l.migrationOf(GUEST.uuid()))).isEmpty();
    }

    @Test
    void forceCompleteSwitchesToPostCopyWhenPermitted() {
        // given
        start(new CompletionDeadline(Duration.ofSeconds(30), TimeoutAction.FORCE_COMPLETE, true));

        // when
        runFor(300);

        // then
        assertThat(events.ends).hasSize(1);
        JobEnd end = events.ends.getFirst();
        assertThat(end.outcome()).isEqualTo(JobEnd.Outcome.COMPLETED);
        assertThat(end.postCopy()).isTrue();
        assertThat(end.reason()).contains("switched the job to post-copy (timeout action force_complete)");
        assertThat(events.readings.stream().filter(r -> r.elapsedMillis() <= 30_000))
                .allMatch(r -> r.phase() != JobReading.JobPhase.POST_COPY);
    }

    @Test
    void forceCompletePausesTheGuestWhenPostCopyIsNotPermitted() {
        // given
        start(new CompletionDeadline(Duration.ofSeconds(30), TimeoutAction.FORCE_COMPLETE, false));

        // when
        runFor(300);

        // then
        assertThat(events.ends).hasSize(1);
        JobEnd end = events.ends.getFirst();
        assertThat(end.outcome()).isEqualTo(JobEnd.Outcome.COMPLETED);
        assertThat(end.postCopy()).isFalse();
        assertThat(end.reason()).contains("paused the guest to complete the job");
    }

    @Test
    void doesNothingWhenTheConductorAlreadyDecided() {
        // given a 30 s abort deadline, and the conductor forcing completion (a pause) at 10 s
        start(new CompletionDeadline(Duration.ofSeconds(30), TimeoutAction.ABORT, false));
        runFor(10);
        assertThat(source.forceComplete(MIGRATION).outcome()).isEqualTo(StepResult.Outcome.DONE);

        // when the paused copy runs past the deadline
        runFor(300);

        // then the job completed as the conductor wanted: the agent did not abort it
        assertThat(events.ends).hasSize(1);
        assertThat(events.ends.getFirst().outcome()).isEqualTo(JobEnd.Outcome.COMPLETED);
        assertThat(events.ends.getFirst().reason()).isNull();
    }

    @Test
    void neverActsInPostCopy() {
        // given post-copy permitted, an abort deadline of 30 s, and the stream in post-copy from 10 s
        start(new CompletionDeadline(Duration.ofSeconds(30), TimeoutAction.ABORT, true));
        runFor(10);
        assertThat(fabric.command(MIGRATION, job -> fabric.model().startPostCopy(job), null)).isTrue();

        // when
        runFor(300);

        // then the post-copy finished: never aborted
        assertThat(events.ends).hasSize(1);
        assertThat(events.ends.getFirst().outcome()).isEqualTo(JobEnd.Outcome.COMPLETED);
        assertThat(events.ends.getFirst().postCopy()).isTrue();
        assertThat(events.ends.getFirst().reason()).isNull();
    }

    @Test
    void withoutADeadlineTheJobRunsOn() {
        // given
        start(CompletionDeadline.NONE);

        // when
        runFor(600);

        // then
        assertThat(events.ends).isEmpty();
        assertThat(fabric.running(MIGRATION)).isTrue();
    }

    @Test
    void aQuestionAboutAnEndedJobAnnouncesItsEndAgainAndARepeatedStartStreamsNothing() {
        // given a job the deadline aborted, its end possibly lost on the way
        start(new CompletionDeadline(Duration.ofSeconds(30), TimeoutAction.ABORT, false));
        runFor(35);
        JobEnd first = events.ends.getFirst();

        // when the conductor asks about it, then repeats the start order
        StepResult abort = source.abort(MIGRATION);
        StepResult restart = source.startMigration(order(CompletionDeadline.NONE));

        // then the end is announced again, as it was, at each question, and no second stream starts
        assertThat(abort.outcome()).isEqualTo(StepResult.Outcome.REFUSED);
        assertThat(abort.reason()).contains("has ended: cancelled");
        assertThat(events.ends).containsExactly(first, first, first);
        assertThat(restart.outcome()).isEqualTo(StepResult.Outcome.REFUSED);
        assertThat(restart.reason()).contains("already ran on compute-a and ended cancelled");
        assertThat(fabric.running(MIGRATION)).isFalse();
        assertThat(source.<java.util.Optional<String>>read(l -> l.migrationOf(GUEST.uuid()))).isEmpty();
    }

    @Test
    void aRepeatedStartOfACompletedJobAnnouncesItsEndAgainAndIsAcknowledgedWithoutASecondStream() {
        // given a job that completed (the deadline paused the guest), its end possibly missed by a restarted conductor
        start(new CompletionDeadline(Duration.ofSeconds(30), TimeoutAction.FORCE_COMPLETE, false));
        runFor(300);
        assertThat(events.ends).singleElement().extracting(JobEnd::outcome).isEqualTo(JobEnd.Outcome.COMPLETED);
        int readings = events.readings.size();

        // when the restarted conductor repeats the start order, twice
        StepResult again = source.startMigration(order(CompletionDeadline.NONE));
        StepResult andAgain = source.startMigration(order(CompletionDeadline.NONE));

        // then each repeat announces the same end first and is acknowledged, and nothing streams again
        assertThat(again.outcome()).isEqualTo(StepResult.Outcome.DONE);
        assertThat(andAgain.outcome()).isEqualTo(StepResult.Outcome.DONE);
        assertThat(events.ends).hasSize(3).containsOnly(events.ends.getFirst());
        runFor(10);
        assertThat(fabric.running(MIGRATION)).isFalse();
        assertThat(events.readings).hasSize(readings);
    }

    private void start(CompletionDeadline deadline) {
        assertThat(source.startMigration(order(deadline)).outcome()).isEqualTo(StepResult.Outcome.DONE);
    }

    private static MigrationOrder order(CompletionDeadline deadline) {
        return new MigrationOrder(MIGRATION, GUEST, "compute-a", "compute-b", false, Duration.ofMillis(300), 0,
                false, deadline.postCopyPermitted(), deadline);
    }

    /** Moves the clock by whole seconds, one simulation step each. */
    private void runFor(int seconds) {
        for (int i = 0; i < seconds; i++) {
            nanos.addAndGet(1_000_000_000L);
            fabric.tick();
        }
    }

    private static final class Recorded implements AgentEvents {
        final List<JobReading> readings = new ArrayList<>();
        final List<JobEnd> ends = new ArrayList<>();

        @Override
        public void inventory(HostAgent agent) {
        }

        @Override
        public void progress(HostAgent agent, String migrationUuid, String instanceUuid, JobReading reading) {
            readings.add(reading);
        }

        @Override
        public void jobEnded(HostAgent agent, String migrationUuid, String instanceUuid, JobEnd end) {
            ends.add(end);
        }
    }
}

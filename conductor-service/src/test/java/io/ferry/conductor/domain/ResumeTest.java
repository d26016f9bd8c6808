package io.ferry.conductor.domain;

import static io.ferry.conductor.domain.Journeys.DEST;
import static io.ferry.conductor.domain.Journeys.SOURCE;
import static io.ferry.conductor.domain.Journeys.at;
import static io.ferry.conductor.domain.Journeys.done;
import static io.ferry.conductor.domain.Journeys.jobEnded;
import static io.ferry.conductor.domain.Journeys.names;
import static io.ferry.conductor.domain.Journeys.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.MigrationInput.JobOutcome;
import io.ferry.conductor.domain.MigrationProcess.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a restarted conductor does with each recorded open migration. */
class ResumeTest {

    private final Journeys journeys = new Journeys();

    @Test
    void asksTheSchedulerAgainWhenNoDestinationWasClaimed() {
        // when
        Step step = journeys.process.resume(journeys.in(MigrationStatus.PREPARING), at(50));

        // then
        assertThat(names(step.effects())).containsExactly("select");
        assertThat(step.records()).isEmpty();
    }

    @Test
    void sendsAgainTheStepThePreparationWaitsFor() {
        // given
        Migration m = journeys.then(journeys.preparingAt(DEST, List.of()), done(DEST, AgentStep.PREPARE_DESTINATION));

        // when
        Step step = journeys.process.resume(m, at(50));

        // then
        assertThat(names(step.effects())).containsExactly("CHECK_SOURCE@" + SOURCE);
    }

    @Test
    void recordsTheDestinationBeforeTheStartGoesOutSoARestartAsksTheSourceAgain() {
        // given the destination prepared
        Migration prepared = journeys.then(journeys.preparingAt(DEST, List.of()), done(DEST, AgentStep.PREPARE_DESTINATION));

        // when the source's check is done: the start goes out after a record of what it depends on
        Step start = journeys.step(prepared, done(SOURCE, AgentStep.CHECK_SOURCE));

        // then
        assertThat(names(start.effects())).containsExactly("START_MIGRATION@" + SOURCE);
        assertThat(start.records()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(MigrationStatus.PREPARING);
            assertThat(r.sequence()).isEqualTo(prepared.sequence());
            assertThat(r.destHost()).isEqualTo(DEST);
            assertThat(r.awaiting()).isEqualTo(AgentStep.START_MIGRATION);
        });

        // and a conductor restarted from that record repeats the start to the source (never prepares anew)
        assertThat(names(journeys.process.resume(start.records().getLast(), at(50)).effects()))
                .containsExactly("START_MIGRATION@" + SOURCE);
    }

    @Test
    void aJobThatCompletedWhileTheConductorWasDownFinishesFromItsAnnouncedEnd() {
        // given a restarted conductor repeated the start; the source announces the end first, then acknowledges
        Migration resumed = journeys.process.resume(journeys.starting(), at(50)).migration();

        // when
        Step ended = journeys.step(resumed, jobEnded(JobOutcome.COMPLETED));
        Step answered = journeys.step(ended.migration(), done(SOURCE, AgentStep.START_MIGRATION));
        Step announcedAgain = journeys.step(answered.migration(), jobEnded(JobOutcome.COMPLETED));

        // then it ran and finishes: each transition recorded once, the late answer and the repeat change nothing
        assertThat(ended.records()).extracting(Migration::status)
                .containsExactly(MigrationStatus.RUNNING, MigrationStatus.POST_MIGRATING);
        assertThat(ended.records()).extracting(Migration::sequence)
                .containsExactly(resumed.sequence() + 1, resumed.sequence() + 2);
        assertThat(names(ended.effects()))
                .containsExactly("POST_MIGRATE_DESTINATION@" + DEST, "CLEANUP_SOURCE@" + SOURCE);
        for (Step later : List.of(answered, announcedAgain)) {
            assertThat(later.records()).isEmpty();
            assertThat(later.effects()).isEmpty();
            assertThat(later.migration().status()).isEqualTo(MigrationStatus.POST_MIGRATING);
        }
    }

    @Test
    void aJobThatFailedWhileTheConductorWasDownFailsOnceWhicheverAnswerComesFirst() {
        // given a restarted conductor repeated the start of a job that failed meanwhile
        Migration resumed = journeys.process.resume(journeys.starting(), at(50)).migration();

        // when the end is announced, then the repeated start is refused; or the other way round
        Step endFirst = journeys.step(resumed, jobEnded(JobOutcome.FAILED));
        Step thenRefusal = journeys.step(endFirst.migration(),
                refused(SOURCE, AgentStep.START_MIGRATION, "already ran and ended failed"));
        Step refusalFirst = journeys.step(resumed, refused(SOURCE, AgentStep.START_MIGRATION, "already ran"));
        Step thenEnd = journeys.step(refusalFirst.migration(), jobEnded(JobOutcome.FAILED));

        // then failed once, the destination released once
        assertThat(endFirst.migration().status()).isEqualTo(MigrationStatus.FAILED);
        assertThat(endFirst.records()).extracting(Migration::status)
                .containsExactly(MigrationStatus.RUNNING, MigrationStatus.FAILED);
        assertThat(names(endFirst.effects())).containsExactly("ROLLBACK_DESTINATION@" + DEST);
        assertThat(refusalFirst.migration().status()).isEqualTo(MigrationStatus.FAILED);
        assertThat(names(refusalFirst.effects())).containsExactly("ROLLBACK_DESTINATION@" + DEST);
        for (Step later : List.of(thenRefusal, thenEnd)) {
            assertThat(later.records()).isEmpty();
            assertThat(later.effects()).isEmpty();
        }
    }

    @Test
    void probesTheSourceOfARunningMigrationWithTheDowntimeInForce() {
        // given
        Migration running = journeys.running();

        // when
        Step step = journeys.process.resume(running, at(50));

        // then
        assertThat(step.effects()).singleElement().satisfies(e -> {
            Effect.ToHost probe = (Effect.ToHost) e;
            assertThat(probe.step()).isEqualTo(AgentStep.SET_MAX_DOWNTIME);
            assertThat(probe.host()).isEqualTo(SOURCE);
            assertThat(probe.downtime()).isEqualTo(Duration.ofMillis(50));
        });

        // and a yes changes nothing, while the job's end carries on as usual
        Step yes = journeys.step(step.migration(), done(SOURCE, AgentStep.SET_MAX_DOWNTIME));
        assertThat(yes.records()).isEmpty();
        assertThat(journeys.step(yes.migration(), jobEnded(JobOutcome.COMPLETED)).migration().status())
                .isEqualTo(MigrationStatus.POST_MIGRATING);
    }

    @Test
    void errsWithBothPossiblePlacesWhenTheSourceHasNoJobAnyMore() {
        // given
        Step probe = journeys.process.resume(journeys.running(), at(50));

        // when
        Step step = journeys.step(probe.migration(), refused(SOURCE, AgentStep.SET_MAX_DOWNTIME, "no migration job"));

        // then
        assertThat(step.migration().status()).isEqualTo(MigrationStatus.ERROR);
        assertThat(step.migration().vmLocation()).contains(SOURCE).contains(DEST);
        assertThat(step.migration().operatorAction()).isNotBlank();
    }

    @Test
    void finishesOnlyThePostMigrationStepsNotYetDone() {
        // given the destination took over, the source did not answer
        Migration m = journeys.then(journeys.in(MigrationStatus.POST_MIGRATING),
                done(DEST, AgentStep.POST_MIGRATE_DESTINATION));

        // when
        Step step = journeys.process.resume(m, at(50));

        // then
        assertThat(names(step.effects())).containsExactly("CLEANUP_SOURCE@" + SOURCE);
        assertThat(journeys.step(step.migration(), done(SOURCE, AgentStep.CLEANUP_SOURCE)).migration().status())
                .isEqualTo(MigrationStatus.COMPLETED);
    }

    @Test
    void leavesQueuedAndEndedMigrationsAlone() {
        for (MigrationStatus s : List.of(MigrationStatus.QUEUED, MigrationStatus.COMPLETED, MigrationStatus.FAILED,
                MigrationStatus.CANCELLED, MigrationStatus.ERROR)) {
            // when
            Step step = journeys.process.resume(journeys.in(s), at(50));

            // then
            assertThat(step.effects()).as(s.novaName()).isEmpty();
            assertThat(step.records()).as(s.novaName()).isEmpty();
        }
    }
}

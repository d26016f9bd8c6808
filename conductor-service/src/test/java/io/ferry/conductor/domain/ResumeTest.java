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

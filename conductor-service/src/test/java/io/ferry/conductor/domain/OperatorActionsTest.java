package io.ferry.conductor.domain;

import static io.ferry.conductor.domain.Journeys.DEST;
import static io.ferry.conductor.domain.Journeys.SOURCE;
import static io.ferry.conductor.domain.Journeys.at;
import static io.ferry.conductor.domain.Journeys.done;
import static io.ferry.conductor.domain.Journeys.jobEnded;
import static io.ferry.conductor.domain.Journeys.names;
import static io.ferry.conductor.domain.Journeys.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.MigrationInput.AbortRequested;
import io.ferry.conductor.domain.MigrationInput.ForceCompleteRequested;
import io.ferry.conductor.domain.MigrationInput.JobOutcome;
import io.ferry.conductor.domain.MigrationProcess.Step;
import io.ferry.conductor.domain.convergence.ConvergenceSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Abort and force-complete, as the operator asks them, in every status where they mean something. */
class OperatorActionsTest {

    @Test
    void abortOfARunningMigrationAbortsTheJobAndCancelsOnceItEndsWithTheGuestOnTheSource() {
        // given
        Journeys journeys = new Journeys();
        Migration running = journeys.running();

        // when
        Step abort = journeys.step(running, new AbortRequested(at(30)));

        // then the source aborts its job; the record says an abort was asked
        assertThat(names(abort.effects())).containsExactly("ABORT_JOB@" + SOURCE);
        assertThat(abort.records()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(MigrationStatus.RUNNING);
            assertThat(r.lastDecision().kind()).isEqualTo("abort");
        });

        // and a second abort changes nothing
        assertThat(journeys.step(abort.migration(), new AbortRequested(at(31))).effects()).isEmpty();

        // and when the job ends cancelled: cancelled, destination rolled back, nothing asked of the source
        Step ended = journeys.step(abort.migration(), jobEnded(JobOutcome.CANCELLED));
        assertThat(ended.migration().status()).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(ended.migration().reason()).isEqualTo("aborted by the operator");
        assertThat(names(ended.effects())).containsExactly("ROLLBACK_DESTINATION@" + DEST);
    }

    @Test
    void abortWhileTheDestinationPreparesCancelsAtOnceAndRollsTheDestinationBack() {
        // given
        Journeys journeys = new Journeys();
        Migration preparing = journeys.preparingAt(DEST, List.of());

        // when
        Step abort = journeys.step(preparing, new AbortRequested(at(3)));

        // then
        assertThat(abort.migration().status()).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(names(abort.effects())).containsExactly("ROLLBACK_DESTINATION@" + DEST);
        // and the destination's late answer changes nothing
        assertThat(journeys.step(abort.migration(), done(DEST, AgentStep.PREPARE_DESTINATION)).effects()).isEmpty();
    }

    @Test
    void abortWhileTheStartIsOnItsWayAbortsTheJobAsSoonAsTheSourceConfirmsIt() {
        // given the start order was sent
        Journeys journeys = new Journeys();
        Migration m = journeys.then(journeys.preparingAt(DEST, List.of()), done(DEST, AgentStep.PREPARE_DESTINATION));
        m = journeys.then(m, done(SOURCE, AgentStep.CHECK_SOURCE));
        assertThat(m.awaiting()).isEqualTo(AgentStep.START_MIGRATION);

        // when the operator aborts, then the source confirms the start
        Step abort = journeys.step(m, new AbortRequested(at(4)));
        Step started = journeys.step(abort.migration(), done(SOURCE, AgentStep.START_MIGRATION));

        // then nothing is cancelled before the job is, and the job is aborted at once
        assertThat(abort.migration().status()).isEqualTo(MigrationStatus.PREPARING);
        assertThat(abort.effects()).isEmpty();
        assertThat(started.migration().status()).isEqualTo(MigrationStatus.RUNNING);
        assertThat(names(started.effects())).containsExactly("ABORT_JOB@" + SOURCE);
        assertThat(journeys.step(started.migration(), jobEnded(JobOutcome.CANCELLED)).migration().reason())
                .isEqualTo("aborted by the operator");
    }

    @Test
    void abortWhileTheStartIsOnItsWayCancelsWhenTheSourceRefusesTheStart() {
        // given
        Journeys journeys = new Journeys();
        Migration m = journeys.then(journeys.preparingAt(DEST, List.of()), done(DEST, AgentStep.PREPARE_DESTINATION));
        m = journeys.then(journeys.then(m, done(SOURCE, AgentStep.CHECK_SOURCE)), new AbortRequested(at(4)));

        // when
        Step refused = journeys.step(m, refused(SOURCE, AgentStep.START_MIGRATION, "no such domain"));

        // then
        assertThat(refused.migration().status()).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(names(refused.effects())).containsExactly("ROLLBACK_DESTINATION@" + DEST);
    }

    @Test
    void abortOfAQueuedMigrationCancelsItWithoutAnyOrder() {
        // given
        Journeys journeys = new Journeys();

        // when
        Step abort = journeys.step(journeys.in(MigrationStatus.QUEUED), new AbortRequested(at(1)));

        // then
        assertThat(abort.migration().status()).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(abort.effects()).isEmpty();
    }

    @Test
    void forceCompleteSwitchesToPostCopyWhenPermittedAndOnlyOnce() {
        // given
        Journeys journeys = new Journeys(LifecycleSettings.defaults()
                .withConvergence(ConvergenceSettings.defaults().withPermitPostCopy(true)));
        Migration running = journeys.running();

        // when
        Step force = journeys.step(running, new ForceCompleteRequested(at(30)));

        // then
        assertThat(names(force.effects())).containsExactly("SWITCH_TO_POST_COPY@" + SOURCE);
        assertThat(force.migration().lastDecision().reason()).contains("operator");
        assertThat(journeys.step(force.migration(), new ForceCompleteRequested(at(31))).effects()).isEmpty();
    }

    @Test
    void forceCompletePausesTheGuestWhenPostCopyIsNotPermitted() {
        // given
        Journeys journeys = new Journeys();

        // when
        Step force = journeys.step(journeys.running(), new ForceCompleteRequested(at(30)));

        // then
        assertThat(names(force.effects())).containsExactly("FORCE_COMPLETE@" + SOURCE);
        assertThat(force.records()).singleElement().extracting(r -> r.lastDecision().kind()).isEqualTo("force-complete");
    }
}

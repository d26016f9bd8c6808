package io.ferry.conductor.domain;

import static io.ferry.conductor.domain.Journeys.DEST;
import static io.ferry.conductor.domain.Journeys.SOURCE;
import static io.ferry.conductor.domain.Journeys.at;
import static io.ferry.conductor.domain.Journeys.done;
import static io.ferry.conductor.domain.Journeys.jobEnded;
import static io.ferry.conductor.domain.Journeys.names;
import static io.ferry.conductor.domain.Journeys.progress;
import static io.ferry.conductor.domain.Journeys.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.MigrationInput.JobOutcome;
import io.ferry.conductor.domain.MigrationProcess.Step;
import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ConvergenceSettings;
import io.ferry.conductor.domain.convergence.MigrationPhase;
import io.ferry.conductor.domain.convergence.ProgressReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress readings through the configured policy: its decisions become orders and records. */
class ConvergenceSteeringTest {

    private static final Bandwidth LINK = Bandwidth.ofMBps(125);

    @Test
    void raisesTheMaxDowntimeWhenThePassesStayAboveTheLimitAndRecordsTheDecisionWithItsFigures() {
        // given a running migration whose guest dirties 105 MB/s over a 125 MB/s link, 50 ms in force
        Journeys journeys = new Journeys();
        Migration m = journeys.running();

        // when the policy reads it
        Step step = journeys.step(m, progress(reading(10, LINK, Bandwidth.ofMBps(105), Duration.ofMillis(50),
                MigrationPhase.PRE_COPY)));

        // then the source is told a higher max downtime, within the ceiling, and the record says why
        assertThat(step.effects()).hasSize(1);
        Effect.ToHost order = (Effect.ToHost) step.effects().getFirst();
        assertThat(order.step()).isEqualTo(AgentStep.SET_MAX_DOWNTIME);
        assertThat(order.host()).isEqualTo(SOURCE);
        assertThat(order.downtime()).isGreaterThan(Duration.ofMillis(50)).isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(step.records()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(MigrationStatus.RUNNING);
            assertThat(r.sequence()).isEqualTo(m.sequence());
            assertThat(r.lastDecision().kind()).isEqualTo("set-max-downtime");
            assertThat(r.lastDecision().downtime()).isEqualTo(order.downtime());
            assertThat(r.lastDecision().reason()).isNotBlank();
            assertThat(r.figures().memoryTotalBytes()).isPositive();
        });
    }

    @Test
    void sendsNothingWhenTheLimitInForceAlreadyConverges() {
        // given a guest that dirties nothing (what the simple simulator reports)
        Journeys journeys = new Journeys();
        Migration m = journeys.running();

        // when
        Step step = journeys.step(m, progress(reading(2, LINK, Bandwidth.ZERO, Duration.ofMillis(50),
                MigrationPhase.PRE_COPY)));

        // then only the figures change, in memory
        assertThat(step.records()).isEmpty();
        assertThat(step.effects()).isEmpty();
        assertThat(step.migration().figures().memoryProcessedBytes()).isEqualTo(LINK.bytesPerSecond() * 2);
        assertThat(step.migration().convergence()).isNotNull();
    }

    @Test
    void abortsAMigrationThatCannotConvergeAndCancelsItWithThePolicysReason() {
        // given dirtying faster than the link, neither auto-converge nor post-copy permitted
        Journeys journeys = new Journeys();
        Migration m = journeys.running();
        List<Effect> orders = new ArrayList<>();

        // when readings keep saying so for longer than the policy's confirmation
        for (int s = 1; s <= 12 && m.abortReason() == null; s++) {
            Step step = journeys.step(m, progress(reading(s, LINK, Bandwidth.ofMBps(200), Duration.ofMillis(50),
                    MigrationPhase.PRE_COPY)));
            orders.addAll(step.effects());
            m = step.migration();
        }

        // then the job is aborted on the source, and the record says why with the figures
        assertThat(names(orders)).endsWith("ABORT_JOB@" + SOURCE);
        assertThat(m.status()).isEqualTo(MigrationStatus.RUNNING);
        assertThat(m.lastDecision().kind()).isEqualTo("abort");
        assertThat(m.abortReason()).contains("cannot converge").contains("200.0 MB/s").contains("125.0 MB/s");

        // and when the job ends cancelled, the migration is cancelled with that reason and the destination rolled back
        Step end = journeys.step(m, jobEnded(JobOutcome.CANCELLED));
        assertThat(end.migration().status()).isEqualTo(MigrationStatus.CANCELLED);
        assertThat(end.migration().reason()).isEqualTo(m.abortReason());
        assertThat(names(end.effects())).containsExactly("ROLLBACK_DESTINATION@" + DEST);
    }

    @Test
    void switchesToPostCopyWhenPermittedAndMovesToRunningPostCopyOnceTheAgentConfirms() {
        // given post-copy permitted and a guest that will never converge
        Journeys journeys = new Journeys(LifecycleSettings.defaults()
                .withConvergence(ConvergenceSettings.defaults().withPermitPostCopy(true)));
        Migration m = journeys.running();
        List<Effect> orders = new ArrayList<>();

        // when readings past the first pass keep saying so
        for (int s = 1; s <= 40 && orders.isEmpty(); s++) {
            ProgressReading r = reading(s, LINK, Bandwidth.ofMBps(200), Duration.ofMillis(50), MigrationPhase.PRE_COPY);
            ProgressReading secondPass = new ProgressReading(r.readAt(), r.elapsed(), 2 + s / 5, r.memoryTotal(),
                    r.memoryProcessed(), r.memoryTotal(), r.diskTotal(), r.diskProcessed(), r.diskRemaining(),
                    r.dirtyRate(), r.bandwidth(), r.downtimeLimit(), r.expectedDowntime(), 0, r.phase());
            Step step = journeys.step(m, progress(secondPass));
            orders.addAll(step.effects());
            m = step.migration();
        }

        // then the source is told to switch
        assertThat(names(orders)).containsExactly("SWITCH_TO_POST_COPY@" + SOURCE);
        assertThat(m.lastDecision().kind()).isEqualTo("switch-to-post-copy");
        assertThat(m.status()).isEqualTo(MigrationStatus.RUNNING);

        // and when the agent confirms, the migration is in post-copy
        Step confirmed = journeys.step(m, done(SOURCE, AgentStep.SWITCH_TO_POST_COPY));
        assertThat(confirmed.migration().status()).isEqualTo(MigrationStatus.RUNNING_POST_COPY);
        assertThat(confirmed.records()).extracting(Migration::status).containsExactly(MigrationStatus.RUNNING_POST_COPY);
    }

    @Test
    void takesAPostCopyReadingAsTheAgentsConfirmation() {
        // given
        Journeys journeys = new Journeys();
        Migration m = journeys.running();

        // when
        Step step = journeys.step(m, progress(reading(5, MigrationPhase.POST_COPY)));

        // then
        assertThat(step.migration().status()).isEqualTo(MigrationStatus.RUNNING_POST_COPY);
        assertThat(step.records()).hasSize(1);
        assertThat(step.effects()).isEmpty();
    }

    @Test
    void followsNovasStepScheduleWithTheNovaCompatiblePolicy() {
        // given Nova's policy: a 4 GiB guest, steps every int(75 s x 4) = 300 s
        Journeys journeys = new Journeys(LifecycleSettings.defaults().withConvergence(ConvergenceSettings.novaDefaults()));
        Migration m = journeys.running();

        // when a reading comes at 301 s with 50 ms in force
        Step step = journeys.step(m, progress(reading(301, Bandwidth.ofMBps(1), Bandwidth.ofMBps(1),
                Duration.ofMillis(50), MigrationPhase.PRE_COPY)));

        // then the next step of Nova's ramp goes out: int(50 + 45 x 1) = 95 ms
        assertThat(step.effects()).singleElement().satisfies(e ->
                assertThat(((Effect.ToHost) e).downtime()).isEqualTo(Duration.ofMillis(95)));
        assertThat(step.migration().lastDecision().downtime()).isEqualTo(Duration.ofMillis(95));
        assertThat(at(0)).isBefore(step.migration().lastDecision().at());
    }

    @Test
    void aCompletionTimeoutThatFiresOnAStepOfNovasRampSwitchesToPostCopyRatherThanSettingTheStep() {
        // given Nova's policy, force_complete with post-copy permitted, and a completion timeout that ends exactly
        // when the ramp's first step is due: 75 s/GiB x 4 GiB = 300 s, steps every 300 s
        Journeys journeys = new Journeys(LifecycleSettings.defaults().withConvergence(ConvergenceSettings.novaDefaults()
                .withCompletionTimeout(Duration.ofSeconds(75))
                .withTimeoutAction(io.ferry.conductor.domain.convergence.TimeoutAction.FORCE_COMPLETE)
                .withPermitPostCopy(true)));
        Migration m = journeys.running();

        // when the reading after 300 s comes
        Step step = journeys.step(m, progress(reading(301, Bandwidth.ofMBps(1), Bandwidth.ofMBps(1),
                Duration.ofMillis(50), MigrationPhase.PRE_COPY)));

        // then the source is told to switch to post-copy, and the record says the timeout did it
        assertThat(names(step.effects())).containsExactly("SWITCH_TO_POST_COPY@" + SOURCE);
        assertThat(step.migration().lastDecision().kind()).isEqualTo("switch-to-post-copy");
        assertThat(step.migration().lastDecision().reason()).contains("timeout action force_complete");
    }
}

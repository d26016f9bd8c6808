package io.ferry.conductor.domain.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NovaCompatiblePolicyTest {

    private final ConvergencePolicy nova = new NovaCompatiblePolicy();

    private static Workload neverConverging(long gib) {
        return Workload.constant("stress-" + gib, ByteSize.ofGiB(gib), Workload.TEN_GBE, Bandwidth.ofMBps(2_500));
    }

    @ParameterizedTest(name = "{0} GiB: one step every {1} s")
    @CsvSource({"1, 150", "4, 300", "8, 600"})
    void setsNovasDowntimeStepsAtNovasTimes(long gib, long delaySeconds) {
        // given: a guest that never converges, no completion timeout
        ConvergenceSettings settings = ConvergenceSettings.novaDefaults().withCompletionTimeout(Duration.ZERO);

        // when
        PreCopySimulator.Result result = PreCopySimulator.run(neverConverging(gib), nova, settings,
                Duration.ofSeconds(delaySeconds * 10 + 60));

        // then: (time, downtime) pairs exactly as Nova's, each applied at the first reading past its time
        long[] downtimes = {50, 95, 140, 185, 230, 275, 320, 365, 410, 455, 500};
        List<PreCopySimulator.TimedDecision> set = result.decisionsOf(Decision.SetMaxDowntime.class);
        assertThat(set).hasSize(11);
        for (int i = 0; i <= 10; i++) {
            assertThat(set.get(i).elapsed()).isEqualTo(Duration.ofSeconds(delaySeconds * i + 1));
            assertThat(((Decision.SetMaxDowntime) set.get(i).decision()).downtime())
                    .isEqualTo(Duration.ofMillis(downtimes[i]));
        }
        assertThat(result.completed()).isFalse();
    }

    @ParameterizedTest(name = "{0} GiB: timeout after {1} s")
    @CsvSource({"1, 1600", "4, 3200", "8, 6400"})
    void abortsWhenTheCompletionTimeoutOfDataGbTimes800SecondsExpires(long gib, long timeoutSeconds) {
        // when
        PreCopySimulator.Result result = PreCopySimulator.run(neverConverging(gib), nova,
                ConvergenceSettings.novaDefaults(), Duration.ofSeconds(timeoutSeconds + 60));

        // then: fires at the first reading strictly after data_gb x 800 s
        List<PreCopySimulator.TimedDecision> aborts = result.decisionsOf(Decision.Abort.class);
        assertThat(aborts).hasSize(1);
        assertThat(aborts.getFirst().elapsed()).isEqualTo(Duration.ofSeconds(timeoutSeconds + 1));
        assertThat(((Decision.Abort) aborts.getFirst().decision()).cause()).isEqualTo(Decision.AbortCause.COMPLETION_TIMEOUT);
        assertThat(aborts.getFirst().decision().reason()).contains("not completed after " + timeoutSeconds + " s");
        assertThat(result.aborted()).isTrue();
    }

    @Test
    void forceCompletesWithPostCopyWhenPermittedAndTheTimeoutActionIsForceComplete() {
        ConvergenceSettings settings = ConvergenceSettings.novaDefaults()
                .withTimeoutAction(TimeoutAction.FORCE_COMPLETE).withPermitPostCopy(true);

        PreCopySimulator.Result result = PreCopySimulator.run(neverConverging(1), nova, settings, Duration.ofSeconds(2000));

        assertThat(result.decisionsOf(Decision.SwitchToPostCopy.class)).singleElement()
                .extracting(PreCopySimulator.TimedDecision::elapsed).isEqualTo(Duration.ofSeconds(1601));
        assertThat(result.completed()).isTrue();
        assertThat(result.postCopy()).isTrue();
        assertThat(result.decisionsOf(Decision.Abort.class)).isEmpty();
    }

    @Test
    void forceCompletesByPausingWhenPostCopyIsNotPermitted() {
        ConvergenceSettings settings = ConvergenceSettings.novaDefaults().withTimeoutAction(TimeoutAction.FORCE_COMPLETE);

        PreCopySimulator.Result result = PreCopySimulator.run(neverConverging(1), nova, settings, Duration.ofSeconds(2000));

        assertThat(result.decisionsOf(Decision.ForceComplete.class)).singleElement()
                .extracting(PreCopySimulator.TimedDecision::elapsed).isEqualTo(Duration.ofSeconds(1601));
        assertThat(result.completed()).isTrue();
        assertThat(result.paused()).isTrue();
    }

    @Test
    void theCompletionTimeoutNeverFiresInPostCopy() {
        // given: a reading in post-copy long after the timeout
        ConvergenceSettings settings = ConvergenceSettings.novaDefaults();
        ConvergenceState state = nova.start(GuestFootprint.ofRam(ByteSize.ofGiB(1)), PreCopySimulator.START, settings).state();
        ProgressReading postCopy = Readings.aReading().at(Duration.ofSeconds(5000)).inPhase(MigrationPhase.POST_COPY).build();

        // when
        Outcome outcome = nova.decide(state, postCopy, settings);

        // then
        assertThat(outcome.decisions()).noneMatch(d -> d instanceof Decision.Abort
                || d instanceof Decision.ForceComplete || d instanceof Decision.SwitchToPostCopy);
        assertThat(outcome.state().aborted()).isFalse();
    }

    @Test
    void aZeroCompletionTimeoutNeverFires() {
        ConvergenceSettings settings = ConvergenceSettings.novaDefaults().withCompletionTimeout(Duration.ZERO);

        PreCopySimulator.Result result = PreCopySimulator.run(neverConverging(1), nova, settings, Duration.ofSeconds(5000));

        assertThat(result.aborted()).isFalse();
    }

    @ParameterizedTest(name = "post-copy permitted: {0}")
    @ValueSource(booleans = {false, true})
    void enablesAutoConvergeAtTheStartOnlyWhenPermittedAndPostCopyIsNot(boolean postCopy) {
        ConvergenceSettings settings = ConvergenceSettings.novaDefaults()
                .withPermitAutoConverge(true).withPermitPostCopy(postCopy);

        Outcome start = nova.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START, settings);

        assertThat(start.decisions().getFirst() instanceof Decision.EnableAutoConverge).isEqualTo(!postCopy);
        assertThat(start.state().autoConvergeEnabled()).isEqualTo(!postCopy);
    }

    @Test
    void anIdleGuestCompletesUnderTheFirstStep() {
        PreCopySimulator.Result result = PreCopySimulator.run(Workload.idle(), nova, ConvergenceSettings.novaDefaults(),
                Duration.ofSeconds(100));

        assertThat(result.completed()).isTrue();
        assertThat(result.downtimeLimitsSet()).containsExactly(Duration.ofMillis(50));
    }
}

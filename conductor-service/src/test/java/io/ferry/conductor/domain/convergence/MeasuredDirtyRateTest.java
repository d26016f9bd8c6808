package io.ferry.conductor.domain.convergence;

import static io.ferry.conductor.domain.convergence.Readings.aReading;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The predictive policy during a long first pass, before QEMU's own dirty rate is known: the guest's dirty rate
 * measured apart from the stream (calc-dirty-rate) decides "cannot converge" when it proves it, and nothing else.
 */
class MeasuredDirtyRateTest {

    private static final Bandwidth CAPPED = Bandwidth.ofMiBps(120);
    private final ConvergencePolicy predictive = new PredictivePolicy();
    private final ConvergenceSettings defaults = ConvergenceSettings.defaults();

    /** A 32 GiB guest in its first pass over a 120 MiB/s stream: QEMU's first dirty rate comes after ~4 minutes. */
    private static Readings firstPassOf32GiB(long second) {
        ByteSize total = ByteSize.ofGiB(32);
        return aReading().withMemoryTotal(total).inIteration(1).withDirtyRate(Bandwidth.ZERO).withBandwidth(CAPPED)
                .at(Duration.ofSeconds(second))
                .withRemaining(ByteSize.ofBytes(total.bytes() - second * CAPPED.bytesPerSecond()));
    }

    private Outcome run(long fromSecond, long toSecond, ConvergenceSettings settings,
            java.util.function.UnaryOperator<Readings> measure) {
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(32)), PreCopySimulator.START,
                settings).state();
        Outcome outcome = null;
        for (long s = fromSecond; s <= toSecond; s++) {
            outcome = predictive.decide(state, measure.apply(firstPassOf32GiB(s)).build(), settings);
            state = outcome.state();
            if (outcome.decisions().getFirst() instanceof Decision.Abort) {
                return outcome;
            }
        }
        return outcome;
    }

    @Test
    void abortsDuringTheFirstPassOnceAMeasuredDirtyRateAboveTheBandwidthHeldForTheConfirmation() {
        // when readings from second 2 carry a 1 s measurement of 600 MB/s against a 120 MiB/s stream
        Outcome outcome = run(2, 30, defaults,
                r -> r.withMeasuredDirtyRate(Bandwidth.ofMBps(600), Duration.ofSeconds(1)));

        // then it aborts at second 7, naming both figures, while QEMU has not yet measured anything
        assertThat(outcome.decisions().getFirst()).isInstanceOf(Decision.Abort.class);
        assertThat(((Decision.Abort) outcome.decisions().getFirst()).cause()).isEqualTo(Decision.AbortCause.CANNOT_CONVERGE);
        assertThat(outcome.decisions().getFirst().reason())
                .startsWith("cannot converge: dirty rate 600.0 MB/s >= bandwidth 125.8 MB/s")
                .contains("measured apart from the stream over 1 s")
                .contains("neither auto-converge nor post-copy is permitted");
        Outcome atSix = run(2, 6, defaults, r -> r.withMeasuredDirtyRate(Bandwidth.ofMBps(600), Duration.ofSeconds(1)));
        assertThat(atSix.decisions().getFirst()).isInstanceOf(Decision.Continue.class);
        assertThat(atSix.decisions().getFirst().reason()).contains("forecast held 4.0 s of 5 s");
        assertThat(Duration.between(PreCopySimulator.START, outcome.state().cannotConvergeSince()))
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aMeasuredDirtyRateUnderTheBandwidthDecidesNothing() {
        // when the guest is measured at 100 MB/s, under the stream's 125.8 MB/s
        Outcome outcome = run(2, 60, defaults,
                r -> r.withMeasuredDirtyRate(Bandwidth.ofMBps(100), Duration.ofSeconds(1)));

        // then the policy waits for QEMU's rate, as without a measurement
        assertThat(outcome.decisions().getFirst()).isNotInstanceOf(Decision.Abort.class);
        assertThat(outcome.state().cannotConvergeSince()).isNull();
    }

    @Test
    void aHotSetTheCeilingLetsPassDecidesNothingHoweverFastItIsWritten() {
        // given a 1 s measurement just above the bandwidth: it proves a hot set of at least 1 s x B, which a ceiling of
        // 450 ms (the default) can never let pass, but a ceiling of 1.5 s could
        Bandwidth justAbove = Bandwidth.ofBytesPerSecond(CAPPED.bytesPerSecond() + 1);
        ConvergenceSettings bigCeiling = defaults.withMaxDowntime(Duration.ofMillis(1550));

        // when / then with a ceiling of 1.5 s it proves nothing
        Outcome outcome = run(2, 30, bigCeiling, r -> r.withMeasuredDirtyRate(justAbove, Duration.ofSeconds(1)));
        assertThat(outcome.decisions().getFirst()).isNotInstanceOf(Decision.Abort.class);
        assertThat(outcome.state().cannotConvergeSince()).isNull();

        // when / then under the default ceiling it proves non-convergence
        Outcome proven = run(2, 30, defaults, r -> r.withMeasuredDirtyRate(justAbove, Duration.ofSeconds(1)));
        assertThat(proven.decisions().getFirst()).isInstanceOf(Decision.Abort.class);
    }

    @Test
    void afterTheFirstPassQemusOwnRateDecides() {
        // given a reading of the second pass: QEMU measured 100 MB/s over the first, under the bandwidth
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(32)), PreCopySimulator.START,
                defaults).state();
        Outcome outcome = null;
        for (long s = 2; s <= 30; s++) {
            // when an old calc-dirty-rate result of 600 MB/s still rides along
            outcome = predictive.decide(state, firstPassOf32GiB(s).inIteration(2).withDirtyRate(Bandwidth.ofMBps(100))
                    .withRemaining(ByteSize.ofGiB(2)).withMeasuredDirtyRate(Bandwidth.ofMBps(600), Duration.ofSeconds(1))
                    .build(), defaults);
            state = outcome.state();
        }

        // then it is ignored
        assertThat(outcome.decisions().getFirst()).isNotInstanceOf(Decision.Abort.class);
        assertThat(outcome.decisions().getFirst().reason()).doesNotContain("measured apart from the stream");
    }

    @Test
    void withAutoConvergePermittedItThrottlesAndNeverAbortsOnTheMeasurementAlone() {
        // when the same heavy guest may be throttled
        ConvergenceSettings settings = defaults.withPermitAutoConverge(true);
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(32)), PreCopySimulator.START,
                settings).state();
        int autoConverge = 0;
        for (long s = 2; s <= 200; s++) {
            Outcome outcome = predictive.decide(state, firstPassOf32GiB(s)
                    .withMeasuredDirtyRate(Bandwidth.ofMBps(600), Duration.ofSeconds(1)).build(), settings);
            state = outcome.state();

            // then
            assertThat(outcome.decisions().getFirst()).isNotInstanceOf(Decision.Abort.class);
            if (outcome.decisions().getFirst() instanceof Decision.EnableAutoConverge) {
                autoConverge++;
                assertThat(s).isEqualTo(7);
            }
        }
        assertThat(autoConverge).isEqualTo(1);
    }
}

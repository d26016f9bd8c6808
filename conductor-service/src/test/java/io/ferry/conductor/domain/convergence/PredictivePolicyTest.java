package io.ferry.conductor.domain.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PredictivePolicyTest {

    private static final Duration HORIZON = Duration.ofHours(4);
    private final ConvergencePolicy predictive = new PredictivePolicy();
    private final ConvergenceSettings defaults = ConvergenceSettings.defaults();

    static Stream<Workload> convergingProfiles() {
        return Stream.of(Workload.idle(), Workload.web(), Workload.database(), Workload.bursty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convergingProfiles")
    void convergesWhenTheDirtyRateStaysUnderTheBandwidth(Workload workload) {
        // when
        PreCopySimulator.Result result = PreCopySimulator.run(workload, predictive, defaults, HORIZON);

        // then
        assertThat(result.completed()).as(result.toString()).isTrue();
        assertThat(result.downtime()).isLessThanOrEqualTo(defaults.maxDowntime());
        assertThat(result.decisionsOf(Decision.Abort.class)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convergingProfiles")
    void finishesFarSoonerThanNovaOnTheSameWorkload(Workload workload) {
        PreCopySimulator.Result ours = PreCopySimulator.run(workload, predictive, defaults, HORIZON);
        PreCopySimulator.Result nova = PreCopySimulator.run(workload, new NovaCompatiblePolicy(),
                ConvergenceSettings.novaDefaults(), HORIZON);

        assertThat(ours.completed()).isTrue();
        assertThat(ours.seconds()).isLessThanOrEqualTo(nova.completed() ? nova.seconds() : Double.MAX_VALUE);
    }

    @Test
    void abortsWithinThirtySecondsWhenTheDirtyRateExceedsTheBandwidthAndNothingElseIsPermitted() {
        // when
        PreCopySimulator.Result result = PreCopySimulator.run(Workload.memoryStress(), predictive, defaults, HORIZON);

        // then
        assertThat(result.aborted()).isTrue();
        PreCopySimulator.TimedDecision abort = result.decisionsOf(Decision.Abort.class).getFirst();
        assertThat(abort.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(((Decision.Abort) abort.decision()).cause()).isEqualTo(Decision.AbortCause.CANNOT_CONVERGE);
        assertThat(abort.decision().reason())
                .startsWith("cannot converge: dirty rate 2.50 GB/s >= bandwidth 1.25 GB/s")
                .contains("neither auto-converge nor post-copy is permitted");
    }

    @Test
    void switchesToPostCopyWhenDirtyRateExceedsBandwidthAndPostCopyIsPermitted() {
        ConvergenceSettings settings = defaults.withPermitPostCopy(true);

        PreCopySimulator.Result result = PreCopySimulator.run(Workload.memoryStress(), predictive, settings, HORIZON);

        assertThat(result.decisionsOf(Decision.SwitchToPostCopy.class)).singleElement()
                .satisfies(d -> assertThat(d.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(30)));
        assertThat(result.completed()).isTrue();
        assertThat(result.postCopy()).isTrue();
        assertThat(result.decisionsOf(Decision.Abort.class)).isEmpty();
    }

    @Test
    void enablesAutoConvergeWhenDirtyRateExceedsBandwidthAndThrottlingIsPermitted() {
        ConvergenceSettings settings = defaults.withPermitAutoConverge(true);

        PreCopySimulator.Result result = PreCopySimulator.run(Workload.memoryStress(), predictive, settings, HORIZON);

        assertThat(result.decisionsOf(Decision.EnableAutoConverge.class)).singleElement()
                .satisfies(d -> assertThat(d.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(30)));
        assertThat(result.completed()).as(result.toString()).isTrue();
        assertThat(result.downtime()).isLessThanOrEqualTo(settings.maxDowntime());
    }

    @Test
    void prefersThrottlingToPostCopyWhenBothArePermitted() {
        ConvergenceSettings settings = defaults.withPermitAutoConverge(true).withPermitPostCopy(true);

        PreCopySimulator.Result result = PreCopySimulator.run(Workload.memoryStress(), predictive, settings, HORIZON);

        assertThat(result.decisions().stream().map(d -> d.decision().getClass()).filter(c -> c != Decision.Continue.class
                && c != Decision.SetMaxDowntime.class).findFirst()).contains((Class) Decision.EnableAutoConverge.class);
        assertThat(result.completed()).isTrue();
    }

    @Test
    void raisesTheLimitToWhatTheLastPassNeedsWhenPassesCannotShrink() {
        // given: dirty rate above bandwidth, but the whole 1 GiB fits in 450 ms at 2.5 GB/s
        Workload small = Workload.constant("small-hot", ByteSize.ofGiB(1), Bandwidth.ofMBps(2_500), Bandwidth.ofMBps(3_000));

        PreCopySimulator.Result result = PreCopySimulator.run(small, predictive, defaults, HORIZON);

        assertThat(result.completed()).as(result.toString()).isTrue();
        assertThat(result.downtimeLimitsSet()).containsExactly(Duration.ofMillis(430));
        assertThat(result.downtime()).isLessThanOrEqualTo(defaults.maxDowntime());
    }

    @Test
    void aShortBurstIsNotMistakenForATrend() {
        // given: one reading says the guest cannot converge
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START, defaults).state();
        ProgressReading burst = Readings.aReading().withDirtyRate(Bandwidth.ofMBps(2_000)).build();

        // when
        Outcome outcome = predictive.decide(state, burst, defaults);

        // then
        assertThat(outcome.acts()).isFalse();
        assertThat(outcome.decisions().getFirst().reason()).startsWith("cannot converge: dirty rate 2.00 GB/s >= bandwidth 1.25 GB/s");
        assertThat(outcome.state().cannotConvergeSince()).isEqualTo(burst.readAt());
    }

    @Test
    void trustsADirtyRateMeasuredOverALongFirstPassWithoutWaitingFiveMoreSeconds() {
        // given: a 4 GiB guest on a 150 MB/s link, whose first pass took 28 s; the dirty rate is known only after it
        Readings slowLink = Readings.aReading().withBandwidth(Bandwidth.ofMBps(150)).withRemaining(ByteSize.ofGiB(3));
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START,
                defaults).state();
        for (long s = 1; s <= 28; s++) {
            state = predictive.decide(state, slowLink.at(Duration.ofSeconds(s)).inIteration(1)
                    .withDirtyRate(Bandwidth.ZERO).build(), defaults).state();
        }
        Readings hot = slowLink.withDirtyRate(Bandwidth.ofMBps(200)).withRemaining(ByteSize.ofGiB(4)).inIteration(2);

        // when the first two readings of the second pass say 200 MB/s
        Outcome first = predictive.decide(state, hot.at(Duration.ofSeconds(29)).build(), defaults);
        Outcome second = predictive.decide(first.state(), hot.at(Duration.ofSeconds(30)).build(), defaults);

        // then one reading is not enough, two are: the rate they carry was measured over the whole 28 s pass
        assertThat(first.acts()).isFalse();
        assertThat(second.decisions()).singleElement().isInstanceOfSatisfying(Decision.Abort.class, a -> {
            assertThat(a.cause()).isEqualTo(Decision.AbortCause.CANNOT_CONVERGE);
            assertThat(a.reason()).startsWith("cannot converge: dirty rate 200.0 MB/s >= bandwidth 150.0 MB/s")
                    .contains("measured over the last pass, 28 s");
        });
    }

    @Test
    void waitsTheFullConfirmationWhenPassesAreShort() {
        // given: passes of one second each, the dirty rate above the bandwidth
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START,
                defaults).state();
        Readings hot = Readings.aReading().withDirtyRate(Bandwidth.ofMBps(2_000));
        Outcome outcome = null;
        for (long s = 1; s <= 5; s++) {
            // when a new pass shows every second, for less than the confirmation
            outcome = predictive.decide(state, hot.at(Duration.ofSeconds(s)).inIteration(s + 1).build(), defaults);
            state = outcome.state();

            // then nothing is decided yet
            assertThat(outcome.acts()).as("after %d s", s).isFalse();
        }
        outcome = predictive.decide(state, hot.at(Duration.ofSeconds(6)).inIteration(7).build(), defaults);
        assertThat(outcome.decisions()).singleElement().isInstanceOf(Decision.Abort.class);
    }

    @Test
    void doesNotRaiseTheLimitOnAStaleForecastWhenRemainingMemoryGrowsWithinAPass() {
        // given: ratio 0.9, a limit set on the first reading of pass 2
        Readings pass2 = Readings.aReading().withDirtyRate(Bandwidth.ofMBps(1_125)).inIteration(2);
        Outcome first = predictive.decide(predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)),
                PreCopySimulator.START, defaults).state(), pass2.at(Duration.ofSeconds(10)).build(), defaults);
        assertThat(first.decisions()).singleElement().isInstanceOf(Decision.SetMaxDowntime.class);
        ProgressReading bigger = pass2.at(Duration.ofSeconds(11)).withRemaining(ByteSize.ofGiB(4)).build();

        // when remaining memory grows within the same pass, and (control) when the same figures open a new pass
        Outcome samePass = predictive.decide(first.state(), bigger, defaults);
        Outcome newPass = predictive.decide(first.state(), pass2.inIteration(3).build(), defaults);

        // then the stale forecast raises nothing; a new pass's forecast does
        assertThat(samePass.acts()).isFalse();
        assertThat(samePass.decisions().getFirst().reason()).startsWith("not raising the limit: remaining memory grew");
        assertThat(samePass.state().downtimeLimit()).isEqualTo(first.state().downtimeLimit());
        assertThat(newPass.decisions()).singleElement().isInstanceOfSatisfying(Decision.SetMaxDowntime.class,
                d -> assertThat(d.downtime()).isGreaterThan(first.state().downtimeLimit()));
    }

    @Test
    void leavesASlowPlanToTheThrottleWhileAutoConvergeCanStillThrottleMore() {
        // given: ratio 0.96, so pre-copy converges only after ~50 passes, and only under the 450 ms ceiling
        ConvergenceSettings settings = defaults.withPermitAutoConverge(true);
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START,
                settings).state();
        Readings slow = Readings.aReading().withDirtyRate(Bandwidth.ofMBps(1_200));

        // when the guest is not throttled yet, and when auto-converge throttles it at 30 %
        Outcome unthrottled = predictive.decide(state, slow.build(), settings);
        Outcome throttled = predictive.decide(state, slow.withThrottle(30).build(), settings);

        // then without the throttle the earliest switchover is taken (the ceiling); with it, the limit stays
        assertThat(unthrottled.decisions()).singleElement().isInstanceOfSatisfying(Decision.SetMaxDowntime.class,
                d -> assertThat(d.downtime()).isEqualTo(Duration.ofMillis(450)));
        assertThat(throttled.acts()).isFalse();
        assertThat(throttled.decisions().getFirst().reason()).contains("auto-converge is throttling at 30 %");
        assertThat(throttled.state().downtimeLimit()).isEqualTo(state.downtimeLimit());
    }

    @Test
    void abortsAtFullThrottleOnlyOnceADirtyRateMeasuredUnderItStillCannotConverge() {
        // given: auto-converge on, every reading says the guest cannot converge, the throttle just reached 99 %
        ConvergenceSettings settings = defaults.withPermitAutoConverge(true);
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START,
                settings).state().withAutoConvergeEnabled();
        Readings hot = Readings.aReading().withDirtyRate(Bandwidth.ofMBps(2_000)).withThrottle(99);
        state = predictive.decide(state, hot.at(Duration.ofSeconds(10)).inIteration(18).build(), settings).state();

        // when the forecast has held past the confirmation, still in the pass where the throttle reached 99 %
        Outcome samePass = predictive.decide(state, hot.at(Duration.ofSeconds(16)).inIteration(18).build(), settings);

        // then it waits: the dirty rate in that reading was measured before the full throttle
        assertThat(samePass.acts()).isFalse();
        assertThat(samePass.decisions().getFirst().reason()).contains("waiting for a dirty rate measured under it");
        assertThat(samePass.state().fullThrottle().iteration()).isEqualTo(18);

        // and when two passes later the measured rate still exceeds the bandwidth, it aborts
        Outcome later = predictive.decide(samePass.state(), hot.at(Duration.ofSeconds(20)).inIteration(20).build(),
                settings);
        assertThat(later.decisions()).singleElement().isInstanceOfSatisfying(Decision.Abort.class, a -> {
            assertThat(a.cause()).isEqualTo(Decision.AbortCause.CANNOT_CONVERGE);
            assertThat(a.reason()).startsWith("cannot converge: dirty rate 2.00 GB/s >= bandwidth 1.25 GB/s")
                    .contains("throttled at 99 % already");
        });
    }

    @Test
    void abortsAStallAtOnceWhenNothingMoves() {
        // given: a permissive policy and a link that carries nothing for longer than the stall limit
        ConvergenceSettings settings = defaults.withPermitPostCopy(true).withPermitAutoConverge(true);
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START, settings).state();
        state = predictive.decide(state, Readings.aReading().at(Duration.ofSeconds(1)).inIteration(1)
                .withBandwidth(Bandwidth.ZERO).build(), settings).state();

        // when
        Outcome outcome = predictive.decide(state, Readings.aReading().at(Duration.ofSeconds(62)).inIteration(1)
                .withBandwidth(Bandwidth.ZERO).build(), settings);

        // then
        assertThat(outcome.decisions()).singleElement().isInstanceOfSatisfying(Decision.Abort.class,
                a -> assertThat(a.cause()).isEqualTo(Decision.AbortCause.STALLED));
    }

    @Test
    void theCompletionTimeoutStillApplies() {
        // given: a 4 GiB guest (timeout 3200 s) still copying after 3201 s
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START, defaults).state();

        // when
        Outcome outcome = predictive.decide(state, Readings.aReading().at(Duration.ofSeconds(3201)).build(), defaults);

        // then
        assertThat(outcome.decisions()).singleElement().isInstanceOfSatisfying(Decision.Abort.class, a -> {
            assertThat(a.cause()).isEqualTo(Decision.AbortCause.COMPLETION_TIMEOUT);
            assertThat(a.reason()).startsWith("not completed after 3200 s");
        });
    }

    @Test
    void abortsEarlyWhenTheFirstPassCannotFinishBeforeTheCompletionTimeout() {
        // given: 8 GiB over 1 MB/s needs 8590 s; the timeout is 6400 s
        Workload slow = Workload.constant("slow", ByteSize.ofGiB(8), Bandwidth.ofMBps(1), Bandwidth.ZERO);

        PreCopySimulator.Result result = PreCopySimulator.run(slow, predictive, defaults, Duration.ofSeconds(7000));

        assertThat(result.decisionsOf(Decision.Abort.class)).singleElement().satisfies(a -> {
            assertThat(a.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(30));
            assertThat(a.decision().reason()).startsWith("cannot finish before the completion timeout");
        });
    }

    @Test
    void decidesNothingInPostCopy() {
        ConvergenceState state = predictive.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START, defaults).state();

        Outcome outcome = predictive.decide(state, Readings.aReading().at(Duration.ofHours(3))
                .inPhase(MigrationPhase.POST_COPY).withDirtyRate(Bandwidth.ofMBps(9_000)).build(), defaults);

        assertThat(outcome.acts()).isFalse();
    }
}

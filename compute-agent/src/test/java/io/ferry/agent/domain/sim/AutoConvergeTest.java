package io.ferry.agent.domain.sim;

import static io.ferry.agent.domain.sim.Fixtures.aFabric;
import static io.ferry.agent.domain.sim.Fixtures.aGuest;
import static io.ferry.agent.domain.sim.Fixtures.migrate;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoConvergeTest {

    @Test
    void throttlesOnEverySecondHighPeriodFromTwentyByTenToNinetyNine() {
        // given
        AutoConverge state = AutoConverge.INACTIVE;
        List<Integer> throttles = new ArrayList<>();

        // when: every period dirties more than half of what it sent
        for (int period = 0; period < 22; period++) {
            state = state.afterPeriod(600, 1000);
            throttles.add(state.throttlePercent());
        }

        // then
        assertThat(throttles).containsExactly(
                0, 20, 20, 30, 30, 40, 40, 50, 50, 60, 60, 70, 70, 80, 80, 90, 90, 99, 99, 99, 99, 99);
        assertThat(throttles.indexOf(99) + 1).isEqualTo(AutoConverge.HIGH_PERIODS_TO_MAX);
    }

    @Test
    void periodsDirtyingAtMostHalfOfWhatWasSentDoNotCount() {
        // given
        AutoConverge state = AutoConverge.INACTIVE;

        // when
        state = state.afterPeriod(500, 1000).afterPeriod(100, 1000).afterPeriod(500, 1000);

        // then
        assertThat(state).isEqualTo(AutoConverge.INACTIVE);
    }

    @Test
    void highPeriodsNeedNotBeConsecutive() {
        // given
        AutoConverge state = AutoConverge.INACTIVE;

        // when
        state = state.afterPeriod(900, 1000).afterPeriod(10, 1000).afterPeriod(900, 1000);

        // then
        assertThat(state.throttlePercent()).isEqualTo(AutoConverge.INITIAL_PERCENT);
    }

    @Test
    void simulatedGuestReachesNinetyNinePercentAtTheDocumentedSync() {
        // given: rounds of W / B = 2 GiB / 1.25 GB/s = 1.7 s, so every sync closes a period,
        // and a dirty rate so high that every period is high even at 90% throttle (round 0 sends
        // 3 GiB and W = 2 GiB is dirtied: more than half, so the first period counts too)
        Guest guest = aGuest(ByteSize.gib(3), Workload.constant(Bandwidth.gbPerSecond(100), ByteSize.gib(2), 4));
        SimulatedHypervisor hv = aFabric();

        // when
        JobId job = hv.start(migrate(guest, MigrationSettings.defaults().withAutoConverge(true)));
        hv.advanceTo(Duration.ofMinutes(2));

        // then: the setup sync opens the first period, so the 18th high period ends at sync 19
        List<TraceEvent> throttles = hv.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.THROTTLE).toList();
        assertThat(throttles).extracting(TraceEvent::value)
                .containsExactly(20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 99L);
        TraceEvent reached = throttles.getLast();
        TraceEvent syncThen = hv.trace().stream()
                .filter(e -> e.kind() == TraceEvent.Kind.SYNC && e.at().equals(reached.at())).findFirst().orElseThrow();
        assertThat(syncThen.detail()).isEqualTo("iteration " + (1 + AutoConverge.HIGH_PERIODS_TO_MAX));
        assertThat(hv.stats(job).orElseThrow().cpuThrottle()).isEqualTo(0.99);
    }

    @Test
    void throttleScalesTheDirtyRateSoAnOtherwiseHopelessGuestConverges() {
        // given: D = 1.3 GB/s over 10 Gbit/s, no W cap
        Guest guest = aGuest(ByteSize.gib(8), Bandwidth.gbPerSecond(1.3));
        SimulatedHypervisor hv = aFabric();

        // when
        JobId job = hv.start(migrate(guest, MigrationSettings.defaults().withAutoConverge(true)));
        boolean ended = hv.runUntilIdle(Duration.ofMinutes(10));

        // then
        assertThat(ended).isTrue();
        EndedJob done = hv.drainEnded().getFirst();
        assertThat(done.job()).isEqualTo(job);
        assertThat(done.outcome()).isInstanceOf(Outcome.Completed.class);
        assertThat(done.finalStats().cpuThrottle()).isGreaterThan(0);
        assertThat(done.finalStats().dirtyRate().bytesPerSecond()).isLessThan(1.3e9);
    }

    @Test
    void withoutAutoConvergeTheGuestIsNeverThrottled() {
        // given
        Guest guest = aGuest(ByteSize.gib(4), Workload.constant(Bandwidth.gbPerSecond(100), ByteSize.gib(2), 4));
        SimulatedHypervisor hv = aFabric();

        // when
        JobId job = hv.start(migrate(guest));
        hv.advanceTo(Duration.ofMinutes(2));

        // then
        assertThat(hv.stats(job).orElseThrow().cpuThrottle()).isZero();
        assertThat(hv.trace()).noneMatch(e -> e.kind() == TraceEvent.Kind.THROTTLE);
    }
}

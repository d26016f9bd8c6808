package io.ferry.conductor.domain.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NovaDowntimeStepsTest {

    /** (seconds, milliseconds) pairs, as Nova's {@code downtime_steps} yields them. */
    private static List<long[]> pairs(NovaDowntimeSteps ramp) {
        return ramp.steps().stream().map(s -> new long[] {s.after().toSeconds(), s.downtime().toMillis()}).toList();
    }

    private static long[][] defaultTable(long delaySeconds) {
        long[][] table = new long[11][];
        long[] downtimes = {50, 95, 140, 185, 230, 275, 320, 365, 410, 455, 500};
        for (int i = 0; i <= 10; i++) {
            table[i] = new long[] {delaySeconds * i, downtimes[i]};
        }
        return table;
    }

    @Test
    void aOneGibGuestCountsAsTwoGibAndStepsEvery150Seconds() {
        // given
        GuestFootprint guest = GuestFootprint.ofRam(ByteSize.ofGiB(1));

        // when
        NovaDowntimeSteps ramp = NovaDowntimeSteps.of(guest, ConvergenceSettings.novaDefaults());

        // then
        assertThat(pairs(ramp)).containsExactly(defaultTable(150));
    }

    @Test
    void aFourGibGuestStepsEvery300Seconds() {
        NovaDowntimeSteps ramp = NovaDowntimeSteps.of(GuestFootprint.ofRam(ByteSize.ofGiB(4)), ConvergenceSettings.novaDefaults());

        assertThat(pairs(ramp)).containsExactly(defaultTable(300));
    }

    @Test
    void anEightGibGuestStepsEvery600Seconds() {
        NovaDowntimeSteps ramp = NovaDowntimeSteps.of(GuestFootprint.ofRam(ByteSize.ofGiB(8)), ConvergenceSettings.novaDefaults());

        assertThat(pairs(ramp)).containsExactly(defaultTable(600));
    }

    @Test
    void reproducesTheWorkedExampleInNovasDocstring() {
        // given: 10 steps, 30 s delay, 3 GB of RAM, 400 ms
        ConvergenceSettings settings = ConvergenceSettings.novaDefaults()
                .withDowntime(Duration.ofMillis(400)).withDowntimeDelay(Duration.ofSeconds(30));

        // when
        NovaDowntimeSteps ramp = NovaDowntimeSteps.of(3.0, settings);

        // then
        assertThat(pairs(ramp)).containsExactly(
                new long[] {0, 40}, new long[] {90, 76}, new long[] {180, 112}, new long[] {270, 148},
                new long[] {360, 184}, new long[] {450, 220}, new long[] {540, 256}, new long[] {630, 292},
                new long[] {720, 328}, new long[] {810, 364}, new long[] {900, 400});
    }

    @Test
    void truncatesLikePythonIncludingFloatingPointShortfalls() {
        // given: values computed with Python 3 for downtime 1000 ms, 6 steps, 75 s/GiB, 2.25 GiB
        ConvergenceSettings settings = ConvergenceSettings.novaDefaults()
                .withDowntime(Duration.ofMillis(1000)).withDowntimeSteps(6);

        // when
        NovaDowntimeSteps ramp = NovaDowntimeSteps.of(2.25, settings);

        // then: the last step is 999 ms, not 1000, exactly as Nova computes it
        assertThat(pairs(ramp)).containsExactly(
                new long[] {0, 166}, new long[] {168, 305}, new long[] {336, 444}, new long[] {504, 583},
                new long[] {672, 722}, new long[] {840, 861}, new long[] {1008, 999});
    }

    @Test
    void aBlockMigrationAddsEveryDiskAtLeastTwoGib() {
        // given: 3.5 GiB RAM, a 1 GiB disk (counts 2) and a 10 GiB disk
        GuestFootprint guest = GuestFootprint.blockMigration(ByteSize.ofMiB(3584),
                List.of(ByteSize.ofGiB(1), ByteSize.ofGiB(10)));

        // then
        assertThat(guest.novaDataGb()).isEqualTo(15.5);
        assertThat(NovaDowntimeSteps.of(guest, ConvergenceSettings.novaDefaults()).steps().get(1).after())
                .isEqualTo(Duration.ofSeconds(1162));
    }

    @Test
    void disksDoNotCountWithoutBlockMigration() {
        GuestFootprint guest = new GuestFootprint(ByteSize.ofGiB(4), List.of(ByteSize.ofGiB(40)), false);

        assertThat(guest.novaDataGb()).isEqualTo(4.0);
    }

    @Test
    void aStepAppliesOnlyOnceElapsedIsStrictlyPastItsTime() {
        NovaDowntimeSteps ramp = NovaDowntimeSteps.of(GuestFootprint.ofRam(ByteSize.ofGiB(4)), ConvergenceSettings.novaDefaults());

        assertThat(ramp.stepAt(Duration.ZERO)).isEmpty();
        assertThat(ramp.stepAt(Duration.ofMillis(1)).orElseThrow().downtime()).isEqualTo(Duration.ofMillis(50));
        assertThat(ramp.stepAt(Duration.ofSeconds(300)).orElseThrow().downtime()).isEqualTo(Duration.ofMillis(50));
        assertThat(ramp.stepAt(Duration.ofMillis(300_001)).orElseThrow().downtime()).isEqualTo(Duration.ofMillis(95));
        assertThat(ramp.stepAt(Duration.ofHours(5)).orElseThrow().downtime()).isEqualTo(Duration.ofMillis(500));
    }
}

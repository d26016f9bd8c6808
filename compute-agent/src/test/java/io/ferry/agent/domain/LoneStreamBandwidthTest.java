package io.ferry.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LoneStreamBandwidthTest {

    private final LoneStreamBandwidth peak = new LoneStreamBandwidth(Duration.ofMinutes(10));

    private static JobReading reading(long atMillis, long bandwidth, JobReading.JobPhase phase) {
        return new JobReading(atMillis, 1_000, 1, 8L << 30, 1L << 30, 7L << 30, 0, bandwidth, 300, -1, 0, phase);
    }

    @Test
    void isUnknownUntilAStreamRanAlone() {
        // given readings of streams that shared the NIC, and of a lone one still in setup
        peak.observe(reading(1_000, 600_000_000, JobReading.JobPhase.PRE_COPY), false);
        peak.observe(reading(2_000, 0, JobReading.JobPhase.SETUP), true);

        // when / then
        assertThat(peak.highest()).isZero();
    }

    @Test
    void reportsTheHighestReadingOfALoneStream() {
        // given a lone stream ramping up, then a shared one that never counts
        peak.observe(reading(1_000, 300_000_000, JobReading.JobPhase.PRE_COPY), true);
        peak.observe(reading(2_000, 416_000_000, JobReading.JobPhase.PRE_COPY), true);
        peak.observe(reading(3_000, 410_000_000, JobReading.JobPhase.POST_COPY), true);
        peak.observe(reading(4_000, 900_000_000, JobReading.JobPhase.PRE_COPY), false);
        peak.observe(reading(5_000, 900_000_000, JobReading.JobPhase.PAUSED), true);

        // when / then
        assertThat(peak.highest()).isEqualTo(416_000_000);
    }

    @Test
    void aFigureOlderThanTheWindowBeforeTheLatestGivesWayToNewerOnes() {
        // given a fast lone stream, then 11 minutes later a slower one (the host's CPU is busier now)
        peak.observe(1_000, 1_200_000_000);
        peak.observe(1_000 + Duration.ofMinutes(5).toMillis(), 500_000_000);
        long highestMeanwhile = peak.highest();

        // when
        peak.observe(1_000 + Duration.ofMinutes(11).toMillis(), 400_000_000);

        // then the old figure counted within the window and is gone after it; the figure stays with no new reading
        assertThat(highestMeanwhile).isEqualTo(1_200_000_000);
        assertThat(peak.highest()).isEqualTo(500_000_000);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void alwaysEqualsTheMaximumOfTheReadingsWithinTheWindowOfTheLatest(long seed) {
        Random random = new Random(seed);
        LoneStreamBandwidth windowed = new LoneStreamBandwidth(Duration.ofSeconds(60));
        List<long[]> all = new ArrayList<>();
        long at = 0;
        for (int i = 0; i < 2_000; i++) {
            // given readings at random gaps and rates
            at += random.nextInt(5_000);
            long bandwidth = 1 + random.nextInt(2_000_000_000);
            all.add(new long[] {at, bandwidth});

            // when
            windowed.observe(at, bandwidth);

            // then
            long now = at;
            long expected = all.stream().filter(r -> r[0] >= now - 60_000).mapToLong(r -> r[1]).max().orElseThrow();
            assertThat(windowed.highest()).as("seed %d reading %d", seed, i).isEqualTo(expected);
        }
    }

    @Test
    void refusesAnEmptyWindow() {
        assertThatThrownBy(() -> new LoneStreamBandwidth(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}

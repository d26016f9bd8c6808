package io.ferry.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DirtyRateSamplingTest {

    private final DirtyRateSampling sampling = DirtyRateSampling.defaults();

    @Test
    void measuresOneSecondAtStartThenDoublesUpToTheLongestWhileTheFirstPassRuns() {
        assertThat(sampling.atStart()).isEqualTo(Duration.ofSeconds(1));
        assertThat(sampling.after(Duration.ofSeconds(1), 1)).contains(Duration.ofSeconds(2));
        assertThat(sampling.after(Duration.ofSeconds(2), 1)).contains(Duration.ofSeconds(4));
        assertThat(sampling.after(Duration.ofSeconds(4), 0)).contains(Duration.ofSeconds(8));
        assertThat(sampling.after(Duration.ofSeconds(8), 1)).contains(Duration.ofSeconds(8));
    }

    @Test
    void measuresNoMoreOnceQemuHasItsOwnRate() {
        assertThat(sampling.after(Duration.ofSeconds(1), 2)).isEmpty();
    }

    @Test
    void refusesPeriodsQemuRejects() {
        assertThatThrownBy(() -> new DirtyRateSampling(Duration.ofMillis(500), Duration.ofSeconds(8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DirtyRateSampling(Duration.ofSeconds(1), Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DirtyRateSampling(Duration.ofMillis(1500), Duration.ofSeconds(8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.ferry.agent.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void waitsDoubleAfterEachFailureUpToTheCeilingAndASuccessResetsThem() {
        // given
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));

        // when / then
        assertThat(backoff.mayTry(T0)).isTrue();
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.mayTry(T0.plusMillis(499))).isFalse();
        assertThat(backoff.mayTry(T0.plusMillis(500))).isTrue();
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.failures()).isEqualTo(5);

        backoff.succeeded();
        assertThat(backoff.mayTry(T0)).isTrue();
        assertThat(backoff.failed(T0)).isEqualTo(Duration.ofMillis(500));
    }
}

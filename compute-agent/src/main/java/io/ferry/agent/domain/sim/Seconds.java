package io.ferry.agent.domain.sim;

import java.time.Duration;

/** Conversions between {@link Duration} and the model's internal {@code double} seconds. */
final class Seconds {

    private Seconds() {
    }

    static double of(Duration duration) {
        return duration.getSeconds() + duration.getNano() / 1e9;
    }

    static Duration toDuration(double seconds) {
        if (Double.isInfinite(seconds) || Double.isNaN(seconds)) {
            throw new IllegalArgumentException("not a finite duration: " + seconds);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}

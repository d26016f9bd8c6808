package io.ferry.agent.domain.sim;

import java.time.Duration;

/** Simulated time since the fabric was created, in nanoseconds; it only moves forward. */
public final class SimClock {

    private long nanos;

    public Duration now() {
        return Duration.ofNanos(nanos);
    }

    long nanos() {
        return nanos;
    }

    void moveTo(long newNanos) {
        if (newNanos < nanos) {
            throw new IllegalStateException("simulated time cannot go back from " + nanos + " ns to " + newNanos + " ns");
        }
        nanos = newNanos;
    }
}

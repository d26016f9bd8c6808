package io.ferry.agent.domain.sim;

import java.time.Duration;

/**
 * Maps elapsed wall time to simulated time for a real-time run: 1x for the laptop demo, 100x to
 * 10,000x for tests. The adapter measures wall time (the domain never reads it) and calls
 * {@code hypervisor.advanceTo(speed.simulatedTime(origin, wallElapsed))} from its scheduler thread.
 */
public record SpeedFactor(double factor) {

    public SpeedFactor {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("a speed factor must be positive: " + factor);
        }
    }

    public static SpeedFactor of(double factor) {
        return new SpeedFactor(factor);
    }

    /** Simulated time reached when {@code wallElapsed} has passed since simulated time {@code origin}. */
    public Duration simulatedTime(Duration origin, Duration wallElapsed) {
        return origin.plus(Seconds.toDuration(Seconds.of(wallElapsed) * factor));
    }
}

package io.ferry.agent.domain.sim;

import java.time.Duration;

/**
 * Settings of the simulated fabric.
 *
 * @param tick              how often stream bandwidths are re-computed (QEMU re-measures every 100 ms)
 * @param setupTime         how long a job stays in SETUP before data flows
 * @param linkTimeout       how long a stalled pre-copy stream waits before the migration fails
 * @param seed              seed of the only random input (bandwidth jitter)
 * @param bandwidthJitter   each tick a stream gets (1 - jitter * u) of its share, u uniform in [0, 1)
 * @param trace             record {@link TraceEvent}s (off for large runs)
 */
public record SimulationSettings(Duration tick, Duration setupTime, Duration linkTimeout, long seed,
                                 double bandwidthJitter, boolean trace) {

    public SimulationSettings {
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("the tick must be positive");
        }
        if (!(bandwidthJitter >= 0 && bandwidthJitter < 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + bandwidthJitter);
        }
    }

    /** 100 ms ticks, 200 ms setup, 10 s link timeout, no jitter, trace on. */
    public static SimulationSettings defaults() {
        return new SimulationSettings(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(10),
                0L, 0.0, true);
    }

    public SimulationSettings withSetupTime(Duration setup) {
        return new SimulationSettings(tick, setup, linkTimeout, seed, bandwidthJitter, trace);
    }

    public SimulationSettings withSeed(long newSeed) {
        return new SimulationSettings(tick, setupTime, linkTimeout, newSeed, bandwidthJitter, trace);
    }

    public SimulationSettings withJitter(double jitter) {
        return new SimulationSettings(tick, setupTime, linkTimeout, seed, jitter, trace);
    }

    public SimulationSettings withTrace(boolean on) {
        return new SimulationSettings(tick, setupTime, linkTimeout, seed, bandwidthJitter, on);
    }

    public SimulationSettings withLinkTimeout(Duration timeout) {
        return new SimulationSettings(tick, setupTime, timeout, seed, bandwidthJitter, trace);
    }

    public SimulationSettings withTick(Duration newTick) {
        return new SimulationSettings(newTick, setupTime, linkTimeout, seed, bandwidthJitter, trace);
    }
}

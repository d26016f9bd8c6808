package io.ferry.conductor.domain.drain;

import java.time.Duration;

/**
 * How drains are planned.
 *
 * @param convergenceMargin how many times its dirty rate a stream must get to converge promptly: a stream's needed
 *                          rate is {@code dirty rate x margin}, capped at the NIC (default 2: each pre-copy pass at
 *                          most half the previous one)
 * @param maxStreams        the most migrations a drain streams from the source at once (default 4: enough to keep the
 *                          NIC full across one migration's start-up and switchover; more only splits the same NIC)
 * @param downtime          the downtime the prediction assumes each migration switches over within
 * @param startup           what the prediction assumes a migration spends before its stream flows (scheduling,
 *                          destination checks and preparation, hypervisor setup)
 * @param maxPasses         pre-copy passes after which the prediction stops (the convergence policy steps in)
 * @param handover          what a migration prepared ahead still spends between being admitted and its stream
 *                          flowing (its held start sent, the hypervisor's stream set up): the NIC idles that long
 *                          between one stream's end and the next one's start, which streams running together hide
 */
public record DrainSettings(double convergenceMargin, int maxStreams, Duration downtime, Duration startup,
                            int maxPasses, Duration handover) {

    public DrainSettings {
        if (!(convergenceMargin >= 1.0)) {
            throw new IllegalArgumentException("the convergence margin must be at least 1: " + convergenceMargin);
        }
        if (maxStreams < 1) {
            throw new IllegalArgumentException("a drain needs at least one stream: " + maxStreams);
        }
        if (handover.compareTo(startup) > 0) {
            throw new IllegalArgumentException("the handover (" + handover + ") cannot exceed the start-up ("
                    + startup + ")");
        }
        if (maxPasses < 1) {
            throw new IllegalArgumentException("at least one pass: " + maxPasses);
        }
    }

    public static DrainSettings defaults() {
        return new DrainSettings(2.0, 4, Duration.ofMillis(500), Duration.ofMillis(500), 30, Duration.ofMillis(100));
    }

    public DrainSettings withMaxStreams(int streams) {
        return new DrainSettings(convergenceMargin, streams, downtime, startup, maxPasses, handover);
    }

    public DrainSettings withConvergenceMargin(double margin) {
        return new DrainSettings(margin, maxStreams, downtime, startup, maxPasses, handover);
    }

    public DrainSettings withStartup(Duration newStartup) {
        return new DrainSettings(convergenceMargin, maxStreams, downtime, newStartup, maxPasses,
                handover.compareTo(newStartup) > 0 ? newStartup : handover);
    }
}

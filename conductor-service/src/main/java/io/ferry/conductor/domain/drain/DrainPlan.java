package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.convergence.Bandwidth;
import java.time.Duration;
import java.util.List;

/**
 * How a host is drained: the migrations in start order with their needed rates and predicted times, the instances
 * that are not live-migrated (with the reason and the advice), the predicted total and the lower bound.
 *
 * @param lowerBound     the physical limit: the migrated instances' memory divided by the NIC's bandwidth
 * @param predictedTotal when the last migration is predicted to end, from the start of the drain
 * @param peakStreams    the most streams the prediction runs at once
 */
public record DrainPlan(String host, Bandwidth nic, StreamRule rule, List<Planned> migrations, List<Excluded> excluded,
                        Duration lowerBound, Duration predictedTotal, int peakStreams) {

    public DrainPlan {
        migrations = List.copyOf(migrations);
        excluded = List.copyOf(excluded);
    }

    /**
     * A migration of the plan.
     *
     * @param order             start order (0 first)
     * @param needed            the stream rate it must never fall below ({@link StreamRule#needed})
     * @param predictedStart    from the start of the drain
     * @param predictedDuration from its start to its switchover
     * @param converges         whether pre-copy is predicted to converge within the passes allowed (otherwise the
     *                          convergence policy has to step in)
     */
    public record Planned(int order, DrainCandidate vm, Bandwidth needed, Duration predictedStart,
                          Duration predictedDuration, boolean converges) {

        public Duration predictedEnd() {
            return predictedStart.plus(predictedDuration);
        }
    }

    /** An instance the drain does not live-migrate, and why. */
    public record Excluded(DrainCandidate vm, String reason) {
    }

    /** predicted total / lower bound (1.0 is the physical limit). */
    public double predictedRatio() {
        return lowerBound.isZero() ? 1.0 : (double) predictedTotal.toNanos() / lowerBound.toNanos();
    }
}

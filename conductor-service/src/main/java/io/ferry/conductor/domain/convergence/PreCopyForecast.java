package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.util.Optional;

/**
 * Forecast of iterative pre-copy with a constant dirty rate D and bandwidth B (ratio r = D/B).
 *
 * <p>The current pass, of size S, has {@code pendingNow} left; it ends after {@code pendingNow / B}.
 * While a pass of size N is sent (N / B seconds) the guest dirties D * N / B bytes, which become the
 * next pass, never more than the guest's memory: pass j after the current one holds
 * {@code N_j = min(M, S * r^j)}. The hypervisor switches over at the end of a pass when the next
 * pass fits in {@code B x limit}, so switching after pass j needs {@code limit >= N_j / B}, reached
 * at {@code t_j = pendingNow / B + sum_{i=1..j-1} N_i / B}. With r < 1 every limit converges,
 * later for smaller limits; with r >= 1 passes never shrink and only the next switchover point can
 * work.
 *
 * @param pendingNow bytes left in the current pass
 * @param passSize size of the current pass
 * @param memory the guest's memory (a pass never exceeds it)
 * @param bandwidth B in bytes per second (positive)
 * @param dirtyRate D in bytes per second
 */
record PreCopyForecast(double pendingNow, double passSize, double memory, double bandwidth, double dirtyRate) {

    private static final int ROUND_SEARCH_LIMIT = 100_000;

    /** A way to converge: set {@code limit}, switch over after {@code passes} more passes, at {@code after}. */
    record Plan(Duration limit, int passes, Duration after) {
    }

    PreCopyForecast {
        if (!(bandwidth > 0)) {
            throw new IllegalArgumentException("a forecast needs a measured bandwidth");
        }
    }

    static PreCopyForecast of(ConvergenceState observed, ProgressReading reading) {
        return new PreCopyForecast(reading.memoryRemaining().bytes(), observed.iterationStartRemaining().bytes(),
                reading.memoryTotal().bytes(), reading.bandwidth().bytesPerSecond(), reading.dirtyRate().bytesPerSecond());
    }

    double ratio() {
        return dirtyRate / bandwidth;
    }

    /**
     * The smallest limit in [floor, cap] that switches over within {@code maxPasses} passes and
     * {@code budgetSeconds}; empty when none does.
     */
    Optional<Plan> smallestLimit(double floorSeconds, double capSeconds, int maxPasses, double budgetSeconds) {
        double bestNeed = Double.POSITIVE_INFINITY;
        double t = pendingNow / bandwidth;
        double next = Math.min(memory, passSize * ratio());
        for (int j = 1; j <= maxPasses && t <= budgetSeconds; j++) {
            bestNeed = Math.min(bestNeed, next / bandwidth);
            if (ratio() >= 1 || next == 0) {
                break;
            }
            t += next / bandwidth;
            next = Math.min(memory, next * ratio());
        }
        double limit = Math.max(floorSeconds, bestNeed);
        if (limit > capSeconds) {
            return Optional.empty();
        }
        return earliestUnder(limit, budgetSeconds).map(p -> new Plan(ceilMillis(limit), p.passes(), p.after()));
    }

    /** The earliest switchover under {@code cap} within {@code budgetSeconds}, however many passes. */
    Optional<Plan> earliestUnder(double capSeconds, double budgetSeconds) {
        double t = pendingNow / bandwidth;
        double next = Math.min(memory, passSize * ratio());
        for (int j = 1; j <= ROUND_SEARCH_LIMIT && t <= budgetSeconds; j++) {
            if (next / bandwidth <= capSeconds) {
                return Optional.of(new Plan(ceilMillis(Math.max(next / bandwidth, 0.001)), j, seconds(t)));
            }
            if (ratio() >= 1) {
                return Optional.empty();
            }
            t += next / bandwidth;
            next = Math.min(memory, next * ratio());
        }
        return Optional.empty();
    }

    private static Duration ceilMillis(double seconds) {
        return Duration.ofMillis((long) Math.ceil(seconds * 1000 - 1e-9));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}

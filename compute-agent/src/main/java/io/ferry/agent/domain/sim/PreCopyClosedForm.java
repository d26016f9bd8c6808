package io.ferry.agent.domain.sim;

import java.time.Duration;
import java.util.Optional;

/**
 * The closed form of pure pre-copy with a constant dirty rate D below the bandwidth B and no
 * working-set cap (Clark et al. 2005), which the simulator must reproduce.
 *
 * <p>Let M' be round 0's payload ({@link Guest#firstRoundBytes()}), r = D/B and L the downtime
 * limit. Round i sends S_i = M' r^i and lasts S_i / B, during which the guest dirties D S_i / B =
 * S_{i+1}. At the sync ending round i the pending bytes are S_{i+1}; the guest is paused at the
 * first sync where S_{i+1} &lt; B L. So the number of <em>live rounds</em> is
 *
 * <pre>
 *   k = the smallest integer k >= 1 with M' r^k &lt; B L
 *     = max(1, floor(x) + 1),   x = log(B L / M') / log(r)
 * </pre>
 *
 * which is the ceiling of x whenever x is not an integer (dividing by log r &lt; 0 flips the
 * inequality, and the limit is strict). Then the stop-and-copy round sends M' r^k, and
 *
 * <pre>
 *   downtime   = M' r^k / B + switchover cost
 *   bytes sent = M' (1 - r^(k+1)) / (1 - r)        (tends to M' B / (B - D))
 *   total time = bytes sent / B + switchover cost  (tends to M' / (B - D))
 *   dirty syncs (QEMU's iteration count) = k + 1   (one at setup, one per live round)
 * </pre>
 *
 * With D >= B (r >= 1) the pending bytes never shrink: pre-copy alone never converges (unless M'
 * already fits in B L after round 0, which the formula above also covers for r &lt; 1 only).
 *
 * @param liveRounds      k
 * @param finalPending    bytes sent while the guest is paused
 * @param bytesSent       all memory bytes sent
 * @param totalTime       from the first byte of round 0 to the guest resuming on the destination
 * @param downtime        how long the guest is paused
 */
public record PreCopyClosedForm(int liveRounds, double finalPending, double bytesSent,
                                Duration totalTime, Duration downtime) {

    /** The prediction, or empty when pre-copy alone never converges (D >= B). */
    public static Optional<PreCopyClosedForm> predict(double firstRoundBytes, Bandwidth bandwidth, Bandwidth dirtyRate,
                                                      Duration downtimeLimit, Duration switchoverCost) {
        double m = firstRoundBytes;
        double b = bandwidth.bytesPerSecond();
        double r = dirtyRate.bytesPerSecond() / b;
        if (r >= 1) {
            return Optional.empty();
        }
        int k = liveRounds(m, b * Seconds.of(downtimeLimit), r);
        double finalPending = m * Math.pow(r, k);
        double bytes = r == 0 ? m : m * (1 - Math.pow(r, k + 1)) / (1 - r);
        double switchover = Seconds.of(switchoverCost);
        return Optional.of(new PreCopyClosedForm(k, finalPending, bytes,
                Seconds.toDuration(bytes / b + switchover), Seconds.toDuration(finalPending / b + switchover)));
    }

    /** Bytes sent in live round i: M' r^i. */
    public static double roundBytes(double firstRoundBytes, Bandwidth bandwidth, Bandwidth dirtyRate, int i) {
        return firstRoundBytes * Math.pow(dirtyRate.bytesPerSecond() / bandwidth.bytesPerSecond(), i);
    }

    static int liveRounds(double m, double threshold, double r) {
        if (r == 0) {
            return 1;
        }
        double x = Math.log(threshold / m) / Math.log(r);
        return (int) Math.max(1, Math.floor(x) + 1);
    }

    /** QEMU's dirty sync count when the guest is paused. */
    public int iterations() {
        return liveRounds + 1;
    }
}

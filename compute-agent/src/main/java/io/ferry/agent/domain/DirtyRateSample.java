package io.ferry.agent.domain;

/**
 * A completed measurement of a guest's dirty rate apart from the migration stream (QEMU's calc-dirty-rate): the
 * distinct memory it dirtied over the period, per second.
 *
 * @param bytesPerSecond  the measured rate
 * @param startedAtMillis when the measurement started, epoch ms on the driver's clock
 * @param periodMillis    how long it measured
 */
public record DirtyRateSample(long bytesPerSecond, long startedAtMillis, long periodMillis) {

    public DirtyRateSample {
        if (bytesPerSecond < 0 || periodMillis <= 0) {
            throw new IllegalArgumentException("a dirty rate sample has a rate >= 0 and a positive period");
        }
    }
}

package io.ferry.agent.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * When the agent measures a migrating guest's dirty rate apart from the stream (calc-dirty-rate): as the job starts,
 * over {@code first}, then again, each time over twice the previous period up to {@code longest}, as long as the first
 * pre-copy pass runs. QEMU's own dirty rate is known only at the end of a pass, which for a large guest or a capped
 * link takes minutes; the short first measurement tells a guest that out-writes any link within seconds, the longer
 * ones average a bursty guest over its cycle. From the second pass on, QEMU's rate (measured over the whole last
 * pass) is there and no more is measured.
 *
 * @param first   the first period (QEMU's default {@code calc-time}: 1 s)
 * @param longest the longest period (QEMU accepts up to 60 s)
 */
public record DirtyRateSampling(Duration first, Duration longest) {

    /** QEMU's shortest and longest calc-time. */
    private static final Duration QEMU_MIN = Duration.ofSeconds(1);
    private static final Duration QEMU_MAX = Duration.ofSeconds(60);

    public DirtyRateSampling {
        if (first.compareTo(QEMU_MIN) < 0 || longest.compareTo(QEMU_MAX) > 0 || longest.compareTo(first) < 0) {
            throw new IllegalArgumentException("dirty rate periods must be 1 to 60 s, first <= longest: "
                    + first + ", " + longest);
        }
        if (first.toMillis() % 1000 != 0 || longest.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("calc-dirty-rate measures whole seconds: " + first + ", " + longest);
        }
    }

    /** 1 s, then 2, 4 and 8 s. */
    public static DirtyRateSampling defaults() {
        return new DirtyRateSampling(Duration.ofSeconds(1), Duration.ofSeconds(8));
    }

    /** The period to measure as the job starts. */
    public Duration atStart() {
        return first;
    }

    /**
     * The period of the next measurement once the previous one (over {@code previous}) has completed, while the job is
     * in its {@code iteration}th dirty sync; empty when no more is needed (the first pass is over).
     */
    public Optional<Duration> after(Duration previous, long iteration) {
        if (iteration > 1) {
            return Optional.empty();
        }
        Duration doubled = previous.multipliedBy(2);
        return Optional.of(doubled.compareTo(longest) > 0 ? longest : doubled);
    }
}

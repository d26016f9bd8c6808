package io.ferry.agent.domain.sim;

import java.time.Duration;

/** How fast a guest writes to memory over (simulated) time, before any CPU throttle. */
public sealed interface DirtyPattern {

    /** The unthrottled dirty rate in bytes/s at simulated second {@code t}. */
    double rateAt(double t);

    /** The first simulated second after {@code t} at which the rate changes (infinity if never). */
    double nextChangeAfter(double t);

    /** The long-run average rate, for documentation and sizing. */
    Bandwidth average();

    /** Bytes written (unthrottled, not deduplicated) between simulated seconds {@code from} and {@code to}. */
    default double bytesBetween(double from, double to) {
        double bytes = 0;
        double t = from;
        while (t < to) {
            double next = Math.min(to, Math.max(nextChangeAfter(t), Math.nextUp(t)));
            bytes += rateAt(t) * (next - t);
            t = next;
        }
        return bytes;
    }

    /** The same rate for ever. */
    record Constant(Bandwidth rate) implements DirtyPattern {
        @Override
        public double rateAt(double t) {
            return rate.bytesPerSecond();
        }

        @Override
        public double nextChangeAfter(double t) {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public Bandwidth average() {
            return rate;
        }
    }

    /**
     * {@code high} for {@code highFor}, then {@code low} for {@code lowFor}, repeating; the cycle is
     * aligned to simulated time zero, so every guest with the pattern bursts together.
     */
    record Alternating(Bandwidth high, Duration highFor, Bandwidth low, Duration lowFor) implements DirtyPattern {

        public Alternating {
            if (highFor.isNegative() || highFor.isZero() || lowFor.isNegative() || lowFor.isZero()) {
                throw new IllegalArgumentException("both halves of a burst cycle must be positive");
            }
        }

        private double cycle() {
            return Seconds.of(highFor) + Seconds.of(lowFor);
        }

        private double offset(double t) {
            double c = cycle();
            return t - Math.floor(t / c) * c;
        }

        @Override
        public double rateAt(double t) {
            return offset(t) < Seconds.of(highFor) ? high.bytesPerSecond() : low.bytesPerSecond();
        }

        @Override
        public double nextChangeAfter(double t) {
            double start = t - offset(t);
            double h = Seconds.of(highFor);
            double next = offset(t) < h ? start + h : start + cycle();
            return next > t ? next : next + cycle();
        }

        @Override
        public Bandwidth average() {
            double h = Seconds.of(highFor);
            double l = Seconds.of(lowFor);
            return Bandwidth.bytesPerSecond((high.bytesPerSecond() * h + low.bytesPerSecond() * l) / (h + l));
        }
    }
}

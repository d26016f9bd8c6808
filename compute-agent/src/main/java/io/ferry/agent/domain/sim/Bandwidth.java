package io.ferry.agent.domain.sim;

import java.time.Duration;

/**
 * A data rate in bytes per second. Zero means "nothing flows" for a link, and "no limit" where a
 * field says so (a migration's bandwidth cap, as libvirt's {@code live_migration_bandwidth}).
 */
public record Bandwidth(double bytesPerSecond) implements Comparable<Bandwidth> {

    public static final Bandwidth ZERO = new Bandwidth(0);

    public Bandwidth {
        if (!(bytesPerSecond >= 0) || Double.isInfinite(bytesPerSecond)) {
            throw new IllegalArgumentException("a bandwidth must be finite and >= 0: " + bytesPerSecond);
        }
    }

    public static Bandwidth bytesPerSecond(double bytesPerSecond) {
        return new Bandwidth(bytesPerSecond);
    }

    /** Decimal megabytes per second (10^6 bytes/s), the unit dirty rates are quoted in. */
    public static Bandwidth mbPerSecond(double mb) {
        return new Bandwidth(mb * 1e6);
    }

    /** Decimal gigabytes per second (10^9 bytes/s). */
    public static Bandwidth gbPerSecond(double gb) {
        return new Bandwidth(gb * 1e9);
    }

    /** Network line rate: 10 Gbit/s is 1.25 * 10^9 bytes/s. */
    public static Bandwidth gbitPerSecond(double gbit) {
        return new Bandwidth(gbit * 1e9 / 8);
    }

    public static Bandwidth mibPerSecond(double mib) {
        return new Bandwidth(mib * 1024 * 1024);
    }

    public boolean isZero() {
        return bytesPerSecond == 0;
    }

    public double mbitPerSecond() {
        return bytesPerSecond * 8 / 1e6;
    }

    /** Bytes moved at this rate over {@code duration}. */
    public ByteSize over(Duration duration) {
        return ByteSize.ofModel(bytesPerSecond * Seconds.of(duration));
    }

    public Bandwidth times(double factor) {
        return new Bandwidth(bytesPerSecond * factor);
    }

    public Bandwidth min(Bandwidth other) {
        return bytesPerSecond <= other.bytesPerSecond ? this : other;
    }

    @Override
    public int compareTo(Bandwidth other) {
        return Double.compare(bytesPerSecond, other.bytesPerSecond);
    }

    @Override
    public String toString() {
        return String.format("%.1f MB/s", bytesPerSecond / 1e6);
    }
}

package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.util.Locale;

/**
 * A data rate in bytes per second: the migration stream's bandwidth or the guest's dirty rate.
 * Printed in decimal units (MB/s, GB/s) as network rates usually are.
 */
public record Bandwidth(long bytesPerSecond) implements Comparable<Bandwidth> {

    public static final Bandwidth ZERO = new Bandwidth(0);

    public Bandwidth {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a bandwidth cannot be negative: " + bytesPerSecond);
        }
    }

    public static Bandwidth ofBytesPerSecond(long bytesPerSecond) {
        return new Bandwidth(bytesPerSecond);
    }

    /** Mebibytes per second, the unit of Nova's {@code live_migration_bandwidth}. */
    public static Bandwidth ofMiBps(long mibPerSecond) {
        return new Bandwidth(Math.multiplyExact(mibPerSecond, 1024L * 1024L));
    }

    /** Decimal megabytes per second. */
    public static Bandwidth ofMBps(long mbPerSecond) {
        return new Bandwidth(Math.multiplyExact(mbPerSecond, 1_000_000L));
    }

    public boolean isZero() {
        return bytesPerSecond == 0;
    }

    /** How long sending {@code size} takes at this rate; a zero rate never finishes. */
    public Duration timeToSend(ByteSize size) {
        if (bytesPerSecond == 0) {
            throw new ArithmeticException("zero bandwidth never sends " + size);
        }
        return Duration.ofNanos(Math.round(size.bytes() * 1e9 / bytesPerSecond));
    }

    @Override
    public int compareTo(Bandwidth other) {
        return Long.compare(bytesPerSecond, other.bytesPerSecond);
    }

    @Override
    public String toString() {
        if (bytesPerSecond >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f GB/s", bytesPerSecond / 1e9);
        }
        if (bytesPerSecond >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
        }
        return bytesPerSecond + " B/s";
    }
}

package io.ferry.conductor.domain.convergence;

import java.util.Locale;

/** An amount of data in bytes; printed in binary units (MiB, GiB). */
public record ByteSize(long bytes) implements Comparable<ByteSize> {

    public static final ByteSize ZERO = new ByteSize(0);
    private static final long KIB = 1024L;
    private static final long MIB = KIB * 1024L;
    private static final long GIB = MIB * 1024L;

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a byte size cannot be negative: " + bytes);
        }
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize ofMiB(long mib) {
        return new ByteSize(Math.multiplyExact(mib, MIB));
    }

    public static ByteSize ofGiB(long gib) {
        return new ByteSize(Math.multiplyExact(gib, GIB));
    }

    /** This size in GiB as a fraction, as Nova computes it ({@code bytes / units.Gi}). */
    public double toGiB() {
        return (double) bytes / GIB;
    }

    public ByteSize plus(ByteSize other) {
        return new ByteSize(Math.addExact(bytes, other.bytes));
    }

    public ByteSize minus(ByteSize other) {
        return new ByteSize(Math.max(0, bytes - other.bytes));
    }

    public boolean isZero() {
        return bytes == 0;
    }

    public boolean isLessThan(ByteSize other) {
        return bytes < other.bytes;
    }

    public static ByteSize max(ByteSize a, ByteSize b) {
        return a.bytes >= b.bytes ? a : b;
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        if (bytes >= GIB) {
            return String.format(Locale.ROOT, "%.2f GiB", (double) bytes / GIB);
        }
        if (bytes >= MIB) {
            return String.format(Locale.ROOT, "%.1f MiB", (double) bytes / MIB);
        }
        if (bytes >= KIB) {
            return String.format(Locale.ROOT, "%.1f KiB", (double) bytes / KIB);
        }
        return bytes + " B";
    }
}

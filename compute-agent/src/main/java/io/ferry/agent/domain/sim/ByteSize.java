package io.ferry.agent.domain.sim;

/** An amount of memory or data, in bytes. Binary (KiB, MiB, GiB) and decimal (MB, GB) factories. */
public record ByteSize(long bytes) implements Comparable<ByteSize> {

    public static final ByteSize ZERO = new ByteSize(0);
    private static final double GIB = 1024.0 * 1024 * 1024;

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a byte size cannot be negative: " + bytes);
        }
    }

    public static ByteSize bytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize kib(long kib) {
        return new ByteSize(Math.multiplyExact(kib, 1024L));
    }

    public static ByteSize mib(long mib) {
        return new ByteSize(Math.multiplyExact(mib, 1024L * 1024));
    }

    public static ByteSize gib(long gib) {
        return new ByteSize(Math.multiplyExact(gib, 1024L * 1024 * 1024));
    }

    public static ByteSize mb(long mb) {
        return new ByteSize(Math.multiplyExact(mb, 1_000_000L));
    }

    public static ByteSize gb(long gb) {
        return new ByteSize(Math.multiplyExact(gb, 1_000_000_000L));
    }

    /** Rounds a fractional byte count from the model to the nearest byte (negative rounds to 0). */
    static ByteSize ofModel(double bytes) {
        return new ByteSize(Math.max(0L, Math.round(bytes)));
    }

    public ByteSize plus(ByteSize other) {
        return new ByteSize(Math.addExact(bytes, other.bytes));
    }

    public ByteSize minus(ByteSize other) {
        return new ByteSize(Math.max(0, bytes - other.bytes));
    }

    public double toGiB() {
        return bytes / GIB;
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return bytes >= (1L << 30) ? String.format("%.3f GiB", toGiB()) : bytes + " B";
    }
}

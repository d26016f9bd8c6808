package io.ferry.scheduler.domain;

/**
 * An amount of memory or disk. Used at the edges of the domain (builders, flavors); the hot path
 * keeps unit-suffixed primitives ({@code ramMb}, {@code diskGb}) as Nova does, converted once here.
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {

    private static final long MIB = 1024L * 1024L;
    private static final long GIB = 1024L * MIB;

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
    }

    public static ByteSize mib(long mib) {
        return new ByteSize(Math.multiplyExact(mib, MIB));
    }

    public static ByteSize gib(long gib) {
        return new ByteSize(Math.multiplyExact(gib, GIB));
    }

    public long toMib() {
        return bytes / MIB;
    }

    public long toGib() {
        return bytes / GIB;
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return bytes % GIB == 0 ? toGib() + " GiB" : toMib() + " MiB";
    }
}

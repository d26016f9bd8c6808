package io.ferry.scheduler.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable set of CPU feature flags ({@code avx2}, {@code sse4_2}, ...) stored as a bit set, so
 * that "destination features ⊇ guest features" costs a few word operations per host instead of a
 * hash lookup per flag. Flag names are interned into bit positions once per JVM; the table only
 * grows (there are a few hundred x86 flags in total).
 */
public final class CpuFeatures {

    private static final Map<String, Integer> BIT_BY_NAME = new ConcurrentHashMap<>();
    private static final List<String> NAME_BY_BIT = new ArrayList<>();

    public static final CpuFeatures NONE = new CpuFeatures(new long[0]);

    private final long[] words;
    private final int hash;

    private CpuFeatures(long[] words) {
        this.words = trim(words);
        this.hash = Arrays.hashCode(this.words);
    }

    public static CpuFeatures of(String... names) {
        return of(Arrays.asList(names));
    }

    public static CpuFeatures of(Collection<String> names) {
        long[] words = new long[0];
        for (String name : names) {
            int bit = bitOf(name);
            int word = bit >>> 6;
            if (word >= words.length) {
                words = Arrays.copyOf(words, word + 1);
            }
            words[word] |= 1L << (bit & 63);
        }
        return new CpuFeatures(words);
    }

    /** This set plus the given flags (a custom model with {@code cpu_model_extra_flags}). */
    public CpuFeatures with(String... names) {
        return union(of(names));
    }

    public CpuFeatures union(CpuFeatures other) {
        long[] merged = Arrays.copyOf(words, Math.max(words.length, other.words.length));
        for (int i = 0; i < other.words.length; i++) {
            merged[i] |= other.words[i];
        }
        return new CpuFeatures(merged);
    }

    /** True when every flag of {@code required} is in this set. */
    public boolean containsAll(CpuFeatures required) {
        long[] req = required.words;
        if (req.length > words.length) {
            return false; // trimmed: the highest word of req is non-zero
        }
        for (int i = 0; i < req.length; i++) {
            if ((req[i] & ~words[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The flags of {@code required} missing from this set, sorted (for rejection reasons). */
    public Set<String> missingFrom(CpuFeatures required) {
        Set<String> missing = new TreeSet<>();
        for (int i = 0; i < required.words.length; i++) {
            long absent = required.words[i] & ~(i < words.length ? words[i] : 0L);
            while (absent != 0) {
                int bit = Long.numberOfTrailingZeros(absent);
                missing.add(nameOf((i << 6) + bit));
                absent &= absent - 1;
            }
        }
        return missing;
    }

    public Set<String> names() {
        return CpuFeatures.NONE.missingFrom(this);
    }

    public int size() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    private static int bitOf(String name) {
        String key = name.strip().toLowerCase(java.util.Locale.ROOT);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("blank CPU feature name");
        }
        Integer bit = BIT_BY_NAME.get(key);
        if (bit != null) {
            return bit;
        }
        synchronized (NAME_BY_BIT) {
            return BIT_BY_NAME.computeIfAbsent(key, k -> {
                NAME_BY_BIT.add(k);
                return NAME_BY_BIT.size() - 1;
            });
        }
    }

    private static String nameOf(int bit) {
        synchronized (NAME_BY_BIT) {
            return NAME_BY_BIT.get(bit);
        }
    }

    private static long[] trim(long[] words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        return n == words.length ? words : Arrays.copyOf(words, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuFeatures other && hash == other.hash && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return names().toString();
    }
}

package io.ferry.scheduler.domain.host;

/** A NUMA cell's pool of pages of one size: how many exist and how many are used. */
public record HugePages(int sizeKb, long total, long used) {

    public HugePages {
        if (sizeKb <= 0 || total < 0 || used < 0) {
            throw new IllegalArgumentException("invalid huge pages: sizeKb=" + sizeKb + " total=" + total + " used=" + used);
        }
    }

    public long freeMb() {
        return (total - used) * sizeKb / 1024;
    }

    public HugePages plusUsedMb(long memoryMb) {
        return new HugePages(sizeKb, total, used + (memoryMb * 1024 + sizeKb - 1) / sizeKb);
    }
}

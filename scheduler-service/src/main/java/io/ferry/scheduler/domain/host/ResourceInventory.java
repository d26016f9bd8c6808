package io.ferry.scheduler.domain.host;

/**
 * One resource class of a host: its total, the amount reserved for the host itself, the allocation
 * ratio (over-subscription) and the amount used by instances.
 *
 * <p>Free = total × ratio − reserved − used − claimed, the formula of Nova's RamFilter/CoreFilter/DiskFilter
 * (issue 5). Placement, which replaced those filters, computes (total − reserved) × ratio − used; the
 * two agree at ratio 1.0 and differ by reserved × (ratio − 1) above it.
 */
public record ResourceInventory(long total, long reserved, double allocationRatio, long used) {

    public ResourceInventory {
        if (total < 0 || reserved < 0 || used < 0 || !(allocationRatio > 0.0)) {
            throw new IllegalArgumentException("invalid inventory: total=" + total + " reserved=" + reserved
                    + " ratio=" + allocationRatio + " used=" + used);
        }
    }

    /** Schedulable capacity: total × ratio − reserved. */
    public long limit() {
        return (long) Math.floor(total * allocationRatio) - reserved;
    }

    /** What is left once usage and {@code claimed} are taken off; may be negative when overcommitted. */
    public long free(long claimed) {
        return limit() - used - claimed;
    }

    public ResourceInventory withUsed(long newUsed) {
        return new ResourceInventory(total, reserved, allocationRatio, newUsed);
    }
}

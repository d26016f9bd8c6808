package io.ferry.conductor.domain;

/**
 * How many live migrations may hold a slot (preparing, running, post-copy, post-migrating) at once. Zero means no
 * limit.
 *
 * @param perSourceHost       Nova's {@code max_concurrent_live_migrations}: outgoing per source host (Nova: 1)
 * @param perDestinationHost  incoming per destination host (Ferry; default 0: none). A forced destination at its
 *                            limit keeps the migration queued; the scheduler is told to ignore full destinations
 * @param perCluster          {@code parallel_migrations_per_cluster}: in the whole cluster (default 0: none)
 */
public record SlotLimits(int perSourceHost, int perDestinationHost, int perCluster) {

    public SlotLimits {
        if (perSourceHost < 0 || perDestinationHost < 0 || perCluster < 0) {
            throw new IllegalArgumentException("slot limits cannot be negative");
        }
    }

    public static SlotLimits defaults() {
        return new SlotLimits(1, 0, 0);
    }

    static boolean reached(int limit, int used) {
        return limit > 0 && used >= limit;
    }
}

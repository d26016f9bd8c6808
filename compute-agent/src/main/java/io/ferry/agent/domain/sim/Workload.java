package io.ferry.agent.domain.sim;

/**
 * What the guest does while it is migrated.
 *
 * @param dirtying        the dirty rate D over time (before auto-converge throttling)
 * @param workingSet      W, the writable working set: between two dirty-bitmap syncs at most W
 *                        distinct bytes become dirty, however fast the guest writes
 * @param vcpuDemand      busy vCPUs the workload wants (for schedulers and reports; the throttle
 *                        scales it by (1 - p))
 */
public record Workload(DirtyPattern dirtying, ByteSize workingSet, double vcpuDemand) {

    public Workload {
        if (vcpuDemand < 0) {
            throw new IllegalArgumentException("vCPU demand cannot be negative: " + vcpuDemand);
        }
    }

    /** A constant dirty rate over a working set. */
    public static Workload constant(Bandwidth dirtyRate, ByteSize workingSet, double vcpuDemand) {
        return new Workload(new DirtyPattern.Constant(dirtyRate), workingSet, vcpuDemand);
    }

    /** A constant dirty rate with no working-set cap (W as large as memory can be). */
    public static Workload uncapped(Bandwidth dirtyRate) {
        return constant(dirtyRate, new ByteSize(Long.MAX_VALUE), 1.0);
    }
}

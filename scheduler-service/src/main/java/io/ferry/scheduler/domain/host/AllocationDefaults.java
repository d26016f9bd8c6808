package io.ferry.scheduler.domain.host;

/**
 * Nova's defaults for a compute node that does not override them.
 *
 * <p>Checked against Nova's {@code nova/conf/compute.py}: the {@code initial_*_allocation_ratio} options
 * appeared in Stein with 16.0 (cpu), 1.5 (ram), 1.0 (disk); current Nova (since 2023.1) ships
 * {@code initial_cpu_allocation_ratio = 4.0}, {@code initial_ram_allocation_ratio = 1.0},
 * {@code initial_disk_allocation_ratio = 1.0}. We use the current ones. {@code reserved_host_memory_mb}
 * defaults to 512, {@code reserved_host_disk_mb} and {@code reserved_host_cpus} to 0.
 */
public final class AllocationDefaults {

    public static final double CPU_ALLOCATION_RATIO = 4.0;
    public static final double RAM_ALLOCATION_RATIO = 1.0;
    public static final double DISK_ALLOCATION_RATIO = 1.0;
    public static final long RESERVED_HOST_MEMORY_MB = 512;
    public static final long RESERVED_HOST_DISK_GB = 0;
    public static final long RESERVED_HOST_CPUS = 0;

    private AllocationDefaults() {
    }
}

package io.ferry.scheduler.adapter.kafka;

import io.ferry.scheduler.domain.CpuFeatures;
import io.ferry.scheduler.domain.host.AllocationDefaults;
import java.util.Map;
import java.util.Objects;

/**
 * What the mapping fills in where a message is silent: allocation ratios for hosts that report none, the zone of
 * hosts that report none, and the feature flags of named CPU models for guests with {@code cpu_mode=custom}.
 */
public record SchedulerDefaults(double cpuAllocationRatio, double ramAllocationRatio, double diskAllocationRatio,
                                String defaultAvailabilityZone, Map<String, CpuFeatures> cpuModels) {

    public SchedulerDefaults {
        if (!(cpuAllocationRatio > 0) || !(ramAllocationRatio > 0) || !(diskAllocationRatio > 0)) {
            throw new IllegalArgumentException("allocation ratios must be positive");
        }
        Objects.requireNonNull(defaultAvailabilityZone, "defaultAvailabilityZone");
        cpuModels = Map.copyOf(cpuModels);
    }

    /** Nova's defaults: ratios 4.0 / 1.0 / 1.0, zone {@code nova}, no CPU models configured. */
    public static SchedulerDefaults nova() {
        return new SchedulerDefaults(AllocationDefaults.CPU_ALLOCATION_RATIO, AllocationDefaults.RAM_ALLOCATION_RATIO,
                AllocationDefaults.DISK_ALLOCATION_RATIO, "nova", Map.of());
    }

    /** The configured flags of a named CPU model (case-insensitive), or none. */
    public CpuFeatures cpuModelFeatures(String model) {
        CpuFeatures exact = cpuModels.get(model);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, CpuFeatures> e : cpuModels.entrySet()) {
            if (e.getKey().equalsIgnoreCase(model)) {
                return e.getValue();
            }
        }
        return CpuFeatures.NONE;
    }
}

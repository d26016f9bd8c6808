package io.ferry.scheduler.config;

import io.ferry.scheduler.domain.filter.Filters;
import io.ferry.scheduler.domain.host.AllocationDefaults;
import io.ferry.scheduler.domain.weigher.CPUWeigher;
import io.ferry.scheduler.domain.weigher.DiskWeigher;
import io.ferry.scheduler.domain.weigher.MigrationLoadWeigher;
import io.ferry.scheduler.domain.weigher.RAMWeigher;
import io.ferry.scheduler.domain.weigher.ServerGroupSoftWeigher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code ferry.scheduler.*}: Nova's scheduler options under their Nova names (kebab-case), with Nova's defaults.
 */
@ConfigurationProperties("ferry.scheduler")
public class SchedulerProperties {

    /** Nova's [filter_scheduler] enabled_filters: filter names, applied in this order. */
    private List<String> enabledFilters = new ArrayList<>(Filters.DEFAULT_ORDER);
    /** Nova's ram_weight_multiplier: positive spreads, negative stacks. */
    private double ramWeightMultiplier = RAMWeigher.DEFAULT_MULTIPLIER;
    /** Nova's cpu_weight_multiplier. */
    private double cpuWeightMultiplier = CPUWeigher.DEFAULT_MULTIPLIER;
    /** Nova's disk_weight_multiplier. */
    private double diskWeightMultiplier = DiskWeigher.DEFAULT_MULTIPLIER;
    /** Multiplier of the migrations in flight into and out of a host (negative: fewer wins; as Nova's io_ops_weight_multiplier). */
    private double migrationLoadWeightMultiplier = MigrationLoadWeigher.DEFAULT_MULTIPLIER;
    /** Nova's soft_affinity_weight_multiplier. */
    private double softAffinityWeightMultiplier = ServerGroupSoftWeigher.DEFAULT_MULTIPLIER;
    /** Nova's soft_anti_affinity_weight_multiplier. */
    private double softAntiAffinityWeightMultiplier = ServerGroupSoftWeigher.DEFAULT_MULTIPLIER;
    /** Nova's cpu_allocation_ratio (initial_cpu_allocation_ratio), for hosts that report none. */
    private double cpuAllocationRatio = AllocationDefaults.CPU_ALLOCATION_RATIO;
    /** Nova's ram_allocation_ratio (initial_ram_allocation_ratio), for hosts that report none. */
    private double ramAllocationRatio = AllocationDefaults.RAM_ALLOCATION_RATIO;
    /** Nova's disk_allocation_ratio (initial_disk_allocation_ratio), for hosts that report none. */
    private double diskAllocationRatio = AllocationDefaults.DISK_ALLOCATION_RATIO;
    /** Nova's service_down_time: a host is up while its last report is younger; unset = ferry.service-down-time, 60 s. */
    private Duration serviceDownTime;
    /** Nova's default_availability_zone: the zone of hosts that report none. */
    private String defaultAvailabilityZone = "nova";
    /** Selection rounds when concurrent requests keep claiming the chosen hosts first. */
    private int maxClaimAttempts = 3;
    /** Feature flags of named CPU models, for guests with cpu_mode=custom (e.g. Westmere: sse4_2,popcnt,aes,...). */
    private Map<String, List<String>> cpuModels = new LinkedHashMap<>();
    /** How long the claims log may take to read at start before the scheduler refuses to start. */
    private Duration recoveryTimeout = Duration.ofMinutes(2);

    public List<String> getEnabledFilters() { return enabledFilters; }
    public void setEnabledFilters(List<String> enabledFilters) { this.enabledFilters = enabledFilters; }
    public double getRamWeightMultiplier() { return ramWeightMultiplier; }
    public void setRamWeightMultiplier(double v) { this.ramWeightMultiplier = v; }
    public double getCpuWeightMultiplier() { return cpuWeightMultiplier; }
    public void setCpuWeightMultiplier(double v) { this.cpuWeightMultiplier = v; }
    public double getDiskWeightMultiplier() { return diskWeightMultiplier; }
    public void setDiskWeightMultiplier(double v) { this.diskWeightMultiplier = v; }
    public double getMigrationLoadWeightMultiplier() { return migrationLoadWeightMultiplier; }
    public void setMigrationLoadWeightMultiplier(double v) { this.migrationLoadWeightMultiplier = v; }
    public double getSoftAffinityWeightMultiplier() { return softAffinityWeightMultiplier; }
    public void setSoftAffinityWeightMultiplier(double v) { this.softAffinityWeightMultiplier = v; }
    public double getSoftAntiAffinityWeightMultiplier() { return softAntiAffinityWeightMultiplier; }
    public void setSoftAntiAffinityWeightMultiplier(double v) { this.softAntiAffinityWeightMultiplier = v; }
    public double getCpuAllocationRatio() { return cpuAllocationRatio; }
    public void setCpuAllocationRatio(double v) { this.cpuAllocationRatio = v; }
    public double getRamAllocationRatio() { return ramAllocationRatio; }
    public void setRamAllocationRatio(double v) { this.ramAllocationRatio = v; }
    public double getDiskAllocationRatio() { return diskAllocationRatio; }
    public void setDiskAllocationRatio(double v) { this.diskAllocationRatio = v; }
    public Duration getServiceDownTime() { return serviceDownTime; }
    public void setServiceDownTime(Duration serviceDownTime) { this.serviceDownTime = serviceDownTime; }
    public String getDefaultAvailabilityZone() { return defaultAvailabilityZone; }
    public void setDefaultAvailabilityZone(String zone) { this.defaultAvailabilityZone = zone; }
    public int getMaxClaimAttempts() { return maxClaimAttempts; }
    public void setMaxClaimAttempts(int maxClaimAttempts) { this.maxClaimAttempts = maxClaimAttempts; }
    public Map<String, List<String>> getCpuModels() { return cpuModels; }
    public void setCpuModels(Map<String, List<String>> cpuModels) { this.cpuModels = cpuModels; }
    public Duration getRecoveryTimeout() { return recoveryTimeout; }
    public void setRecoveryTimeout(Duration recoveryTimeout) { this.recoveryTimeout = recoveryTimeout; }

    /** The weigher multipliers by weigher name, as the domain's settings take them. */
    public Map<String, Double> weigherMultipliers() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("RAMWeigher", ramWeightMultiplier);
        m.put("CPUWeigher", cpuWeightMultiplier);
        m.put("DiskWeigher", diskWeightMultiplier);
        m.put("MigrationLoadWeigher", migrationLoadWeightMultiplier);
        m.put(ServerGroupSoftWeigher.AFFINITY, softAffinityWeightMultiplier);
        m.put(ServerGroupSoftWeigher.ANTI_AFFINITY, softAntiAffinityWeightMultiplier);
        return m;
    }
}

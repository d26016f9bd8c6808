package io.ferry.scheduler.domain.filter;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the filter chain from configuration: a list of filter names, applied in that order. */
public final class Filters {

    /** The default order: cheap, selective checks first. */
    public static final List<String> DEFAULT_ORDER = List.of(
            "SameCellFilter",
            "AvailabilityZoneFilter",
            "ComputeFilter",
            "RamFilter",
            "CoreFilter",
            "DiskFilter",
            "CpuCompatibilityFilter",
            "NUMATopologyFilter",
            "AggregateInstanceExtraSpecsFilter",
            "ServerGroupAntiAffinityFilter",
            "ServerGroupAffinityFilter");

    /** The filters a forced destination still goes through: capacity only. */
    public static final List<String> CAPACITY = List.of("RamFilter", "CoreFilter", "DiskFilter", "NUMATopologyFilter");

    private Filters() {
    }

    public static List<HostFilter> create(List<String> names, Clock clock, Duration serviceDownTime) {
        List<HostFilter> chain = new ArrayList<>(names.size());
        for (String name : names) {
            chain.add(create(name, clock, serviceDownTime));
        }
        return List.copyOf(chain);
    }

    public static HostFilter create(String name, Clock clock, Duration serviceDownTime) {
        return switch (name) {
            case "ComputeFilter" -> new ComputeFilter(clock, serviceDownTime);
            case "RamFilter" -> new RamFilter();
            case "CoreFilter" -> new CoreFilter();
            case "DiskFilter" -> new DiskFilter();
            case "CpuCompatibilityFilter" -> new CpuCompatibilityFilter();
            case "NUMATopologyFilter" -> new NUMATopologyFilter();
            case "SameCellFilter" -> new SameCellFilter();
            case "ServerGroupAntiAffinityFilter" -> new ServerGroupAntiAffinityFilter();
            case "ServerGroupAffinityFilter" -> new ServerGroupAffinityFilter();
            case "AvailabilityZoneFilter" -> new AvailabilityZoneFilter();
            case "AggregateInstanceExtraSpecsFilter" -> new AggregateInstanceExtraSpecsFilter();
            default -> throw new IllegalArgumentException("unknown filter '" + name + "'; known: " + DEFAULT_ORDER);
        };
    }
}

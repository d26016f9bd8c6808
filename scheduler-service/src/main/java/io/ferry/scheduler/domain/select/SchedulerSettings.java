package io.ferry.scheduler.domain.select;

import io.ferry.scheduler.domain.filter.Filters;
import io.ferry.scheduler.domain.host.ServiceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scheduler configuration, passed in (never read from a global).
 *
 * @param enabledFilters filter names in the order they run (first rejection wins)
 * @param weigherMultipliers multiplier overrides by weigher name; absent = the weigher's default
 * @param serviceDownTime a host is up while its heartbeat is younger (Nova: 60 s)
 * @param maxClaimAttempts selection rounds when concurrent requests keep taking the candidates
 */
public record SchedulerSettings(List<String> enabledFilters, Map<String, Double> weigherMultipliers,
        Duration serviceDownTime, int maxClaimAttempts) {

    public SchedulerSettings {
        enabledFilters = List.copyOf(enabledFilters);
        weigherMultipliers = Map.copyOf(weigherMultipliers);
        Objects.requireNonNull(serviceDownTime, "serviceDownTime");
        if (maxClaimAttempts < 1) {
            throw new IllegalArgumentException("maxClaimAttempts must be >= 1");
        }
    }

    public static SchedulerSettings defaults() {
        return new SchedulerSettings(Filters.DEFAULT_ORDER, Map.of(), ServiceState.DEFAULT_SERVICE_DOWN_TIME, 3);
    }

    public SchedulerSettings withFilters(List<String> filters) {
        return new SchedulerSettings(filters, weigherMultipliers, serviceDownTime, maxClaimAttempts);
    }

    public SchedulerSettings withMultipliers(Map<String, Double> multipliers) {
        return new SchedulerSettings(enabledFilters, multipliers, serviceDownTime, maxClaimAttempts);
    }
}

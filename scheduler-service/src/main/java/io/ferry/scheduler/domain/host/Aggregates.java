package io.ferry.scheduler.domain.host;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's aggregates and, merged once at construction, the values each metadata key takes across
 * them (Nova's {@code utils.aggregate_metadata_get_by_host}); comma-separated values are split.
 */
public record Aggregates(List<Aggregate> list, Map<String, Set<String>> metadata) {

    public static final Aggregates NONE = new Aggregates(List.of(), Map.of());

    public Aggregates {
        list = List.copyOf(list);
        metadata = Map.copyOf(metadata);
    }

    public static Aggregates of(List<Aggregate> aggregates) {
        Map<String, Set<String>> merged = new HashMap<>();
        for (Aggregate aggregate : aggregates) {
            aggregate.metadata().forEach((key, value) -> {
                Set<String> values = merged.computeIfAbsent(key, k -> new HashSet<>());
                for (String v : value.split(",")) {
                    values.add(v.strip());
                }
            });
        }
        Map<String, Set<String>> frozen = new HashMap<>();
        merged.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
        return new Aggregates(aggregates, frozen);
    }

    public Set<String> valuesOf(String key) {
        return metadata.get(key);
    }
}

package io.ferry.scheduler.domain.weigher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the weighers from configuration: every known weigher, each with its multiplier (default or override). */
public final class Weighers {

    public static final List<String> ALL = List.of(
            "RAMWeigher", "CPUWeigher", "DiskWeigher", "MigrationLoadWeigher",
            ServerGroupSoftWeigher.AFFINITY, ServerGroupSoftWeigher.ANTI_AFFINITY);

    private Weighers() {
    }

    /** All weighers with default multipliers, overridden by {@code multipliers} (name → multiplier). */
    public static List<HostWeigher> create(Map<String, Double> multipliers) {
        Set<String> unknown = new java.util.HashSet<>(multipliers.keySet());
        ALL.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown weighers " + unknown + "; known: " + ALL);
        }
        List<HostWeigher> weighers = new ArrayList<>();
        for (String name : ALL) {
            Double m = multipliers.get(name);
            weighers.add(switch (name) {
                case "RAMWeigher" -> new RAMWeigher(m == null ? RAMWeigher.DEFAULT_MULTIPLIER : m);
                case "CPUWeigher" -> new CPUWeigher(m == null ? CPUWeigher.DEFAULT_MULTIPLIER : m);
                case "DiskWeigher" -> new DiskWeigher(m == null ? DiskWeigher.DEFAULT_MULTIPLIER : m);
                case "MigrationLoadWeigher" -> new MigrationLoadWeigher(m == null ? MigrationLoadWeigher.DEFAULT_MULTIPLIER : m);
                case ServerGroupSoftWeigher.AFFINITY -> ServerGroupSoftWeigher.affinity(
                        m == null ? ServerGroupSoftWeigher.DEFAULT_MULTIPLIER : m);
                case ServerGroupSoftWeigher.ANTI_AFFINITY -> ServerGroupSoftWeigher.antiAffinity(
                        m == null ? ServerGroupSoftWeigher.DEFAULT_MULTIPLIER : m);
                default -> throw new IllegalStateException(name);
            });
        }
        return List.copyOf(weighers);
    }
}

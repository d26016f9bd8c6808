package io.ferry.scheduler.app;

import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.common.ServiceStatus;
import io.ferry.schemas.host.HostInventory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The walking skeleton's placement: any enabled, up host other than the source with enough free RAM (reserved,
 * used and claimed memory counted), the one with the most free RAM first. Claims are taken at once under one
 * lock, so two concurrent requests never promise the same memory. The full filter and weigher chain replaces the
 * choice; the claim bookkeeping stays.
 */
public class FirstFitScheduler {

    /** What was decided. */
    public sealed interface Decision permits Claimed, NoValidHost {
    }

    public record Claimed(String host, List<String> alternates) implements Decision {
    }

    /** No host fits; {@code removed} says how many hosts each check removed, in order. */
    public record NoValidHost(String reason, Map<String, int[]> removed) implements Decision {
    }

    private record Claim(String host, long memoryMb) {
    }

    private final HostDirectory directory;
    private final Map<String, Claim> claims = new HashMap<>();

    public FirstFitScheduler(HostDirectory directory) {
        this.directory = directory;
    }

    /** Picks and claims a destination for a migration (idempotent per migration uuid). */
    public synchronized Decision select(String migrationUuid, InstanceSpec instance, String sourceHost,
                                        String forcedHost, Set<String> ignoreHosts, int maxAlternates) {
        Claim existing = claims.get(migrationUuid);
        if (existing != null) {
            return new Claimed(existing.host(), List.of());
        }
        List<HostInventory> hosts = new ArrayList<>(directory.hosts());
        Map<String, int[]> removed = new java.util.LinkedHashMap<>();
        hosts = keep(hosts, removed, "ComputeFilter",
                h -> h.getServiceStatus() == ServiceStatus.ENABLED && directory.isUp(h));
        hosts = keep(hosts, removed, "SourceAndIgnoredHosts",
                h -> !h.getHost().equals(sourceHost) && !ignoreHosts.contains(h.getHost()));
        if (forcedHost != null) {
            hosts = keep(hosts, removed, "RequestedHost", h -> h.getHost().equals(forcedHost));
        }
        hosts = keep(hosts, removed, "RamFilter", h -> freeMemoryMb(h) >= instance.getMemoryMb());
        if (hosts.isEmpty()) {
            StringBuilder reason = new StringBuilder("No valid host was found.");
            removed.forEach((filter, counts) -> reason.append(' ').append(filter).append(": ")
                    .append(counts[0]).append(" -> ").append(counts[1]).append(';'));
            return new NoValidHost(reason.toString(), removed);
        }
        hosts = new ArrayList<>(hosts);
        hosts.sort(Comparator.comparingLong(this::freeMemoryMb).reversed().thenComparing(HostInventory::getHost));
        String chosen = hosts.getFirst().getHost();
        claims.put(migrationUuid, new Claim(chosen, instance.getMemoryMb()));
        List<String> alternates = hosts.stream().skip(1).limit(maxAlternates).map(HostInventory::getHost).toList();
        return new Claimed(chosen, alternates);
    }

    /** The migration ended: its claim is released (failed, cancelled, error) or is now usage (completed). */
    public synchronized void release(String migrationUuid) {
        claims.remove(migrationUuid);
    }

    /** Memory not reserved, used or claimed on a host. */
    public synchronized long freeMemoryMb(HostInventory host) {
        long claimed = claims.values().stream().filter(c -> c.host().equals(host.getHost()))
                .mapToLong(Claim::memoryMb).sum();
        return host.getMemoryMb() - host.getMemoryMbReserved() - host.getMemoryMbUsed() - claimed;
    }

    private static List<HostInventory> keep(List<HostInventory> hosts, Map<String, int[]> removed, String filter,
                                            java.util.function.Predicate<HostInventory> passes) {
        List<HostInventory> kept = hosts.stream().filter(passes).toList();
        removed.put(filter, new int[] {hosts.size(), kept.size()});
        return kept;
    }
}

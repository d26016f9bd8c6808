package io.ferry.messaging.readmodel;

import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.host.InstanceState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet as the agents report it on {@code ferry.host.events}: each host's newest inventory, and where each
 * instance runs. Shared by every service that needs the view (gateway, conductor, scheduler). When two hosts
 * claim one instance for a moment (mid-migration reports), the newer report wins.
 */
public class HostDirectory {

    /** Where an instance runs, as of when that was reported. */
    public record Placement(String host, HostedInstance instance, long reportedAt) {
    }

    private final Map<String, HostInventory> hosts = new ConcurrentHashMap<>();
    private final Map<String, Placement> placements = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration serviceDownTime;

    public HostDirectory(Clock clock, Duration serviceDownTime) {
        this.clock = clock;
        this.serviceDownTime = serviceDownTime;
    }

    /** Applies a full host report. */
    public synchronized void apply(HostInventory inventory) {
        HostInventory previous = hosts.get(inventory.getHost());
        if (previous != null && previous.getEnvelope().getEventTime() > inventory.getEnvelope().getEventTime()) {
            return;
        }
        hosts.put(inventory.getHost(), inventory);
        long at = inventory.getEnvelope().getEventTime();
        placements.entrySet().removeIf(e -> e.getValue().host().equals(inventory.getHost())
                && e.getValue().reportedAt() <= at
                && inventory.getInstances().stream().noneMatch(i -> i.getSpec().getUuid().equals(e.getKey())));
        for (HostedInstance instance : inventory.getInstances()) {
            place(instance.getSpec().getUuid(), new Placement(inventory.getHost(), instance, at));
        }
    }

    /** Applies a single instance change. */
    public synchronized void apply(InstanceState state) {
        String uuid = state.getInstance().getSpec().getUuid();
        long at = state.getEnvelope().getEventTime();
        if (state.getPresent()) {
            place(uuid, new Placement(state.getHost(), state.getInstance(), at));
        } else {
            Placement current = placements.get(uuid);
            if (current != null && current.host().equals(state.getHost()) && current.reportedAt() <= at) {
                placements.remove(uuid);
            }
        }
    }

    private void place(String uuid, Placement placement) {
        placements.merge(uuid, placement, (old, neu) -> neu.reportedAt() >= old.reportedAt() ? neu : old);
    }

    public Optional<HostInventory> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    /** All hosts, by name. */
    public List<HostInventory> hosts() {
        List<HostInventory> all = new ArrayList<>(hosts.values());
        all.sort(Comparator.comparing(HostInventory::getHost));
        return all;
    }

    public Optional<Placement> placement(String instanceUuid) {
        return Optional.ofNullable(placements.get(instanceUuid));
    }

    /** Every placed instance. */
    public Collection<Placement> placements() {
        return List.copyOf(placements.values());
    }

    /** Nova's "up": the newest heartbeat is younger than {@code service_down_time}. */
    public boolean isUp(HostInventory host) {
        return !host.getForcedDown()
                && clock.millis() - host.getHeartbeatAt() < serviceDownTime.toMillis();
    }
}

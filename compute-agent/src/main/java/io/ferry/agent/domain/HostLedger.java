package io.ferry.agent.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guests of one host: those running here, and those reserved here for an incoming migration. Usage counts
 * both, so a destination never promises the same memory twice. Not thread-safe: the agent serialises access.
 */
public final class HostLedger {

    /** Why a guest cannot be accepted, or empty when it can. */
    public sealed interface Admission permits Admission.Accepted, Admission.Refused {
        record Accepted() implements Admission {
        }

        record Refused(String reason) implements Admission {
        }
    }

    private final HostCapacity capacity;
    private final Map<String, Guest> running = new LinkedHashMap<>();
    private final Map<String, Guest> incoming = new LinkedHashMap<>();
    private final Map<String, String> migratingOut = new LinkedHashMap<>();

    public HostLedger(HostCapacity capacity) {
        this.capacity = capacity;
    }

    public HostCapacity capacity() {
        return capacity;
    }

    public void boot(Guest guest) {
        running.put(guest.uuid(), guest);
    }

    public Optional<Guest> running(String uuid) {
        return Optional.ofNullable(running.get(uuid));
    }

    public List<Guest> runningGuests() {
        List<Guest> guests = new ArrayList<>(running.values());
        guests.sort(Comparator.comparing(Guest::name));
        return guests;
    }

    public boolean isIncoming(String uuid) {
        return incoming.containsKey(uuid);
    }

    public long memoryMbUsed() {
        return sum(running.values(), Guest::memoryMb) + sum(incoming.values(), Guest::memoryMb);
    }

    public int vcpusUsed() {
        return (int) (sum(running.values(), Guest::vcpus) + sum(incoming.values(), Guest::vcpus));
    }

    public long diskGbUsed() {
        return sum(running.values(), Guest::diskGb) + sum(incoming.values(), Guest::diskGb);
    }

    private static long sum(Collection<Guest> guests, java.util.function.ToLongFunction<Guest> f) {
        return guests.stream().mapToLong(f).sum();
    }

    /** Can this host take the guest? Checks real free memory (reserved and incoming counted). */
    public Admission admit(Guest guest) {
        if (running.containsKey(guest.uuid())) {
            return new Admission.Refused("instance " + guest.uuid() + " already runs on this host");
        }
        if (incoming.containsKey(guest.uuid())) {
            return new Admission.Accepted();
        }
        long free = capacity.memoryMb() - capacity.memoryMbReserved() - memoryMbUsed();
        if (guest.memoryMb() > free) {
            return new Admission.Refused("not enough free memory: instance needs " + guest.memoryMb()
                    + " MB, host has " + free + " MB free");
        }
        return new Admission.Accepted();
    }

    /** Reserves room for an incoming guest (idempotent). */
    public Admission reserveIncoming(Guest guest) {
        Admission admission = admit(guest);
        if (admission instanceof Admission.Accepted) {
            incoming.put(guest.uuid(), guest);
        }
        return admission;
    }

    /**
     * Holds room for a guest the hypervisor keeps here without running it (a guest lost by a failed post-copy, to be
     * recovered on this host), whatever the free memory: the hypervisor holds that room already. Idempotent.
     */
    public void hold(Guest guest) {
        if (!running.containsKey(guest.uuid())) {
            incoming.put(guest.uuid(), guest);
        }
    }

    /** The incoming guest now runs here (idempotent); keeps the CPU definition it was reserved with. */
    public void activateIncoming(Guest guest) {
        Guest reserved = incoming.remove(guest.uuid());
        boolean keepCpu = guest.cpuDefinition() == null && reserved != null && reserved.cpuDefinition() != null;
        running.put(guest.uuid(), keepCpu ? guest.withCpuDefinition(reserved.cpuDefinition()) : guest);
    }

    /** The incoming migration will not happen (idempotent). */
    public void discardIncoming(String uuid) {
        incoming.remove(uuid);
    }

    public void markMigratingOut(String uuid, String migrationUuid) {
        migratingOut.put(uuid, migrationUuid);
    }

    public void clearMigratingOut(String uuid) {
        migratingOut.remove(uuid);
    }

    public Optional<String> migrationOf(String uuid) {
        return Optional.ofNullable(migratingOut.get(uuid));
    }

    public int migrationsOut() {
        return migratingOut.size();
    }

    public int migrationsIn() {
        return incoming.size();
    }

    /** The guest left this host (idempotent). */
    public void remove(String uuid) {
        running.remove(uuid);
        migratingOut.remove(uuid);
    }
}

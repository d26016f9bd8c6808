package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ByteSize;
import java.util.List;
import java.util.Objects;

/**
 * An instance on the host to drain, as its agent reports it.
 *
 * @param dirtyRate  the hypervisor's estimate of the guest's dirty rate ({@link Bandwidth#ZERO}: not known, planned
 *                   as an idle guest)
 * @param pciDevices passthrough or SR-IOV devices: such an instance cannot live-migrate
 * @param vmState    Nova's vm_state; only active and paused instances live-migrate
 * @param migrating  a migration of it is already in flight
 */
public record DrainCandidate(String instanceUuid, String name, ByteSize memory, Bandwidth dirtyRate,
                             List<String> pciDevices, String vmState, boolean migrating) {

    public DrainCandidate {
        Objects.requireNonNull(instanceUuid, "instanceUuid");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(dirtyRate, "dirtyRate");
        pciDevices = List.copyOf(pciDevices);
        name = name == null ? instanceUuid : name;
        vmState = vmState == null ? "active" : vmState;
    }

    /** An active instance without devices. */
    public static DrainCandidate of(String uuid, String name, ByteSize memory, Bandwidth dirtyRate) {
        return new DrainCandidate(uuid, name, memory, dirtyRate, List.of(), "active", false);
    }

    /** Why this instance is not live-migrated, with the advice; null when it can be. */
    public String blocker() {
        if (!pciDevices.isEmpty()) {
            return "not live-migratable: PCI passthrough/SR-IOV devices attached (" + String.join(", ", pciDevices)
                    + "); cold migrate instead";
        }
        if (migrating) {
            return "already being migrated; not part of this drain";
        }
        if (!"active".equals(vmState) && !"paused".equals(vmState)) {
            return "not live-migratable: vm_state " + vmState + " (only active or paused); cold migrate instead";
        }
        return null;
    }
}

package io.ferry.agent.domain;

import java.util.List;
import java.util.Objects;

/**
 * An instance as a hypervisor host knows it.
 *
 * @param pciDevices PCI passthrough / SR-IOV devices attached to it
 */
public record Guest(String uuid, String name, String projectId, String userId, String flavorName,
                    long memoryMb, int vcpus, int diskGb, String workload, List<String> pciDevices) {

    public Guest(String uuid, String name, String projectId, String userId, String flavorName, long memoryMb,
                 int vcpus, int diskGb, String workload) {
        this(uuid, name, projectId, userId, flavorName, memoryMb, vcpus, diskGb, workload, List.of());
    }

    public Guest {
        pciDevices = pciDevices == null ? List.of() : List.copyOf(pciDevices);
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        if (memoryMb <= 0 || vcpus <= 0 || diskGb < 0) {
            throw new IllegalArgumentException("guest " + name + " needs positive memory and vCPUs");
        }
    }

    public long memoryBytes() {
        return memoryMb * 1024L * 1024L;
    }
}

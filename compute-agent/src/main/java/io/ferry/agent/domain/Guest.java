package io.ferry.agent.domain;

import java.util.List;
import java.util.Objects;

/**
 * An instance as a hypervisor host knows it.
 *
 * @param pciDevices    PCI passthrough / SR-IOV devices attached to it
 * @param cpuDefinition the guest CPU as its hypervisor defines it (libvirt: the domain's {@code <cpu>} element),
 *                      which a destination must be able to provide; null when unknown (simulated guests)
 */
public record Guest(String uuid, String name, String projectId, String userId, String flavorName,
                    long memoryMb, int vcpus, int diskGb, String workload, List<String> pciDevices,
                    String cpuDefinition) {

    public Guest(String uuid, String name, String projectId, String userId, String flavorName, long memoryMb,
                 int vcpus, int diskGb, String workload) {
        this(uuid, name, projectId, userId, flavorName, memoryMb, vcpus, diskGb, workload, List.of());
    }

    public Guest(String uuid, String name, String projectId, String userId, String flavorName, long memoryMb,
                 int vcpus, int diskGb, String workload, List<String> pciDevices) {
        this(uuid, name, projectId, userId, flavorName, memoryMb, vcpus, diskGb, workload, pciDevices, null);
    }

    public Guest {
        pciDevices = pciDevices == null ? List.of() : List.copyOf(pciDevices);
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
        if (memoryMb <= 0 || vcpus <= 0 || diskGb < 0) {
            throw new IllegalArgumentException("guest " + name + " needs positive memory and vCPUs");
        }
    }

    /** The same guest with the CPU definition its source reported (null keeps none). */
    public Guest withCpuDefinition(String cpu) {
        return new Guest(uuid, name, projectId, userId, flavorName, memoryMb, vcpus, diskGb, workload, pciDevices, cpu);
    }

    public long memoryBytes() {
        return memoryMb * 1024L * 1024L;
    }
}

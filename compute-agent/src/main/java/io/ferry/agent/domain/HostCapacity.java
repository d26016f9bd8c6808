package io.ferry.agent.domain;

/** What a host has to offer. */
public record HostCapacity(int vcpus, long memoryMb, long memoryMbReserved, long diskGb, String cpuModel,
                           long nicBandwidthMbps) {
}

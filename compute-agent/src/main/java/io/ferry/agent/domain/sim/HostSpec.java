package io.ferry.agent.domain.sim;

/**
 * A simulated hypervisor host.
 *
 * @param name          host name
 * @param nic           NIC line rate, each direction (full duplex)
 * @param freeMemory    memory free for incoming guests; a destination refuses a guest that does not fit
 * @param streamCeiling what one migration stream can push from this host before its sending thread
 *                      saturates a core (the per-stream CPU ceiling)
 */
public record HostSpec(HostName name, Bandwidth nic, ByteSize freeMemory, Bandwidth streamCeiling) {

    /** A single QEMU migration thread moves roughly 3 GB/s of uncompressed pages on a modern core. */
    public static final Bandwidth DEFAULT_STREAM_CEILING = Bandwidth.gbPerSecond(3);

    public static HostSpec of(String name, Bandwidth nic, ByteSize freeMemory) {
        return new HostSpec(HostName.of(name), nic, freeMemory, DEFAULT_STREAM_CEILING);
    }
}

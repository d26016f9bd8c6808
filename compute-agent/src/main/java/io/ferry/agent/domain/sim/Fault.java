package io.ferry.agent.domain.sim;

import java.time.Duration;

/** Something that goes wrong at simulated time {@link #at()}; injected by tests and benchmarks. */
public sealed interface Fault {

    Duration at();

    HostName host();

    /**
     * The host's NIC loses link at {@code at} for {@code duration}: every stream through it stalls;
     * a pre-copy stream stalled longer than the link timeout fails (guest stays on the source); a
     * post-copy migration loses the guest at once.
     */
    record LinkDown(HostName host, Duration at, Duration duration) implements Fault {
    }

    /** From {@code at} the host's NIC runs at {@code nic} (a drop, or a recovery). */
    record BandwidthChange(HostName host, Duration at, Bandwidth nic) implements Fault {
    }

    /** The host dies at {@code at} and stays down. */
    record HostCrash(HostName host, Duration at) implements Fault {
    }

    /** From {@code at} the host refuses incoming guests (as if it had no memory left). */
    record RefuseIncoming(HostName host, Duration at) implements Fault {
    }
}

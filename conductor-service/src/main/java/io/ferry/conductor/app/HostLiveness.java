package io.ferry.conductor.app;

import java.time.Duration;
import java.time.Instant;

/** How long each host has been silent, as this conductor hears the agents (its own clock, never theirs). */
public interface HostLiveness {

    /** How long nothing (heartbeat, progress, reply) has been heard from {@code host}: at most since this conductor started. */
    Duration silentFor(String host, Instant now);

    /**
     * Whether anything at all was heard from any host within {@code window} (or this conductor started within it).
     * When nothing was, the conductor is the one cut off, and no host's silence means anything.
     */
    boolean anyHeardWithin(Duration window, Instant now);
}

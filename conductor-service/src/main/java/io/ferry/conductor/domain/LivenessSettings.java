package io.ferry.conductor.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * What keeps a migration out of an unknown state when an agent goes silent.
 *
 * @param hostHeartbeatTimeout how long a host a migration depends on may stay silent (no heartbeat, progress or
 *                             reply reaches the conductor) before the migration ends; zero turns the check off
 * @param agentDeadlineMargin  added to Nova's completion timeout to make the deadline the source agent enforces on
 *                             its own: the conductor's policy acts at the timeout, the agent only when the
 *                             conductor has not acted by the timeout plus this margin
 */
public record LivenessSettings(Duration hostHeartbeatTimeout, Duration agentDeadlineMargin) {

    /** Six agent heartbeats (10 s each), as Nova's service_down_time is six report intervals. */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DEADLINE_MARGIN = Duration.ofSeconds(60);

    public LivenessSettings {
        Objects.requireNonNull(hostHeartbeatTimeout, "hostHeartbeatTimeout");
        Objects.requireNonNull(agentDeadlineMargin, "agentDeadlineMargin");
        if (hostHeartbeatTimeout.isNegative() || agentDeadlineMargin.isNegative()) {
            throw new IllegalArgumentException("host-heartbeat-timeout and agent-deadline-margin must not be negative");
        }
    }

    public static LivenessSettings defaults() {
        return new LivenessSettings(DEFAULT_HEARTBEAT_TIMEOUT, DEFAULT_DEADLINE_MARGIN);
    }

    public boolean heartbeatCheckEnabled() {
        return !hostHeartbeatTimeout.isZero();
    }

    /** Whether a host silent for {@code silentFor} counts as lost. */
    public boolean lost(Duration silentFor) {
        return heartbeatCheckEnabled() && silentFor.compareTo(hostHeartbeatTimeout) > 0;
    }
}

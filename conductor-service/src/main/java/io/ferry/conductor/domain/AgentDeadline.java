package io.ferry.conductor.domain;

import io.ferry.conductor.domain.convergence.ByteSize;
import java.time.Duration;
import java.util.Optional;

/**
 * The completion deadline the source agent enforces on its own, so that a migration never runs forever when the
 * conductor is gone or cut off: Nova's completion timeout for the guest ({@code live_migration_completion_timeout}
 * seconds per GiB of memory, plus disk for a block migration) plus {@code agent-deadline-margin}. The conductor's
 * policy acts at the timeout itself; the agent acts only when the conductor has not acted by the deadline, with the
 * configured {@code live_migration_timeout_action}, never in post-copy.
 */
public final class AgentDeadline {

    private AgentDeadline() {
    }

    /** How much job time the source gives the stream; empty when the completion timeout is off. */
    public static Optional<Duration> budget(Migration m, LifecycleSettings settings) {
        return settings.convergence().completionTimeout(ConvergenceSteering.footprint(m, ByteSize.ofMiB(1)))
                .map(limit -> limit.plus(settings.liveness().agentDeadlineMargin()));
    }
}

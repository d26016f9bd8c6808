package io.ferry.conductor.domain;

import io.ferry.conductor.domain.convergence.ProgressReading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What happens to a migration, from the operator, the scheduler or the agents. */
public sealed interface MigrationInput {

    Instant at();

    /** The scheduler claimed a destination. */
    record DestinationClaimed(String host, List<String> alternates, Instant at) implements MigrationInput {
    }

    /** The scheduler found no host. */
    record NoValidHost(String reason, Instant at) implements MigrationInput {
    }

    /** An agent answered a step. */
    record AgentReplied(String host, AgentStep step, boolean done, String reason, Instant at) implements MigrationInput {
    }

    /** A reading of the running job; {@code at} is when the conductor received it. */
    record Progress(ProgressReading reading, Instant at) implements MigrationInput {
    }

    /** The hypervisor job ended on the source. */
    record JobEnded(JobOutcome outcome, String reason, JobFigures figures, Instant at) implements MigrationInput {
    }

    /** The operator asked to abort. */
    record AbortRequested(Instant at) implements MigrationInput {
    }

    /** The operator asked to force completion. */
    record ForceCompleteRequested(Instant at) implements MigrationInput {
    }

    /**
     * The periodic liveness check (a tick, not a message): how long each host the migration depends on has been
     * silent, on the conductor's clock (nothing heard from it: no heartbeat, progress or reply).
     */
    record LivenessCheck(Map<String, Duration> silentFor, Instant at) implements MigrationInput {
        public LivenessCheck {
            silentFor = Map.copyOf(silentFor);
        }
    }

    /** How a hypervisor job ended. */
    enum JobOutcome { COMPLETED, FAILED, CANCELLED, GUEST_LOST }
}

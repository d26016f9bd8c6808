package io.ferry.conductor.domain;

import java.time.Duration;
import java.util.Set;

/** Something the conductor must do after recording a migration's new state: ask the scheduler or order an agent. */
public sealed interface Effect {

    /** Ask the scheduler for a destination (forced or any), never one of {@code ignoreHosts}. */
    record SelectDestination(Migration migration, Set<String> ignoreHosts) implements Effect {
    }

    /** Order the agent of {@code host} to perform {@code step} for the migration. */
    record ToHost(String host, AgentStep step, Migration migration, Duration downtime) implements Effect {
        public ToHost(String host, AgentStep step, Migration migration) {
            this(host, step, migration, null);
        }
    }
}

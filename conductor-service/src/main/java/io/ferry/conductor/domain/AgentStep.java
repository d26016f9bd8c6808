package io.ferry.conductor.domain;

/** The steps an agent performs for a migration, each answered by a reply. */
public enum AgentStep {
    CHECK_DESTINATION, CHECK_SOURCE, PREPARE_DESTINATION, START_MIGRATION, SET_MAX_DOWNTIME, SWITCH_TO_POST_COPY,
    FORCE_COMPLETE, ABORT_JOB, POST_MIGRATE_DESTINATION, CLEANUP_SOURCE, ROLLBACK_DESTINATION
}

package io.ferry.agent.domain.sim;

/** A job that reached a terminal phase, with its last stats. */
public record EndedJob(JobId job, MigrationRequest request, Outcome outcome, JobStats finalStats) {
}

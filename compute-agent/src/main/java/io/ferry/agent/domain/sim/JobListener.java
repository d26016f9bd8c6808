package io.ferry.agent.domain.sim;

/** What a {@link MigrationJob} tells its fabric: trace lines and its end. */
interface JobListener {

    void trace(double at, JobId job, TraceEvent.Kind kind, long value, String detail);

    void ended(MigrationJob job);
}

package io.ferry.agent.app;

import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;

/** Receives a job's readings and its end from a driver. */
public interface MigrationListener {

    void progress(JobReading reading);

    void ended(JobEnd end);
}

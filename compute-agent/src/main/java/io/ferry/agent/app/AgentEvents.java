package io.ferry.agent.app;

import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;

/** What an agent tells the rest of Ferry (the Kafka adapter implements it). */
public interface AgentEvents {

    /** The host's inventory changed (or the heartbeat is due): publish a full report. */
    void inventory(HostAgent agent);

    /** A reading of a migration job running from this host. */
    void progress(HostAgent agent, String migrationUuid, String instanceUuid, JobReading reading);

    /** A migration job running from this host ended. */
    void jobEnded(HostAgent agent, String migrationUuid, String instanceUuid, JobEnd end);
}

package io.ferry.agent.app;

import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;

/** Agent events that go nowhere, for tests that look at the agent or its hypervisor rather than at what it reports. */
public enum QuietAgentEvents implements AgentEvents {
    INSTANCE;

    @Override
    public void inventory(HostAgent agent) {
    }

    @Override
    public void progress(HostAgent agent, String migrationUuid, String instanceUuid, JobReading reading) {
    }

    @Override
    public void jobEnded(HostAgent agent, String migrationUuid, String instanceUuid, JobEnd end) {
    }
}

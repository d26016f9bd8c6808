package io.ferry.agent.app;

import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.MigrationOrder;
import java.time.Duration;

/**
 * A hypervisor that runs no migration (a test overrides the one question it is about), and {@link #QUIET} agent
 * events that go nowhere.
 */
abstract class InertHypervisor implements HypervisorDriver {

    static final AgentEvents QUIET = new AgentEvents() {
        @Override
        public void inventory(HostAgent agent) {
        }

        @Override
        public void progress(HostAgent agent, String migrationUuid, String instanceUuid, JobReading reading) {
        }

        @Override
        public void jobEnded(HostAgent agent, String migrationUuid, String instanceUuid, JobEnd end) {
        }
    };

    @Override
    public String name() {
        return "test";
    }

    @Override
    public void startMigration(MigrationOrder order, MigrationListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean setMaxDowntime(String migrationUuid, Duration downtime) {
        return false;
    }

    @Override
    public boolean switchToPostCopy(String migrationUuid) {
        return false;
    }

    @Override
    public boolean forceComplete(String migrationUuid) {
        return false;
    }

    @Override
    public boolean abort(String migrationUuid) {
        return false;
    }

    @Override
    public boolean isRunning(String migrationUuid) {
        return false;
    }
}

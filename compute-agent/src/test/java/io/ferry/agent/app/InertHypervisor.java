package io.ferry.agent.app;

import io.ferry.agent.domain.MigrationOrder;
import java.time.Duration;

/** A hypervisor that runs no migration: a test overrides the one question it is about. */
abstract class InertHypervisor implements HypervisorDriver {

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

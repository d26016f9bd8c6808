package io.ferry.agent.app;

import io.ferry.agent.domain.MigrationOrder;
import java.time.Duration;

/**
 * The port every hypervisor driver implements (simulated, libvirt): the agent cannot tell which one it drives.
 * Progress and the end of a job come back through the {@link MigrationListener}, on the driver's threads.
 */
public interface HypervisorDriver {

    /** Short name reported in the inventory ({@code simulated}, {@code libvirt}). */
    String name();

    /** Starts streaming the guest; returns at once. */
    void startMigration(MigrationOrder order, MigrationListener listener);

    /** Changes the maximum downtime of a running job; false when no such job runs. */
    boolean setMaxDowntime(String migrationUuid, Duration downtime);

    /** Switches a running job to post-copy; false when no such job runs. */
    boolean switchToPostCopy(String migrationUuid);

    /** Finishes a running job now (pause and copy the rest); false when no such job runs. */
    boolean forceComplete(String migrationUuid);

    /** Aborts a running job; the guest stays on the source; false when no such job runs. */
    boolean abort(String migrationUuid);

    /** Whether the job still runs. */
    boolean isRunning(String migrationUuid);
}

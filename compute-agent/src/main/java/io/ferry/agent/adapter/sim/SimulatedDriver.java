package io.ferry.agent.adapter.sim;

import io.ferry.agent.app.HypervisorDriver;
import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.MigrationOrder;
import io.ferry.agent.domain.sim.Bandwidth;
import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.Guest;
import io.ferry.agent.domain.sim.HostName;
import io.ferry.agent.domain.sim.MigrationRequest;
import io.ferry.agent.domain.sim.MigrationSettings;
import io.ferry.agent.domain.sim.WorkloadProfiles;
import java.time.Duration;

/**
 * The simulated driver of one host: its migrations run on the process's shared {@link SimulatedFabric}, so streams
 * of different hosts share NICs as real ones do.
 */
public class SimulatedDriver implements HypervisorDriver {

    /** Share of a guest's pages that are zero (sent as a header only). */
    private static final double ZERO_PAGE_FRACTION = 0.1;
    /** Disk write rate assumed for block migration. */
    private static final Bandwidth DISK_WRITE_RATE = Bandwidth.mbPerSecond(5);

    private final SimulatedFabric fabric;
    private final Duration switchover;

    public SimulatedDriver(SimulatedFabric fabric, Duration switchover) {
        this.fabric = fabric;
        this.switchover = switchover;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public void startMigration(MigrationOrder order, MigrationListener listener) {
        io.ferry.agent.domain.Guest vm = order.guest();
        String profile = vm.workload() == null ? WorkloadProfiles.IDLE : vm.workload();
        Guest guest = Guest.of(vm.name(), ByteSize.mib(vm.memoryMb()), ZERO_PAGE_FRACTION,
                WorkloadProfiles.byName(profile).orElse(WorkloadProfiles.named(WorkloadProfiles.IDLE)));
        if (order.blockMigration() && vm.diskGb() > 0) {
            guest = guest.withDisk(ByteSize.gib(vm.diskGb()), DISK_WRITE_RATE);
        }
        MigrationSettings settings = MigrationSettings.defaults()
                .withBandwidthCap(order.bandwidthMibps() > 0 ? Bandwidth.mibPerSecond(order.bandwidthMibps()) : Bandwidth.ZERO)
                .withMaxDowntime(order.maxDowntime())
                .withSwitchoverCost(switchover)
                .withAutoConverge(order.autoConverge())
                .withPostCopyPermitted(order.postCopyPermitted())
                .withBlockMigration(order.blockMigration() && vm.diskGb() > 0);
        fabric.start(order.migrationUuid(), new MigrationRequest(guest, new HostName(order.sourceHost()),
                new HostName(order.destinationHost()), settings), order.maxDowntime(), listener);
    }

    @Override
    public boolean setMaxDowntime(String migrationUuid, Duration downtime) {
        return fabric.command(migrationUuid, job -> fabric.model().setMaxDowntime(job, downtime), downtime.toMillis());
    }

    @Override
    public boolean switchToPostCopy(String migrationUuid) {
        return fabric.command(migrationUuid, job -> fabric.model().startPostCopy(job), null);
    }

    @Override
    public boolean forceComplete(String migrationUuid) {
        return fabric.command(migrationUuid, job -> fabric.model().forceComplete(job), null);
    }

    @Override
    public boolean abort(String migrationUuid) {
        return fabric.command(migrationUuid, job -> fabric.model().abort(job), null);
    }

    @Override
    public boolean isRunning(String migrationUuid) {
        return fabric.running(migrationUuid);
    }
}

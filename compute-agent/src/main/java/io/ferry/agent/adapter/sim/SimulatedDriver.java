package io.ferry.agent.adapter.sim;

import io.ferry.agent.app.HypervisorDriver;
import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.MigrationOrder;
import io.ferry.agent.domain.sim.Bandwidth;
import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.DirtyRateCalc;
import io.ferry.agent.domain.sim.Guest;
import io.ferry.agent.domain.sim.GuestDirtyRates;
import io.ferry.agent.domain.sim.HostName;
import io.ferry.agent.domain.sim.MigrationRequest;
import io.ferry.agent.domain.sim.MigrationSettings;
import io.ferry.agent.domain.sim.Workload;
import io.ferry.agent.domain.sim.WorkloadProfiles;
import java.time.Duration;
import java.util.Optional;

/**
 * The simulated driver of one host: its migrations run on the process's shared {@link SimulatedFabric}, so streams
 * of different hosts share NICs as real ones do.
 */
public class SimulatedDriver implements HypervisorDriver {

    /** Share of a guest's pages that are zero (sent as a header only). */
    private static final double ZERO_PAGE_FRACTION = 0.1;
    /** Disk write rate assumed for block migration. */
    private static final Bandwidth DISK_WRITE_RATE = Bandwidth.mbPerSecond(5);

    /** How often a guest's dirty rate is measured again, by default ({@code ferry.agent.dirty-rate-interval}). */
    public static final Duration DEFAULT_DIRTY_RATE_INTERVAL = Duration.ofSeconds(30);

    private final SimulatedFabric fabric;
    private final Duration switchover;
    private final GuestDirtyRates dirtyRates;

    public SimulatedDriver(SimulatedFabric fabric, Duration switchover) {
        this(fabric, switchover, DEFAULT_DIRTY_RATE_INTERVAL);
    }

    /** @param dirtyRateInterval host (simulated) time between two measurements of a guest's dirty rate */
    public SimulatedDriver(SimulatedFabric fabric, Duration switchover, Duration dirtyRateInterval) {
        this.fabric = fabric;
        this.switchover = switchover;
        this.dirtyRates = new GuestDirtyRates(dirtyRateInterval, GuestDirtyRates.DEFAULT_PERIOD);
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public void startMigration(MigrationOrder order, MigrationListener listener) {
        io.ferry.agent.domain.Guest vm = order.guest();
        Guest guest = Guest.of(vm.name(), ByteSize.mib(vm.memoryMb()), ZERO_PAGE_FRACTION, workload(vm));
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

    /**
     * The guest's last calc-dirty-rate over the model ({@link GuestDirtyRates}): measured again at most every
     * dirty-rate interval of simulated time. A guest without a profile runs (and is measured) as idle.
     */
    @Override
    public Optional<DirtyRateSample> measuredDirtyRate(io.ferry.agent.domain.Guest vm) {
        DirtyRateCalc calc = dirtyRates.measured(vm.uuid(), workload(vm), ByteSize.mib(vm.memoryMb()), fabric.now());
        return Optional.of(sample(calc, fabric.epochMillis(calc.startedAt())));
    }

    static DirtyRateSample sample(DirtyRateCalc calc, long startedAtMillis) {
        return new DirtyRateSample((long) calc.rate().bytesPerSecond(), startedAtMillis, calc.period().toMillis());
    }

    static Workload workload(io.ferry.agent.domain.Guest vm) {
        String profile = vm.workload() == null ? WorkloadProfiles.IDLE : vm.workload();
        return WorkloadProfiles.byName(profile).orElse(WorkloadProfiles.named(WorkloadProfiles.IDLE));
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

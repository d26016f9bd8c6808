package io.ferry.agent.adapter.sim;

import io.ferry.agent.app.HypervisorDriver;
import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.MigrationOrder;
import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.DirtyRateCalc;
import io.ferry.agent.domain.sim.GuestDirtyRates;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The simulated driver of one host whose hypervisor runs in the simulated hypervisor daemon
 * ({@link SimHypervisorServer}) rather than in this process: the guests and their jobs outlive the agent, as
 * QEMU and libvirtd outlive nova-compute.
 */
public class RemoteSimulatedDriver implements HypervisorDriver {

    private final String host;
    private final SimHypervisorClient hypervisor;
    private final GuestDirtyRates dirtyRates;
    private final long wallOrigin = System.currentTimeMillis();
    private final long nanoOrigin = System.nanoTime();

    public RemoteSimulatedDriver(String host, SimHypervisorClient hypervisor) {
        this(host, hypervisor, SimulatedDriver.DEFAULT_DIRTY_RATE_INTERVAL);
    }

    /** @param dirtyRateInterval time between two measurements of a guest's dirty rate */
    public RemoteSimulatedDriver(String host, SimHypervisorClient hypervisor, Duration dirtyRateInterval) {
        this.host = host;
        this.hypervisor = hypervisor;
        this.dirtyRates = new GuestDirtyRates(dirtyRateInterval, GuestDirtyRates.DEFAULT_PERIOD);
        hypervisor.serve(host);
    }

    /**
     * The guest's last calc-dirty-rate over its workload's model, as {@link SimulatedDriver} measures it, on this
     * agent's clock (the daemon's simulated time is not asked for: a measurement over 5 s is the same at any phase
     * of the profiles' cycles).
     */
    @Override
    public Optional<DirtyRateSample> measuredDirtyRate(Guest guest) {
        Duration now = Duration.ofNanos(System.nanoTime() - nanoOrigin);
        DirtyRateCalc calc = dirtyRates.measured(guest.uuid(), SimulatedDriver.workload(guest),
                ByteSize.mib(guest.memoryMb()), now);
        return Optional.of(SimulatedDriver.sample(calc, wallOrigin + calc.startedAt().toMillis()));
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public void startMigration(MigrationOrder order, MigrationListener listener) {
        hypervisor.startMigration(order, listener);
    }

    @Override
    public boolean setMaxDowntime(String migrationUuid, Duration downtime) {
        return hypervisor.command(migrationUuid, "max-downtime", "ms=" + downtime.toMillis());
    }

    @Override
    public boolean switchToPostCopy(String migrationUuid) {
        return hypervisor.command(migrationUuid, "post-copy", null);
    }

    @Override
    public boolean forceComplete(String migrationUuid) {
        return hypervisor.command(migrationUuid, "force-complete", null);
    }

    @Override
    public boolean abort(String migrationUuid) {
        return hypervisor.command(migrationUuid, "abort", null);
    }

    @Override
    public boolean isRunning(String migrationUuid) {
        return hypervisor.running(migrationUuid);
    }

    @Override
    public List<Guest> runningGuests() {
        return hypervisor.guests(host);
    }

    @Override
    public List<Guest> heldGuests() {
        return hypervisor.held(host);
    }

    /** The jobs in flight from or to this host (after a restart of the agent, the ones it must follow again). */
    public List<MigrationOrder> jobs() {
        return hypervisor.jobs(host);
    }

    @Override
    public Optional<String> arrivalProblem(String instanceUuid) {
        return runsHere(instanceUuid) ? Optional.empty()
                : Optional.of("the hypervisor of " + host + " does not run instance " + instanceUuid);
    }

    @Override
    public Optional<String> departureProblem(String instanceUuid) {
        return runsHere(instanceUuid) ? Optional.of("the hypervisor of " + host + " still runs instance " + instanceUuid)
                : Optional.empty();
    }

    private boolean runsHere(String instanceUuid) {
        return runningGuests().stream().anyMatch(g -> g.uuid().equals(instanceUuid));
    }
}

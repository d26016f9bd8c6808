package io.ferry.agent.app;

import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.MigrationOrder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** What a real hypervisor reports about its host (a simulated one reports nothing: its fleet is configured). */
    record HostFacts(String cpuModel, String cpuVendor, List<String> cpuFeatures, List<NumaCell> numaCells,
                     long memoryMb, int vcpus, String libvirtVersion, String hypervisorVersion) {
        public HostFacts {
            cpuFeatures = List.copyOf(cpuFeatures);
            numaCells = List.copyOf(numaCells);
        }
    }

    /** One NUMA cell of a host. */
    record NumaCell(int id, int cpus, long memoryMb) {
    }

    /** The host as the hypervisor sees it; empty when the driver has nothing to report. */
    default Optional<HostFacts> hostFacts() {
        return Optional.empty();
    }

    /** The guests running on the hypervisor now; empty for a driver whose guests are configured. */
    default List<Guest> runningGuests() {
        return List.of();
    }

    /**
     * The guests whose room the hypervisor holds on this host without running them: a guest lost by a failed
     * post-copy, whose memory stays here until it is recovered on this host. Empty for a driver that has none.
     */
    default List<Guest> heldGuests() {
        return List.of();
    }

    /**
     * The guest's memory dirty rate as the hypervisor last measured it (calc-dirty-rate), for drain planning; empty
     * when it was not measured (the inventory then reports 0, unknown).
     */
    default Optional<DirtyRateSample> measuredDirtyRate(Guest guest) {
        return Optional.empty();
    }

    /** The guest's CPU definition as this (source) hypervisor holds it, to be checked on a destination. */
    default Optional<String> guestCpu(String instanceUuid) {
        return Optional.empty();
    }

    /**
     * Why this (destination) host cannot take the guest, checked against the hypervisor itself: its free memory,
     * room in its NUMA cells, a free port for the incoming stream, its CPU (the guest's definition from
     * {@link #guestCpu}, when known). Empty when it can.
     */
    default Optional<String> destinationRefusal(Guest guest, Optional<String> guestCpu) {
        return Optional.empty();
    }

    /**
     * Why the hypervisor cannot be reached now (its daemon stopped answering), asked with a real round trip; empty
     * when it answers. A driver that reconnects does so here, when its backoff allows.
     */
    default Optional<String> connectionProblem() {
        return Optional.empty();
    }

    /** Why the guest is not running on this (destination) hypervisor after its migration; empty when it is. */
    default Optional<String> arrivalProblem(String instanceUuid) {
        return Optional.empty();
    }

    /** Why the guest is still running on this (source) hypervisor after its migration; empty when it is gone. */
    default Optional<String> departureProblem(String instanceUuid) {
        return Optional.empty();
    }
}

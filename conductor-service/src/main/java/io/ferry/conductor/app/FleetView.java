package io.ferry.conductor.app;

import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.drain.DrainCandidate;
import java.util.List;
import java.util.Optional;

/** What the conductor knows of the fleet (from the agents' reports). */
public interface FleetView {

    /** Where an instance runs, and whether that host's compute service is up. */
    record Location(String host, boolean hostUp, Instance instance, String vmState) {
    }

    Optional<Location> locate(String instanceUuid);

    /**
     * A host as its agent last reported it: its NIC, the bandwidth one stream from it was measured to reach
     * ({@link Bandwidth#ZERO}: not measured) and its instances (with their measured dirty rates), for a drain's plan.
     */
    record SourceHost(String host, Bandwidth nic, Bandwidth streamBandwidth, List<DrainCandidate> instances) {

        /** A host whose per-stream bandwidth is not known. */
        public SourceHost(String host, Bandwidth nic, List<DrainCandidate> instances) {
            this(host, nic, Bandwidth.ZERO, instances);
        }
    }

    /** The host called {@code name}, if its agent reported it. */
    default Optional<SourceHost> host(String name) {
        return Optional.empty();
    }
}

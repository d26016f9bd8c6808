package io.ferry.conductor.app;

import io.ferry.conductor.domain.Instance;
import java.util.Optional;

/** What the conductor knows of the fleet (from the agents' reports). */
public interface FleetView {

    /** Where an instance runs, and whether that host's compute service is up. */
    record Location(String host, boolean hostUp, Instance instance, String vmState) {
    }

    Optional<Location> locate(String instanceUuid);
}

package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.FleetView;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.common.InstanceSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet as {@code ferry.host.events} reports it. Remembers the full instance spec of every instance it was asked
 * to locate, so commands carry everything the source reported (CPU, devices) even after the instance moved.
 */
public class DirectoryFleetView implements FleetView {

    private final HostDirectory directory;
    private final Map<String, InstanceSpec> specs = new ConcurrentHashMap<>();

    public DirectoryFleetView(HostDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Optional<Location> locate(String instanceUuid) {
        return directory.placement(instanceUuid).map(p -> {
            InstanceSpec spec = p.instance().getSpec();
            specs.put(instanceUuid, spec);
            boolean up = directory.host(p.host()).map(directory::isUp).orElse(false);
            return new Location(p.host(), up, ConductorMessages.instance(spec), p.instance().getVmState());
        });
    }

    /** The spec last seen for an instance, or null. */
    public InstanceSpec spec(String instanceUuid) {
        return specs.get(instanceUuid);
    }
}

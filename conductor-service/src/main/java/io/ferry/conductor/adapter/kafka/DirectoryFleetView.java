package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.FleetView;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ByteSize;
import io.ferry.conductor.domain.drain.DrainCandidate;
import io.ferry.schemas.common.InstanceSpec;
import io.ferry.schemas.host.HostedInstance;
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
    private final Map<String, String> guestCpus = new ConcurrentHashMap<>();

    public DirectoryFleetView(HostDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Optional<Location> locate(String instanceUuid) {
        return directory.placement(instanceUuid).map(p -> {
            InstanceSpec spec = p.instance().getSpec();
            specs.put(instanceUuid, spec);
            remember(instanceUuid, p.instance());
            boolean up = directory.host(p.host()).map(directory::isUp).orElse(false);
            return new Location(p.host(), up, ConductorMessages.instance(spec), p.instance().getVmState());
        });
    }

    @Override
    public Optional<SourceHost> host(String name) {
        return directory.host(name).map(inventory -> new SourceHost(inventory.getHost(),
                Bandwidth.ofBytesPerSecond(inventory.getNicBandwidthMbps() * 1_000_000L / 8),
                Bandwidth.ofBytesPerSecond(Math.max(0, inventory.getStreamBandwidthBytesPerSec())),
                inventory.getInstances().stream().map(this::candidate).toList()));
    }

    private DrainCandidate candidate(HostedInstance hosted) {
        InstanceSpec spec = hosted.getSpec();
        specs.put(spec.getUuid(), spec);
        remember(spec.getUuid(), hosted);
        return new DrainCandidate(spec.getUuid(), spec.getName(), ByteSize.ofMiB(spec.getMemoryMb()),
                Bandwidth.ofBytesPerSecond(Math.max(0, hosted.getDirtyRateBytesPerSec())), spec.getPciDevices(),
                hosted.getVmState(), hosted.getMigrationUuid() != null);
    }

    private void remember(String instanceUuid, HostedInstance hosted) {
        if (hosted.getGuestCpu() != null) {
            guestCpus.put(instanceUuid, hosted.getGuestCpu());
        }
    }

    /**
     * The guest CPU definition its source reported for an instance (for the destination check): the one seen when
     * the migration located it, else the fleet's current one (after a conductor restart); null when none.
     */
    public String guestCpu(String instanceUuid) {
        String seen = guestCpus.get(instanceUuid);
        return seen != null ? seen
                : directory.placement(instanceUuid).map(p -> p.instance().getGuestCpu()).orElse(null);
    }

    /** The spec last seen for an instance, or null. */
    public InstanceSpec spec(String instanceUuid) {
        return specs.get(instanceUuid);
    }
}

package io.ferry.agent.adapter.libvirt;

import io.ferry.agent.app.HypervisorDriver;
import io.ferry.agent.domain.Guest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one host's libvirt says of itself and of its domains, for {@link LibvirtDriver}: the host's facts, its running
 * guests and their CPUs, whether an incoming guest fits (free memory, NUMA cell room, a free migration port, CPU
 * compatibility), and whether a guest arrived or left (libvirt's last lifecycle event, else a query of the domain).
 */
final class LibvirtHostView {

    private static final Logger log = LoggerFactory.getLogger(LibvirtHostView.class);
    /** {@code VIR_DOMAIN_XML_INACTIVE}: the persistent definition rather than the running one. */
    private static final int VIR_DOMAIN_XML_INACTIVE = 2;

    private final LibvirtSettings settings;
    private final LibvirtConnection connection;
    private final Map<String, LibvirtEvents.Lifecycle> lifecycle;

    /**
     * @param lifecycle each domain's last lifecycle event on this host, as the driver's event listener keeps them
     */
    LibvirtHostView(LibvirtSettings settings, LibvirtConnection connection,
                    Map<String, LibvirtEvents.Lifecycle> lifecycle) {
        this.settings = settings;
        this.connection = connection;
        this.lifecycle = lifecycle;
    }

    HypervisorDriver.HostFacts facts() {
        return call("read the host's capabilities", null, c -> {
            LibvirtXml.HostCpu cpu = LibvirtXml.hostCpu(c.getCapabilities());
            NodeInfo node = c.nodeInfo();
            return new HypervisorDriver.HostFacts(cpu.model(), cpu.vendor(), cpu.features(), cpu.cells(),
                    node.memory / 1024, node.cpus, version(c.getLibVersion()), version(c.getVersion()));
        });
    }

    List<Guest> runningGuests() {
        return call("list the running domains", null, c -> {
            List<Guest> guests = new ArrayList<>();
            for (int id : c.listDomains()) {
                try {
                    Domain domain = c.domainLookupByID(id);
                    DomainInfo info = domain.getInfo();
                    guests.add(new Guest(domain.getUUIDString(), domain.getName(), "unknown", "unknown", "libvirt",
                            Math.max(1, info.memory / 1024), info.nrVirtCpu, 0, null, List.of(),
                            guestCpu(domain).orElse(null)));
                } catch (LibvirtException e) {
                    log.debug("domain {} vanished while listing: {}", id, e.getMessage());
                }
            }
            return guests;
        });
    }

    Optional<String> guestCpu(String instanceUuid) {
        return call("read the domain's CPU", instanceUuid, c -> guestCpu(c.domainLookupByUUIDString(instanceUuid)));
    }

    /**
     * The CPU a destination must provide, as Nova checks a guest's {@code vcpu_model}: the persistent definition's
     * {@code <cpu>} when it names a model (what the guest was configured with and boots with, and what
     * PERSIST_DEST installs on the destination), else the running domain's (libvirt expands {@code host-model}
     * there into the model and features the guest really got). Empty for {@code host-passthrough}.
     */
    private static Optional<String> guestCpu(Domain domain) throws LibvirtException {
        if (domain.isPersistent() == 1) {
            Optional<String> defined = LibvirtXml.comparableCpu(domain.getXMLDesc(VIR_DOMAIN_XML_INACTIVE));
            if (defined.isPresent()) {
                return defined;
            }
        }
        return LibvirtXml.comparableCpu(domain.getXMLDesc(0));
    }

    Optional<String> destinationRefusal(Guest guest, Optional<String> guestCpu) {
        return call("check the destination", guest.uuid(), c -> {
            long freeBytes = c.getFreeMemory();
            if (guest.memoryBytes() > freeBytes) {
                return Optional.of("not enough free memory on " + settings.hostName() + ": instance needs "
                        + guest.memoryMb() + " MiB, the hypervisor has " + freeBytes / (1024 * 1024) + " MiB free");
            }
            Optional<String> numa = DestinationRoom.numaRefusal(settings.hostName(), guest.uuid(), guest.memoryBytes(),
                    cellsFreeMemory(c), settings.numaStrict());
            if (numa.isPresent()) {
                return numa;
            }
            Optional<String> port = DestinationRoom.portRefusal(settings.hostName(), settings.incomingPortMin(),
                    settings.incomingPortMax());
            if (port.isPresent()) {
                return port;
            }
            if (guestCpu.isEmpty()) {
                return Optional.empty();
            }
            int rc = LibvirtNative.LIB.virConnectCompareHypervisorCPU(c.pointer(), null, null, null,
                    settings.virtType(), guestCpu.get(), LibvirtNative.VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE);
            if (rc < 0 || rc == LibvirtNative.VIR_CPU_COMPARE_INCOMPATIBLE) {
                // Nova's words for it (InvalidCPUInfo), then libvirt's, which name the missing features
                String reason = rc < 0 ? LibvirtNative.LIB.virGetLastErrorMessage() : "incompatible";
                log.info("{} refuses instance {}: its CPU is not compatible: {}", settings.hostName(), guest.uuid(),
                        reason);
                return Optional.of("Unacceptable CPU info: CPU doesn't have compatibility: the CPU of instance "
                        + guest.uuid() + " is not compatible with the hypervisor of " + settings.hostName() + " ("
                        + settings.virtType() + "): " + reason);
            }
            return Optional.<String>empty();
        });
    }

    /** Free memory of each NUMA cell (bytes); none when the host reports no NUMA topology. */
    private static long[] cellsFreeMemory(NativeConnect c) throws LibvirtException {
        int cells = LibvirtXml.hostCpu(c.getCapabilities()).cells().size();
        long[] free = new long[cells];
        if (cells > 0 && LibvirtNative.LIB.virNodeGetCellsFreeMemory(c.pointer(), free, 0, cells) != cells) {
            throw new LibvirtCallFailed("cannot read the NUMA cells' free memory: "
                    + LibvirtNative.LIB.virGetLastErrorMessage());
        }
        return free;
    }

    /**
     * Confirmed by libvirt's last lifecycle event when it says the domain started or resumed here (an incoming
     * migration ends with RESUMED); otherwise, or with no event seen, by asking libvirt about the domain.
     */
    Optional<String> arrivalProblem(String instanceUuid) {
        LibvirtEvents.Lifecycle seen = lifecycle.get(instanceUuid);
        if (seen != null && seen.runs()) {
            log.debug("instance {} runs on {}: libvirt reported it {}", instanceUuid, settings.hostName(), seen.name());
            return Optional.empty();
        }
        String event = seen == null ? "" : " (libvirt reported it " + seen.name() + ")";
        return call("confirm the arrival", instanceUuid, c -> {
            Optional<Domain> domain = lookup(c, instanceUuid);
            if (domain.isEmpty()) {
                return Optional.of("instance " + instanceUuid + " is not defined on " + settings.hostName() + event);
            }
            return isActive(domain.get()) ? Optional.<String>empty()
                    : Optional.of("instance " + instanceUuid + " is defined on " + settings.hostName()
                    + " but not running" + event);
        });
    }

    /**
     * Confirmed by libvirt's last lifecycle event when it says the domain stopped (migrated), was undefined or
     * crashed here; otherwise, or with no event seen, by asking libvirt about the domain.
     */
    Optional<String> departureProblem(String instanceUuid) {
        LibvirtEvents.Lifecycle seen = lifecycle.get(instanceUuid);
        if (seen != null && seen.gone()) {
            log.debug("instance {} left {}: libvirt reported it {}", instanceUuid, settings.hostName(), seen.name());
            return Optional.empty();
        }
        return call("confirm the departure", instanceUuid, c -> {
            Optional<Domain> domain = lookup(c, instanceUuid);
            return domain.isPresent() && isActive(domain.get())
                    ? Optional.of("instance " + instanceUuid + " still runs on " + settings.hostName())
                    : Optional.<String>empty();
        });
    }

    /** Whether the domain runs; false too when it was undefined since it was looked up (a migration just ended). */
    private static boolean isActive(Domain domain) throws LibvirtException {
        try {
            return domain.isActive() == 1;
        } catch (LibvirtException e) {
            if (noDomain(e)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean noDomain(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == org.libvirt.Error.ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    /** The domain, or empty when libvirt does not know it ({@code VIR_ERR_NO_DOMAIN}). */
    private static Optional<Domain> lookup(NativeConnect c, String uuid) throws LibvirtException {
        try {
            return Optional.of(c.domainLookupByUUIDString(uuid));
        } catch (LibvirtException e) {
            if (noDomain(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface LibvirtCall<T> {
        T apply(NativeConnect connect) throws LibvirtException;
    }

    private <T> T call(String what, String instanceUuid, LibvirtCall<T> call) {
        NativeConnect connect = connection.get();
        try {
            return call.apply(connect);
        } catch (LibvirtException e) {
            connection.checkAnswers(connect);
            log.warn("libvirt at {} cannot {}{}: {}", settings.uri(), what,
                    instanceUuid == null ? "" : " of " + instanceUuid, e.getMessage());
            throw new LibvirtCallFailed(e.getMessage());
        }
    }

    private static String version(long packed) {
        return packed / 1_000_000 + "." + packed / 1000 % 1000 + "." + packed % 1000;
    }
}

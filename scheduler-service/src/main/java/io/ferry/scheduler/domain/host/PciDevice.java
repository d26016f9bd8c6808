package io.ferry.scheduler.domain.host;

import java.util.Objects;

/** A PCI or SR-IOV device of the host: address, vendor/product ids, type, NUMA node, physnet, free or not. */
public record PciDevice(String address, String vendorId, String productId, PciDeviceType type,
        int numaNode, String physicalNetwork, boolean allocated) {

    public PciDevice {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
    }
}

package io.ferry.scheduler.domain.request;

/** The kind of a guest device as far as live migration cares. */
public enum DeviceKind {
    /** Emulated or paravirtual (virtio NIC, disk, ...): migrates with the guest. */
    VIRTUAL(true),
    /** A whole PCI device passed through ({@code pci_passthrough:alias}). */
    PCI_PASSTHROUGH(false),
    /** An SR-IOV virtual function ({@code vnic_type=direct}). */
    SRIOV_VF(false),
    /** An SR-IOV physical function ({@code vnic_type=direct-physical}). */
    SRIOV_PF(false);

    private final boolean liveMigratable;

    DeviceKind(boolean liveMigratable) {
        this.liveMigratable = liveMigratable;
    }

    public boolean liveMigratable() {
        return liveMigratable;
    }
}

package io.ferry.scheduler.domain.host;

/** PCI device types as Nova's PCI tracker names them. */
public enum PciDeviceType {
    TYPE_PCI,
    TYPE_PF,
    TYPE_VF
}

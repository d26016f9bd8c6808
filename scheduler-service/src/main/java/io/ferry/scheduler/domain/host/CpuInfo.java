package io.ferry.scheduler.domain.host;

import io.ferry.scheduler.domain.CpuFeatures;
import java.util.Objects;

/** The host's physical CPU as libvirt reports it: architecture, vendor, model, feature flags. */
public record CpuInfo(String arch, String vendor, String model, CpuFeatures features) {

    public CpuInfo {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(features, "features");
    }
}

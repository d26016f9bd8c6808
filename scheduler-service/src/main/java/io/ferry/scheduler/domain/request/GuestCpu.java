package io.ferry.scheduler.domain.request;

import io.ferry.scheduler.domain.CpuFeatures;
import java.util.Objects;

/**
 * The CPU the guest was started with: for host-model the source host's model and features, for
 * custom the configured model's features (plus extra flags), for host-passthrough the source host's
 * exact model and features.
 */
public record GuestCpu(CpuMode mode, String arch, String vendor, String model, CpuFeatures features) {

    public GuestCpu {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(features, "features");
    }
}

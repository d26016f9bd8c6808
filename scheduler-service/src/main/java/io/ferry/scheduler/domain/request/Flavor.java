package io.ferry.scheduler.domain.request;

import io.ferry.scheduler.domain.Resources;
import java.util.Map;
import java.util.Objects;

/** The instance's flavor: its size and extra specs. */
public record Flavor(String name, int vcpus, long ramMb, long diskGb, Map<String, String> extraSpecs) {

    public Flavor {
        Objects.requireNonNull(name, "name");
        if (vcpus <= 0 || ramMb <= 0 || diskGb < 0) {
            throw new IllegalArgumentException("invalid flavor " + name);
        }
        extraSpecs = Map.copyOf(extraSpecs);
    }

    public Resources resources() {
        return new Resources(vcpus, ramMb, diskGb);
    }
}

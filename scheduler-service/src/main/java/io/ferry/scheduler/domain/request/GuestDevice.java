package io.ferry.scheduler.domain.request;

import java.util.Objects;

/** A device attached to the guest, e.g. a port or a passed-through GPU. */
public record GuestDevice(String name, DeviceKind kind) {

    public GuestDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}

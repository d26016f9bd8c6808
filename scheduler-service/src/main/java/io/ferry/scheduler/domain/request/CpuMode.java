package io.ferry.scheduler.domain.request;

/** libvirt's {@code cpu_mode} for the guest, as Nova's {@code [libvirt] cpu_mode}. */
public enum CpuMode {
    /** Guest CPU = the source host's model and features at boot time. */
    HOST_MODEL,
    /** Guest sees the host CPU as is: migratable only to an identical model with identical features. */
    HOST_PASSTHROUGH,
    /** A named model ({@code Westmere}, {@code Skylake-Server}) plus optional extra flags. */
    CUSTOM
}

package io.ferry.scheduler.domain;

/**
 * A bundle of the three scheduled resource classes, in Nova's units: vCPUs, RAM in MiB ("MB" in
 * Nova's names), disk in GiB ("GB").
 */
public record Resources(int vcpus, long ramMb, long diskGb) {

    public static final Resources ZERO = new Resources(0, 0, 0);

    public Resources {
        if (vcpus < 0 || ramMb < 0 || diskGb < 0) {
            throw new IllegalArgumentException(
                    "negative resources: vcpus=" + vcpus + " ramMb=" + ramMb + " diskGb=" + diskGb);
        }
    }

    public Resources plus(Resources other) {
        return new Resources(vcpus + other.vcpus, ramMb + other.ramMb, diskGb + other.diskGb);
    }

    /** Subtracts, flooring each class at zero (a replayed release never drives usage negative). */
    public Resources minusFloorZero(Resources other) {
        return new Resources(
                Math.max(0, vcpus - other.vcpus),
                Math.max(0, ramMb - other.ramMb),
                Math.max(0, diskGb - other.diskGb));
    }

    public boolean isZero() {
        return vcpus == 0 && ramMb == 0 && diskGb == 0;
    }

    @Override
    public String toString() {
        return vcpus + " vCPU, " + ramMb + " MB RAM, " + diskGb + " GB disk";
    }
}

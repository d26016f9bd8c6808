package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.time.Instant;

/**
 * The guest's dirty rate as the hypervisor measured it apart from the migration stream (QEMU's calc-dirty-rate,
 * libvirt's {@code virDomainStartDirtyRateCalc}): the distinct memory dirtied over {@code period}, per second. It is
 * known seconds after the stream starts, while QEMU's own rate in the job statistics is known only once the first
 * pass is over. Being a count of distinct pages, it is at most the writable working set over the period.
 *
 * @param rate      the measured dirty rate
 * @param startedAt when the measurement started (the agent's clock, as the reading's time)
 * @param period    how long it measured
 */
public record MeasuredDirtyRate(Bandwidth rate, Instant startedAt, Duration period) {

    public MeasuredDirtyRate {
        if (rate == null || startedAt == null || period == null || !period.isPositive()) {
            throw new IllegalArgumentException("a measured dirty rate needs a rate, a start and a positive period");
        }
    }

    /** The memory it proves the guest dirties at least once per period: rate x period. */
    public double bytesPerPeriod() {
        return rate.bytesPerSecond() * (period.toNanos() / 1e9);
    }
}

package io.ferry.agent.domain.sim;

import java.time.Duration;

/**
 * QEMU's {@code calc-dirty-rate} on a guest, as libvirt reports it in the {@code dirtyrate.*} domain stats
 * ({@code virDomainStartDirtyRateCalc}, then {@code calc_status}, {@code calc_start_time}, {@code calc_period},
 * {@code megabytes_per_second}).
 *
 * <p>The measurement counts the distinct bytes the guest dirties during the period, independently of any migration
 * (QEMU's page-sampling mode hashes a sample of pages at the start and at the end and scales the share that changed to
 * the guest's memory; the simulator takes the expectation of that sample): at most the writable working set W however
 * fast the guest writes, so a hot set smaller than rate x period saturates and the result is min(D x period, W) /
 * period. A guest paused or running on the destination dirties nothing here. The rate is QEMU's: whole MiB/s,
 * rounded down.
 *
 * @param status    {@link Status#MEASURING} until the period has passed, then {@link Status#MEASURED}
 * @param startedAt simulated time the measurement started
 * @param period    how long it measures (QEMU's {@code calc-time}: 1 to 60 s)
 * @param rate      the measured dirty rate; {@link Bandwidth#ZERO} while measuring
 */
public record DirtyRateCalc(Status status, Duration startedAt, Duration period, Bandwidth rate) {

    /** QEMU's shortest and longest {@code calc-time}. */
    public static final Duration SHORTEST = Duration.ofSeconds(1);
    public static final Duration LONGEST = Duration.ofSeconds(60);

    /** libvirt's {@code dirtyrate.calc_status}: 1 measuring, 2 measured. */
    public enum Status { MEASURING, MEASURED }

    /** Whether a period is one QEMU accepts. */
    public static boolean validPeriod(Duration period) {
        return period.compareTo(SHORTEST) >= 0 && period.compareTo(LONGEST) <= 0;
    }

    /**
     * A completed calc-dirty-rate of a guest running {@code workload} on {@code ram} of memory, over {@code period}
     * from {@code startedAt}, unthrottled: the distinct bytes it dirtied (at most its writable working set) per second.
     */
    public static DirtyRateCalc measured(Workload workload, ByteSize ram, Duration startedAt, Duration period) {
        if (!validPeriod(period)) {
            throw new IllegalArgumentException("calc-time must be 1 to 60 s: " + period);
        }
        double from = Seconds.of(startedAt);
        double seconds = Seconds.of(period);
        double workingSet = Math.min(workload.workingSet().bytes(), ram.bytes());
        double dirtied = Math.min(workingSet, workload.dirtying().bytesBetween(from, from + seconds));
        return new DirtyRateCalc(Status.MEASURED, startedAt, period, qemuRate(dirtied, seconds));
    }

    /** QEMU's figure: {@code bytes} dirtied over {@code seconds}, in whole MiB/s rounded down. */
    static Bandwidth qemuRate(double bytes, double seconds) {
        long mibPerSecond = (long) Math.floor(bytes / (1024.0 * 1024.0) / seconds + 1e-9);
        return Bandwidth.mibPerSecond(mibPerSecond);
    }
}

package io.ferry.agent.domain.sim;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The dirty rates a simulated host reports for its guests: a calc-dirty-rate of each guest's workload over
 * {@code period}, taken again at most every {@code interval} of host (simulated) time; between two, the last result
 * is reported. The model knows what the guest did, so a measurement is taken over the period that just ended
 * (a real host starts one and reads it a period later). Thread-safe.
 *
 * @see DirtyRateCalc#measured
 */
public final class GuestDirtyRates {

    /**
     * How long each measurement counts: 5 s averages a burst cycle of a few seconds (the bursty profile's is 5 s)
     * while a working set of a few hundred MiB does not yet saturate it.
     */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

    private final Duration interval;
    private final Duration period;
    private final Map<String, DirtyRateCalc> last = new HashMap<>();

    public GuestDirtyRates(Duration interval, Duration period) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the dirty rate interval must be positive: " + interval);
        }
        if (!DirtyRateCalc.validPeriod(period)) {
            throw new IllegalArgumentException("calc-time must be 1 to 60 s: " + period);
        }
        this.interval = interval;
        this.period = period;
    }

    /** The guest's last measurement at host time {@code now}: a new one when none was taken within the interval. */
    public synchronized DirtyRateCalc measured(String guest, Workload workload, ByteSize ram, Duration now) {
        DirtyRateCalc previous = last.get(guest);
        if (previous == null || now.compareTo(previous.startedAt().plus(interval)) >= 0) {
            previous = DirtyRateCalc.measured(workload, ram, now.minus(period), period);
            last.put(guest, previous);
        }
        return previous;
    }
}

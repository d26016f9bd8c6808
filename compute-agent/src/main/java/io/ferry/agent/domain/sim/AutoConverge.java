package io.ferry.agent.domain.sim;

/**
 * QEMU's auto-converge rule ({@code migration_trigger_throttle} in ram.c), a pure value.
 *
 * <p>At a dirty sync that closes a period (periods last at least one second), if the bytes dirtied
 * in the period exceed {@value #TRIGGER_PERCENT}% of the bytes sent in it, count a high period;
 * on every second high period (the count need not be consecutive, and is reset when it throttles)
 * throttle the guest: first to {@value #INITIAL_PERCENT}%, then +{@value #INCREMENT_PERCENT}% each
 * time, at most {@value #MAX_PERCENT}%. Reaching {@value #MAX_PERCENT}% takes throttle steps 20, 30,
 * ..., 90, 99: nine steps, that is {@value #HIGH_PERIODS_TO_MAX} high periods.
 *
 * @param highPeriods     high periods counted since the last throttle step (0 or 1)
 * @param throttlePercent current throttle, 0 when inactive
 */
public record AutoConverge(int highPeriods, int throttlePercent) {

    public static final int TRIGGER_PERCENT = 50;
    public static final int INITIAL_PERCENT = 20;
    public static final int INCREMENT_PERCENT = 10;
    public static final int MAX_PERCENT = 99;
    public static final int HIGH_PERIODS_TO_MAX = 18;

    public static final AutoConverge INACTIVE = new AutoConverge(0, 0);

    /** The state after a period in which {@code dirtied} bytes were dirtied and {@code sent} sent. */
    public AutoConverge afterPeriod(double dirtied, double sent) {
        if (!(dirtied > sent * TRIGGER_PERCENT / 100.0)) {
            return this;
        }
        if (highPeriods + 1 < 2) {
            return new AutoConverge(highPeriods + 1, throttlePercent);
        }
        int next = throttlePercent == 0 ? INITIAL_PERCENT : Math.min(throttlePercent + INCREMENT_PERCENT, MAX_PERCENT);
        return new AutoConverge(0, next);
    }

    /** p as a fraction: the guest runs (1 - p) of the time, so it dirties memory (1 - p) as fast. */
    public double throttle() {
        return throttlePercent / 100.0;
    }
}

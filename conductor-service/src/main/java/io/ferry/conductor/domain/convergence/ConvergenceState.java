package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a policy already did and observed for one migration: passed into every decision and
 * returned, changed, with its outcome. Immutable; the caller stores it with the migration.
 *
 * @param guest what the migration moves (sizes the ramp and the timeouts)
 * @param startedAt when the migration stream started
 * @param downtimeLimit the max downtime the policy set last; {@link Duration#ZERO} while the
 *        hypervisor's default is in force
 * @param autoConvergeEnabled auto-converge was asked for
 * @param postCopyRequested the switch to post-copy was asked for
 * @param forceCompleteRequested the guest was paused to force completion
 * @param timeoutActionTaken the completion timeout has fired (it fires once)
 * @param aborted an abort was asked for; nothing else is decided afterwards
 * @param iteration the memory iteration of the last reading (0 before any reading)
 * @param iterationStartRemaining remaining memory when the current iteration began (its pass size)
 * @param lastRemaining remaining data (memory and disk) at the last reading, {@code null} before any
 * @param smallestPass the smallest memory pass seen so far, {@code null} before any reading
 * @param lastProgressAt when the migration last made progress (or the start): during the first
 *        pass, remaining memory fell; afterwards, a pass began that is smaller than every earlier one
 * @param cannotConvergeSince since when every reading forecast that pre-copy cannot converge;
 *        {@code null} while it can
 * @param fullThrottle when auto-converge was first seen throttling at its maximum, {@code null} before
 * @param passTiming when the current pass was first seen, and how long the previous one lasted
 */
public record ConvergenceState(
        GuestFootprint guest,
        Instant startedAt,
        Duration downtimeLimit,
        boolean autoConvergeEnabled,
        boolean postCopyRequested,
        boolean forceCompleteRequested,
        boolean timeoutActionTaken,
        boolean aborted,
        long iteration,
        ByteSize iterationStartRemaining,
        ByteSize lastRemaining,
        ByteSize smallestPass,
        Instant lastProgressAt,
        Instant cannotConvergeSince,
        FullThrottle fullThrottle,
        PassTiming passTiming) {

    /**
     * Pass boundaries as the readings show them: when the current memory iteration was first seen, and the time
     * between the first sightings of the previous one and this one ({@link Duration#ZERO} before any). The dirty rate
     * that a reading carries is measured over the last completed sync period, that is, over (about) the previous pass.
     */
    public record PassTiming(Instant seenAt, Duration last) {
    }

    /**
     * The first reading that showed the throttle at its maximum: its time and memory iteration. The dirty rate a
     * reading carries was measured over the last completed sync period, so it shows the full throttle only a
     * complete pass later.
     */
    public record FullThrottle(Instant since, long iteration) {
    }

    public ConvergenceState {
        if (guest == null || startedAt == null || downtimeLimit == null || iterationStartRemaining == null
                || lastProgressAt == null || passTiming == null) {
            throw new IllegalArgumentException("guest, start, downtime limit, progress time and pass timing are required");
        }
    }

    /** The state of a migration whose stream starts at {@code startedAt}: nothing done yet. */
    public static ConvergenceState begin(GuestFootprint guest, Instant startedAt) {
        return new ConvergenceState(guest, startedAt, Duration.ZERO, false, false, false, false, false,
                0, ByteSize.ZERO, null, null, startedAt, null, null, new PassTiming(startedAt, Duration.ZERO));
    }

    /** The max downtime the policy set, if it set one. */
    public Optional<Duration> downtimeSet() {
        return downtimeLimit.isZero() ? Optional.empty() : Optional.of(downtimeLimit);
    }

    /**
     * Records a reading's progress figures: the iteration and its pass size, the last remaining
     * data and the progress clock. Progress means: in the first pass, remaining memory fell since
     * the last reading; later, a new pass began that is smaller than every earlier pass. (Remaining
     * memory is a saw-tooth, near zero at the end of every pass, so its lowest value says nothing.)
     */
    public ConvergenceState observe(ProgressReading reading) {
        ByteSize remaining = reading.totalRemaining();
        long newIteration = reading.iteration();
        boolean newPass = newIteration != iteration;
        ByteSize passSize;
        if (newIteration <= 1) {
            passSize = reading.memoryTotal();
        } else if (newPass) {
            passSize = ByteSize.max(reading.memoryRemaining(), predictedPass(reading));
        } else {
            passSize = ByteSize.max(iterationStartRemaining, reading.memoryRemaining());
        }
        boolean progressed = newPass
                ? smallestPass == null || passSize.isLessThan(smallestPass)
                : newIteration <= 1 && lastRemaining != null && remaining.isLessThan(lastRemaining);
        ByteSize smallest = smallestPass == null || passSize.isLessThan(smallestPass) ? passSize : smallestPass;
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, newIteration, passSize, remaining,
                smallest, progressed ? reading.readAt() : lastProgressAt, cannotConvergeSince, fullThrottle,
                newPass ? new PassTiming(reading.readAt(), Duration.between(passTiming.seenAt(), reading.readAt()))
                        : passTiming);
    }

    /**
     * The size the pre-copy model gives the reading's pass: the previous pass times (D/B) for every
     * pass since, capped at the guest's memory. Remaining memory alone underestimates a pass by what
     * was sent of it before the reading; with passes shorter than the reading interval, a lot.
     */
    private ByteSize predictedPass(ProgressReading reading) {
        if (reading.bandwidth().isZero()) {
            return ByteSize.ZERO;
        }
        double previous = iteration <= 1 ? reading.memoryTotal().bytes() : iterationStartRemaining.bytes();
        double ratio = (double) reading.dirtyRate().bytesPerSecond() / reading.bandwidth().bytesPerSecond();
        long passes = Math.max(1, reading.iteration() - Math.max(iteration, 1));
        double predicted = Math.min(reading.memoryTotal().bytes(), previous * Math.pow(ratio, passes));
        return ByteSize.ofBytes((long) predicted);
    }

    public ConvergenceState withDowntimeLimit(Duration value) {
        return new ConvergenceState(guest, startedAt, value, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, smallestPass, lastProgressAt, cannotConvergeSince, fullThrottle, passTiming);
    }

    public ConvergenceState withAutoConvergeEnabled() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, true, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, smallestPass, lastProgressAt, cannotConvergeSince, fullThrottle, passTiming);
    }

    public ConvergenceState withPostCopyRequested() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, true,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, smallestPass, lastProgressAt, cannotConvergeSince, fullThrottle, passTiming);
    }

    public ConvergenceState withForceCompleteRequested() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                true, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, smallestPass, lastProgressAt, cannotConvergeSince, fullThrottle, passTiming);
    }

    public ConvergenceState withTimeoutActionTaken() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, true, aborted, iteration, iterationStartRemaining,
                lastRemaining, smallestPass, lastProgressAt, cannotConvergeSince, fullThrottle, passTiming);
    }

    public ConvergenceState withAborted() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, true, iteration, iterationStartRemaining,
                lastRemaining, smallestPass, lastProgressAt, cannotConvergeSince, fullThrottle, passTiming);
    }

    /** Restarts the stall clock, e.g. after an escalation that deserves time to work. */
    public ConvergenceState withProgressClockRestartedAt(Instant now) {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, smallestPass, now, cannotConvergeSince, fullThrottle, passTiming);
    }

    public ConvergenceState withCannotConvergeSince(Instant value) {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, smallestPass, lastProgressAt, value, fullThrottle, passTiming);
    }

    public ConvergenceState withFullThrottle(FullThrottle value) {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, smallestPass, lastProgressAt, cannotConvergeSince, value, passTiming);
    }
}

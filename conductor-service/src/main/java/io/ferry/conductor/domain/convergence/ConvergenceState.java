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
 * @param lowestRemaining lowest remaining data seen so far, {@code null} before any reading
 * @param lastProgressAt when remaining data last reached a new low (or the start)
 * @param cannotConvergeSince since when every reading forecast that pre-copy cannot converge;
 *        {@code null} while it can
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
        ByteSize lowestRemaining,
        Instant lastProgressAt,
        Instant cannotConvergeSince) {

    public ConvergenceState {
        if (guest == null || startedAt == null || downtimeLimit == null || iterationStartRemaining == null
                || lastProgressAt == null) {
            throw new IllegalArgumentException("guest, start, downtime limit and progress time are required");
        }
    }

    /** The state of a migration whose stream starts at {@code startedAt}: nothing done yet. */
    public static ConvergenceState begin(GuestFootprint guest, Instant startedAt) {
        return new ConvergenceState(guest, startedAt, Duration.ZERO, false, false, false, false, false,
                0, ByteSize.ZERO, null, null, startedAt, null);
    }

    /** The max downtime the policy set, if it set one. */
    public Optional<Duration> downtimeSet() {
        return downtimeLimit.isZero() ? Optional.empty() : Optional.of(downtimeLimit);
    }

    /**
     * Records a reading's progress figures: iteration and its pass size, last and lowest remaining
     * data, and the time of the last new low (the stall clock).
     */
    public ConvergenceState observe(ProgressReading reading) {
        ByteSize remaining = reading.totalRemaining();
        long newIteration = reading.iteration();
        ByteSize passSize = newIteration != iteration
                ? reading.memoryRemaining()
                : ByteSize.max(iterationStartRemaining, reading.memoryRemaining());
        boolean newLow = lowestRemaining == null || remaining.isLessThan(lowestRemaining);
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, newIteration, passSize, remaining,
                newLow ? remaining : lowestRemaining, newLow ? reading.readAt() : lastProgressAt,
                cannotConvergeSince);
    }

    public ConvergenceState withDowntimeLimit(Duration value) {
        return new ConvergenceState(guest, startedAt, value, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, lowestRemaining, lastProgressAt, cannotConvergeSince);
    }

    public ConvergenceState withAutoConvergeEnabled() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, true, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, lowestRemaining, lastProgressAt, cannotConvergeSince);
    }

    public ConvergenceState withPostCopyRequested() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, true,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, lowestRemaining, lastProgressAt, cannotConvergeSince);
    }

    public ConvergenceState withForceCompleteRequested() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                true, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, lowestRemaining, lastProgressAt, cannotConvergeSince);
    }

    public ConvergenceState withTimeoutActionTaken() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, true, aborted, iteration, iterationStartRemaining,
                lastRemaining, lowestRemaining, lastProgressAt, cannotConvergeSince);
    }

    public ConvergenceState withAborted() {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, true, iteration, iterationStartRemaining,
                lastRemaining, lowestRemaining, lastProgressAt, cannotConvergeSince);
    }

    /** Restarts the stall clock, e.g. after an escalation that deserves time to work. */
    public ConvergenceState withProgressClockRestartedAt(Instant now) {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, lastRemaining, now, cannotConvergeSince);
    }

    public ConvergenceState withCannotConvergeSince(Instant value) {
        return new ConvergenceState(guest, startedAt, downtimeLimit, autoConvergeEnabled, postCopyRequested,
                forceCompleteRequested, timeoutActionTaken, aborted, iteration, iterationStartRemaining,
                lastRemaining, lowestRemaining, lastProgressAt, value);
    }
}

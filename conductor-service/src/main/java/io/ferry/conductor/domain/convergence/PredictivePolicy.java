package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Ferry's default convergence policy: forecast pre-copy from the measured dirty rate and bandwidth
 * ({@link PreCopyForecast}) and act as soon as the answer is known, instead of after a timetable.
 *
 * <p>On every pre-copy reading:
 * <ol>
 *   <li>the completion timeout still applies, exactly as in Nova ({@link CompletionTimeout});</li>
 *   <li>if some limit no higher than {@code maxDowntime - switchoverCost} converges within
 *       {@value #PLANNING_PASSES} passes and before the completion timeout, set the smallest such
 *       limit (never below Nova's first step, {@code downtime / steps}); if one converges only in more
 *       passes, set the ceiling (the earliest switchover allowed), unless auto-converge is throttling and can
 *       throttle more: then keep the limit, since the throttle shrinks the passes. The limit is not raised
 *       on a reading whose remaining data grew within the pass (the measured dirty rate is stale then), and it
 *       never decreases;</li>
 *   <li>if no allowed limit converges (the dirty rate is at or above the bandwidth, or the pass that
 *       would remain needs more than the ceiling) on every reading for {@link #CONFIRMATION} (or on two
 *       readings in a row when the dirty rate they carry was measured over a pass at least that long: the
 *       first pass of a large guest), escalate:
 *       auto-converge if permitted, else post-copy if permitted (once the first full pass is done),
 *       else abort with "cannot converge: dirty rate X &gt;= bandwidth Y"; once throttling is on,
 *       abort only when it is at the maximum ({@value #MAX_THROTTLE_PERCENT} %) and a dirty rate measured under
 *       the maximum still says so (two passes and {@link #CONFIRMATION} after it was first seen);</li>
 *   <li>during the first pass, before QEMU's own dirty rate is known, the guest's dirty rate measured apart from
 *       the stream ({@link MeasuredDirtyRate}, calc-dirty-rate) answers the same question when it proves that no
 *       allowed limit converges (at least the bandwidth, over more memory per measurement than the ceiling lets pass):
 *       held for {@link #CONFIRMATION}, it escalates the same way;</li>
 *   <li>the stall rule backs the forecast up: no progress for {@code progressStall} escalates the
 *       same way; a stall with no bandwidth at all aborts at once (post-copy over a dead link would
 *       lose the guest).</li>
 * </ol>
 * In post-copy nothing is decided; while paused for force-complete only the timeout bookkeeping runs.
 */
public record PredictivePolicy() implements ConvergencePolicy {

    /** How long a "cannot converge" forecast must hold before acting on it: bursts are not trends. */
    public static final Duration CONFIRMATION = Duration.ofSeconds(5);
    /** Plans that need more passes than this are treated as slow and get the ceiling limit. */
    public static final int PLANNING_PASSES = 30;
    /** QEMU's default {@code max-cpu-throttle}. */
    public static final int MAX_THROTTLE_PERCENT = 99;

    @Override
    public Outcome start(GuestFootprint guest, Instant startedAt, ConvergenceSettings settings) {
        return Outcome.of(ConvergenceState.begin(guest, startedAt), new Decision.Continue(String.format(Locale.ROOT,
                "pre-copy started: predictive policy, max downtime %d ms (switchover cost %d ms), auto-converge %s, post-copy %s",
                settings.maxDowntime().toMillis(), settings.switchoverCost().toMillis(),
                permitted(settings.liveMigrationPermitAutoConverge()), permitted(settings.liveMigrationPermitPostCopy()))));
    }

    @Override
    public Outcome decide(ConvergenceState state, ProgressReading reading, ConvergenceSettings settings) {
        if (state.aborted()) {
            return Outcome.of(state, new Decision.Continue("abort already requested; waiting for the job to end"));
        }
        if (reading.phase() == MigrationPhase.POST_COPY || state.postCopyRequested()) {
            return Outcome.of(state.observe(reading), new Decision.Continue(
                    "post-copy: the guest runs on the destination; " + reading.totalRemaining() + " left to pull"));
        }
        ConvergenceState next = markFullThrottle(state.observe(reading), reading);

        Optional<CompletionTimeout> timeout = CompletionTimeout.of(next.guest(), settings);
        if (timeout.isPresent() && !next.timeoutActionTaken() && timeout.get().expired(reading.elapsed())) {
            return timeout.get().fire(next, reading, settings);
        }
        if (reading.phase() == MigrationPhase.PAUSED || next.forceCompleteRequested()) {
            return Outcome.of(next, new Decision.Continue(
                    "guest paused to force completion; " + reading.totalRemaining() + " remaining"));
        }
        if (reading.bandwidth().isZero()) {
            return stallCheck(next, reading, settings).orElseGet(() -> Outcome.of(next,
                    new Decision.Continue("waiting for a bandwidth measurement")));
        }

        double cap = seconds(settings.maxDowntime().minus(settings.switchoverCost()));
        double floor = Math.min(cap, settings.liveMigrationDowntime().toMillis()
                / (double) settings.liveMigrationDowntimeSteps() / 1000.0);
        double budget = timeout.map(t -> seconds(t.left(reading.elapsed()))).orElse(Double.POSITIVE_INFINITY);
        Optional<MeasuredDirtyRate> outWriting = outWritesTheLink(reading, cap);
        if (outWriting.isPresent()) {
            return measuredCannotConverge(next, reading, settings, outWriting.get());
        }
        PreCopyForecast forecast = PreCopyForecast.of(next, reading);

        Optional<PreCopyForecast.Plan> quick = forecast.smallestLimit(floor, cap, PLANNING_PASSES, budget);
        Optional<PreCopyForecast.Plan> plan = quick.isPresent() ? quick
                : forecast.earliestUnder(cap, budget).map(p -> new PreCopyForecast.Plan(millis(cap), p.passes(), p.after()));
        if (plan.isEmpty()) {
            return cannotConverge(next, reading, settings, forecast, cap, timeout);
        }

        ConvergenceState converging = next.withCannotConvergeSince(null);
        Optional<Outcome> stalled = stallCheck(converging, reading, settings);
        if (stalled.isPresent()) {
            return stalled.get();
        }
        PreCopyForecast.Plan p = plan.get();
        if (quick.isEmpty() && throttling(reading)) {
            return Outcome.of(converging, new Decision.Continue(String.format(Locale.ROOT,
                    "converges slowly (dirty rate %s, bandwidth %s, ratio %.2f: %d more passes under %d ms) while"
                            + " auto-converge is throttling at %d %%: keeping %d ms, the throttle lowers the dirty rate",
                    reading.dirtyRate(), reading.bandwidth(), forecast.ratio(), p.passes(), p.limit().toMillis(),
                    reading.throttlePercent(), converging.downtimeLimit().toMillis())));
        }
        String figures = String.format(Locale.ROOT,
                "dirty rate %s, bandwidth %s (ratio %.2f), %s left in pass %d: switchover after %d more pass(es), in ~%.1f s, under %d ms",
                reading.dirtyRate(), reading.bandwidth(), forecast.ratio(), reading.memoryRemaining(), reading.iteration(),
                p.passes(), seconds(p.after()), p.limit().toMillis());
        if (p.limit().compareTo(converging.downtimeLimit()) > 0 && grewInPass(state, reading)) {
            return Outcome.of(converging, new Decision.Continue(String.format(Locale.ROOT,
                    "not raising the limit: remaining memory grew from %s to %s within pass %d, so the guest now dirties"
                            + " faster than the %s measured (%s); keeping %d ms",
                    state.lastRemaining(), reading.totalRemaining(), reading.iteration(), reading.dirtyRate(), figures,
                    converging.downtimeLimit().toMillis())));
        }
        if (p.limit().compareTo(converging.downtimeLimit()) > 0) {
            return Outcome.of(converging.withDowntimeLimit(p.limit()),
                    new Decision.SetMaxDowntime(p.limit(), "converges: " + figures));
        }
        return Outcome.of(converging, new Decision.Continue("converging: " + figures
                + "; " + converging.downtimeLimit().toMillis() + " ms in force"));
    }

    private Outcome cannotConverge(ConvergenceState next, ProgressReading reading, ConvergenceSettings settings,
            PreCopyForecast forecast, double cap, Optional<CompletionTimeout> timeout) {
        Instant now = reading.readAt();
        Instant since = next.cannotConvergeSince() == null ? now : next.cannotConvergeSince();
        ConvergenceState waiting = next.withCannotConvergeSince(since);
        double budget = timeout.map(t -> seconds(t.left(reading.elapsed()))).orElse(Double.POSITIVE_INFINITY);
        String why = forecast.ratio() >= 1
                ? String.format(Locale.ROOT, "cannot converge: dirty rate %s >= bandwidth %s", reading.dirtyRate(), reading.bandwidth())
                : forecast.pendingNow() / forecast.bandwidth() > budget
                ? String.format(Locale.ROOT,
                        "cannot finish before the completion timeout: %s left in pass %d at %s needs %.0f s, %.0f s left",
                        reading.memoryRemaining(), reading.iteration(), reading.bandwidth(),
                        forecast.pendingNow() / forecast.bandwidth(), budget)
                : String.format(Locale.ROOT,
                        "cannot converge: dirty rate %s, bandwidth %s, %s left in pass %d need more than %d ms downtime before the completion timeout",
                        reading.dirtyRate(), reading.bandwidth(), reading.memoryRemaining(), reading.iteration(), millis(cap).toMillis());
        Duration held = Duration.between(since, now);
        boolean dirtyRateBound = forecast.pendingNow() / forecast.bandwidth() <= budget;
        Duration measuredOver = next.passTiming().last();
        boolean longMeasurement = dirtyRateBound && next.cannotConvergeSince() != null
                && measuredOver.compareTo(CONFIRMATION) >= 0;
        if (held.compareTo(CONFIRMATION) < 0 && !longMeasurement) {
            return Outcome.of(waiting, new Decision.Continue(why + String.format(Locale.ROOT,
                    " (forecast held %.1f s of %d s)", seconds(held), CONFIRMATION.toSeconds())));
        }
        if (held.compareTo(CONFIRMATION) < 0) {
            why += String.format(Locale.ROOT, " (dirty rate measured over the last pass, %.0f s)", seconds(measuredOver));
        }
        return escalate(waiting, reading, settings, why, Decision.AbortCause.CANNOT_CONVERGE);
    }

    /**
     * The guest's dirty rate measured apart from the stream, while the first pass runs (QEMU's own rate comes only at
     * its end), when it proves that pre-copy cannot converge under any allowed limit: the guest dirties at least as
     * fast as the stream sends (D >= X >= B), it dirties more distinct memory in one measurement period than the
     * ceiling lets pass (W >= X x period > B x cap), and the first pass still lasts longer than the ceiling. Then every
     * pass is at least min(W, D x previous pass / B) > B x cap, so no limit up to the ceiling is ever met.
     */
    private static Optional<MeasuredDirtyRate> outWritesTheLink(ProgressReading reading, double cap) {
        MeasuredDirtyRate m = reading.measuredDirtyRate();
        if (m == null || reading.iteration() > 1) {
            return Optional.empty();
        }
        double b = reading.bandwidth().bytesPerSecond();
        boolean outWrites = m.rate().bytesPerSecond() >= b && m.bytesPerPeriod() > b * cap
                && reading.memoryRemaining().bytes() > b * cap;
        return outWrites ? Optional.of(m) : Optional.empty();
    }

    private Outcome measuredCannotConverge(ConvergenceState next, ProgressReading reading, ConvergenceSettings settings,
            MeasuredDirtyRate measured) {
        Instant now = reading.readAt();
        Instant since = next.cannotConvergeSince() == null ? now : next.cannotConvergeSince();
        ConvergenceState waiting = next.withCannotConvergeSince(since);
        String why = String.format(Locale.ROOT,
                "cannot converge: dirty rate %s >= bandwidth %s (the guest's dirty rate measured apart from the stream"
                        + " over %.0f s, %s of the first pass left)",
                measured.rate(), reading.bandwidth(), seconds(measured.period()), reading.memoryRemaining());
        Duration held = Duration.between(since, now);
        if (held.compareTo(CONFIRMATION) < 0) {
            return Outcome.of(waiting, new Decision.Continue(why + String.format(Locale.ROOT,
                    " (forecast held %.1f s of %d s)", seconds(held), CONFIRMATION.toSeconds())));
        }
        return escalate(waiting, reading, settings, why, Decision.AbortCause.CANNOT_CONVERGE);
    }

    private Optional<Outcome> stallCheck(ConvergenceState next, ProgressReading reading, ConvergenceSettings settings) {
        Duration without = Duration.between(next.lastProgressAt(), reading.readAt());
        if (without.compareTo(settings.progressStall()) < 0) {
            return Optional.empty();
        }
        String why = String.format(Locale.ROOT, "stalled: no progress for %d s (stall limit %d s); %s remaining, bandwidth %s",
                without.toSeconds(), settings.progressStall().toSeconds(), reading.totalRemaining(), reading.bandwidth());
        if (reading.bandwidth().isZero()) {
            return Optional.of(Outcome.of(next.withAborted(), new Decision.Abort(Decision.AbortCause.STALLED,
                    why + "; nothing is moving, so neither throttling nor post-copy can help")));
        }
        return Optional.of(escalate(next, reading, settings, why, Decision.AbortCause.STALLED));
    }

    private Outcome escalate(ConvergenceState next, ProgressReading reading, ConvergenceSettings settings,
            String why, Decision.AbortCause cause) {
        Instant now = reading.readAt();
        if (settings.liveMigrationPermitAutoConverge() && !next.autoConvergeEnabled()) {
            return Outcome.of(next.withAutoConvergeEnabled().withCannotConvergeSince(null).withProgressClockRestartedAt(now),
                    new Decision.EnableAutoConverge(why + "; enabling auto-converge to throttle the guest"));
        }
        if (settings.liveMigrationPermitPostCopy()) {
            if (reading.iteration() >= 2) {
                return Outcome.of(next.withPostCopyRequested(),
                        new Decision.SwitchToPostCopy(why + "; switching to post-copy"));
            }
            return Outcome.of(next, new Decision.Continue(why + "; switching to post-copy once the first full pass is done"));
        }
        if (next.autoConvergeEnabled() && reading.throttlePercent() < MAX_THROTTLE_PERCENT) {
            return Outcome.of(next, new Decision.Continue(why + String.format(Locale.ROOT,
                    "; auto-converge throttling at %d %% (up to %d %%)", reading.throttlePercent(), MAX_THROTTLE_PERCENT)));
        }
        if (next.autoConvergeEnabled() && !fullThrottleMeasured(next, reading)) {
            return Outcome.of(next, new Decision.Continue(why + String.format(Locale.ROOT,
                    "; auto-converge reached %d %% in pass %d: waiting for a dirty rate measured under it",
                    MAX_THROTTLE_PERCENT, next.fullThrottle().iteration())));
        }
        String notPermitted = next.autoConvergeEnabled()
                ? String.format(Locale.ROOT, "; throttled at %d %% already, post-copy not permitted", reading.throttlePercent())
                : "; neither auto-converge nor post-copy is permitted";
        return Outcome.of(next.withAborted(), new Decision.Abort(cause, why + notPermitted));
    }

    /**
     * Remaining data grew since the last reading of the same pass: pages are dirtied faster than they are sent right
     * now, whatever the rate measured over the last sync period says, so a forecast from that rate is stale.
     */
    private static boolean grewInPass(ConvergenceState before, ProgressReading reading) {
        return before.lastRemaining() != null && reading.iteration() == before.iteration()
                && before.lastRemaining().isLessThan(reading.totalRemaining());
    }

    /** Auto-converge is throttling the guest and can still throttle more. */
    private static boolean throttling(ProgressReading reading) {
        return reading.throttlePercent() > 0 && reading.throttlePercent() < MAX_THROTTLE_PERCENT;
    }

    /** Notes the first reading with the throttle at its maximum. */
    private static ConvergenceState markFullThrottle(ConvergenceState state, ProgressReading reading) {
        if (state.fullThrottle() != null || reading.throttlePercent() < MAX_THROTTLE_PERCENT) {
            return state;
        }
        return state.withFullThrottle(new ConvergenceState.FullThrottle(reading.readAt(), reading.iteration()));
    }

    /**
     * Whether the reading's dirty rate shows the full throttle: it is measured over the last completed sync period
     * (at least a second, ending at a pass boundary), so two passes and {@link #CONFIRMATION} after the throttle was
     * first seen at its maximum.
     */
    private static boolean fullThrottleMeasured(ConvergenceState state, ProgressReading reading) {
        ConvergenceState.FullThrottle full = state.fullThrottle();
        return full != null && reading.iteration() >= full.iteration() + 2
                && Duration.between(full.since(), reading.readAt()).compareTo(CONFIRMATION) >= 0;
    }

    private static String permitted(boolean permitted) {
        return permitted ? "permitted" : "not permitted";
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static Duration millis(double seconds) {
        return Duration.ofMillis((long) Math.floor(seconds * 1000 + 1e-9));
    }
}

package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Nova's libvirt driver convergence behaviour ({@code _live_migration_monitor}, current Nova), so that
 * an operator's nova.conf keeps its meaning under Ferry:
 * <ul>
 *   <li>at the start, auto-converge when {@code live_migration_permit_auto_converge} is set and
 *       post-copy is not permitted (post-copy wins, as in {@code _handle_live_migration_auto_converge});</li>
 *   <li>on every reading, first the completion timeout ({@link CompletionTimeout}): abort, or
 *       force-complete (post-copy when permitted, else pause); never in post-copy;</li>
 *   <li>then the downtime ramp ({@link NovaDowntimeSteps}) by elapsed time, setting the downtime only
 *       when the step's value differs from the one in force.</li>
 * </ul>
 * Nova no longer switches to post-copy on its own: the progress-based switch
 * ({@code should_switch_to_postcopy}) went with {@code live_migration_progress_timeout} in Stein/Train;
 * post-copy now only comes from the timeout action or an operator's force-complete.
 */
public record NovaCompatiblePolicy() implements ConvergencePolicy {

    @Override
    public Outcome start(GuestFootprint guest, Instant startedAt, ConvergenceSettings settings) {
        ConvergenceState state = ConvergenceState.begin(guest, startedAt);
        NovaDowntimeSteps ramp = NovaDowntimeSteps.of(guest, settings);
        if (settings.liveMigrationPermitAutoConverge() && !settings.liveMigrationPermitPostCopy()) {
            return Outcome.of(state.withAutoConvergeEnabled(), new Decision.EnableAutoConverge(
                    "live_migration_permit_auto_converge is set and post-copy is not permitted"));
        }
        Duration firstStep = ramp.steps().get(1).after();
        return Outcome.of(state, new Decision.Continue(String.format(Locale.ROOT,
                "pre-copy started: downtime ramp of %d steps from %d ms to %d ms, one every %d s (data %.2f GiB)",
                ramp.steps().size(), ramp.steps().getFirst().downtime().toMillis(),
                ramp.last().downtime().toMillis(), firstStep.toSeconds(), guest.novaDataGb())));
    }

    @Override
    public Outcome decide(ConvergenceState state, ProgressReading reading, ConvergenceSettings settings) {
        if (state.aborted()) {
            return Outcome.of(state, new Decision.Continue("abort already requested; waiting for the job to end"));
        }
        ConvergenceState next = state.observe(reading);
        List<Decision> decisions = new ArrayList<>(2);

        Optional<CompletionTimeout> timeout = CompletionTimeout.of(next.guest(), settings);
        boolean inPostCopy = reading.phase() == MigrationPhase.POST_COPY || next.postCopyRequested();
        if (timeout.isPresent() && !inPostCopy && !next.timeoutActionTaken()
                && timeout.get().expired(reading.elapsed())) {
            Outcome fired = timeout.get().fire(next, reading, settings);
            next = fired.state();
            decisions.addAll(fired.decisions());
        }

        if (!next.aborted()) {
            NovaDowntimeSteps ramp = NovaDowntimeSteps.of(next.guest(), settings);
            Optional<NovaDowntimeSteps.Step> step = ramp.stepAt(reading.elapsed());
            if (step.isPresent() && !step.get().downtime().equals(next.downtimeLimit())) {
                NovaDowntimeSteps.Step s = step.get();
                decisions.add(new Decision.SetMaxDowntime(s.downtime(), String.format(Locale.ROOT,
                        "downtime step %d of %d: %d ms after %d s (elapsed %.1f s; %s remaining)",
                        s.index(), ramp.steps().size() - 1, s.downtime().toMillis(), s.after().toSeconds(),
                        reading.elapsed().toMillis() / 1000.0, reading.totalRemaining())));
                next = next.withDowntimeLimit(s.downtime());
            }
        }

        if (decisions.isEmpty()) {
            decisions.add(new Decision.Continue(String.format(Locale.ROOT,
                    "elapsed %.1f s, %s remaining, downtime %d ms in force",
                    reading.elapsed().toMillis() / 1000.0, reading.totalRemaining(),
                    next.downtimeLimit().toMillis())));
        }
        return new Outcome(next, decisions);
    }
}

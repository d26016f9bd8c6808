package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Nova's completion timeout: {@code int(live_migration_completion_timeout * data_gb)} seconds,
 * firing when the elapsed time is strictly greater ({@code should_trigger_timeout_action}), never
 * in post-copy, never when configured as zero. Ferry fires it once; Nova re-sends the same action
 * every monitor loop, which changes nothing once it took effect.
 */
record CompletionTimeout(Duration limit, double dataGb, Duration perGiB) {

    static Optional<CompletionTimeout> of(GuestFootprint guest, ConvergenceSettings settings) {
        if (!settings.completionTimeoutEnabled()) {
            return Optional.empty();
        }
        double dataGb = guest.novaDataGb();
        Duration perGiB = settings.liveMigrationCompletionTimeout();
        long seconds = (long) (perGiB.toMillis() / 1000.0 * dataGb);
        return Optional.of(new CompletionTimeout(Duration.ofSeconds(seconds), dataGb, perGiB));
    }

    boolean expired(Duration elapsed) {
        return elapsed.compareTo(limit) > 0;
    }

    Duration left(Duration elapsed) {
        Duration left = limit.minus(elapsed);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * The timeout action as decisions: abort, or force-complete = post-copy when permitted, else
     * pause. Returns the state that records it.
     */
    Outcome fire(ConvergenceState state, ProgressReading reading, ConvergenceSettings settings) {
        String why = String.format(Locale.ROOT,
                "not completed after %d s (completion timeout %d s/GiB x %.2f GiB); %s remaining, dirty rate %s, bandwidth %s",
                limit.toSeconds(), perGiB.toSeconds(), dataGb, reading.totalRemaining(),
                reading.dirtyRate(), reading.bandwidth());
        ConvergenceState fired = state.withTimeoutActionTaken();
        return switch (settings.liveMigrationTimeoutAction()) {
            case ABORT -> Outcome.of(fired.withAborted(),
                    new Decision.Abort(Decision.AbortCause.COMPLETION_TIMEOUT, why + "; timeout action abort"));
            case FORCE_COMPLETE -> settings.liveMigrationPermitPostCopy()
                    ? Outcome.of(fired.withPostCopyRequested(),
                            new Decision.SwitchToPostCopy(why + "; timeout action force_complete, post-copy permitted"))
                    : Outcome.of(fired.withForceCompleteRequested(),
                            new Decision.ForceComplete(why + "; timeout action force_complete: pausing the guest"));
        };
    }
}

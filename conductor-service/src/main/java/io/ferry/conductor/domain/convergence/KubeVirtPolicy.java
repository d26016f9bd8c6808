package io.ferry.conductor.domain.convergence;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * KubeVirt's migration monitor ({@code migrationMonitor.processInflightMigration} in virt-launcher),
 * for comparison in benchmarks. No downtime ramp: the hypervisor's default max downtime stays.
 * <ul>
 *   <li>at the start, auto-converge when permitted ({@code allowAutoConverge});</li>
 *   <li>nothing in post-copy;</li>
 *   <li>past the acceptable completion time ({@code completionTimeoutPerGiB} x data size in decimal
 *       GB, rounded up) with workload disruption allowed (KubeVirt's default: when post-copy is
 *       allowed), switch to post-copy;</li>
 *   <li>no progress (remaining data not below the previous reading's) for more than
 *       {@code progressTimeout}: abort (a stuck migration is a network or QEMU problem, so no
 *       post-copy);</li>
 *   <li>past the acceptable completion time otherwise: abort.</li>
 * </ul>
 * Whole seconds compare as in KubeVirt ({@code elapsed / time.Second > limit}).
 *
 * @param progressTimeout KubeVirt's {@code progressTimeout} (150 s); zero turns it off
 * @param completionTimeoutPerGiB KubeVirt's {@code completionTimeoutPerGiB} (150 s); zero turns it off
 */
public record KubeVirtPolicy(Duration progressTimeout, Duration completionTimeoutPerGiB) implements ConvergencePolicy {

    public KubeVirtPolicy {
        if (progressTimeout == null || completionTimeoutPerGiB == null
                || progressTimeout.isNegative() || completionTimeoutPerGiB.isNegative()) {
            throw new IllegalArgumentException("KubeVirt's timeouts are zero or positive");
        }
    }

    /** KubeVirt's current defaults: 150 s progress timeout, 150 s per GiB completion timeout. */
    public static KubeVirtPolicy withDefaults() {
        return new KubeVirtPolicy(Duration.ofSeconds(150), Duration.ofSeconds(150));
    }

    @Override
    public Outcome start(GuestFootprint guest, Instant startedAt, ConvergenceSettings settings) {
        ConvergenceState state = ConvergenceState.begin(guest, startedAt);
        if (settings.liveMigrationPermitAutoConverge()) {
            return Outcome.of(state.withAutoConvergeEnabled(), new Decision.EnableAutoConverge("allowAutoConverge is set"));
        }
        return Outcome.of(state, new Decision.Continue(String.format(Locale.ROOT,
                "pre-copy started: KubeVirt policy, acceptable completion time %d s, progress timeout %d s",
                acceptableCompletionSeconds(guest), progressTimeout.toSeconds())));
    }

    @Override
    public Outcome decide(ConvergenceState state, ProgressReading reading, ConvergenceSettings settings) {
        if (state.aborted()) {
            return Outcome.of(state, new Decision.Continue("abort already requested; waiting for the job to end"));
        }
        boolean progressed = state.lastRemaining() == null || reading.totalRemaining().isLessThan(state.lastRemaining());
        ConvergenceState next = state.observe(reading)
                .withProgressClockRestartedAt(progressed ? reading.readAt() : state.lastProgressAt());
        if (reading.phase() == MigrationPhase.POST_COPY || next.postCopyRequested()) {
            return Outcome.of(next, new Decision.Continue("post-copy: nothing to track"));
        }

        long elapsedSeconds = reading.elapsed().toSeconds();
        long acceptable = acceptableCompletionSeconds(next.guest());
        boolean timedOut = acceptable != 0 && elapsedSeconds > acceptable;
        String timeoutWhy = String.format(Locale.ROOT, "not completed after %d s (%d s/GB x %d GB); %s remaining",
                acceptable, completionTimeoutPerGiB.toSeconds(), next.guest().kubeVirtDataGb(), reading.totalRemaining());

        if (timedOut && settings.liveMigrationPermitPostCopy()) {
            return Outcome.of(next.withPostCopyRequested().withTimeoutActionTaken(),
                    new Decision.SwitchToPostCopy(timeoutWhy + "; allowPostCopy: starting post-copy"));
        }
        long stuckSeconds = Duration.between(next.lastProgressAt(), reading.readAt()).toSeconds();
        if (!progressTimeout.isZero() && stuckSeconds > progressTimeout.toSeconds()) {
            return Outcome.of(next.withAborted(), new Decision.Abort(Decision.AbortCause.STALLED, String.format(Locale.ROOT,
                    "stuck for %d s (progress timeout %d s); %s remaining, bandwidth %s",
                    stuckSeconds, progressTimeout.toSeconds(), reading.totalRemaining(), reading.bandwidth())));
        }
        if (timedOut) {
            return Outcome.of(next.withAborted().withTimeoutActionTaken(),
                    new Decision.Abort(Decision.AbortCause.COMPLETION_TIMEOUT, timeoutWhy + "; aborting"));
        }
        return Outcome.of(next, new Decision.Continue(String.format(Locale.ROOT,
                "elapsed %d s of %d s, %s remaining", elapsedSeconds, acceptable, reading.totalRemaining())));
    }

    private long acceptableCompletionSeconds(GuestFootprint guest) {
        return completionTimeoutPerGiB.toSeconds() * guest.kubeVirtDataGb();
    }
}

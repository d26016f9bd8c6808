package io.ferry.agent.domain;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The completion deadline a source host enforces on its own, so that a migration never runs forever when the
 * conductor is gone or cut off: past {@code budget} of job time (the driver's clock: the hypervisor's elapsed time,
 * simulated time for the simulator), if the conductor has not itself ended or forced the job, the agent applies
 * Nova's {@code live_migration_timeout_action}: {@code abort} cancels the job; {@code force_complete} switches to
 * post-copy when permitted, else pauses the guest so the copy finishes. Never in post-copy (Nova's timeout never
 * fires there), and once.
 *
 * @param budget            job time the conductor allows (Nova's completion timeout plus a margin); null for none
 * @param action            the timeout action
 * @param postCopyPermitted whether force-complete may switch to post-copy
 */
public record CompletionDeadline(Duration budget, TimeoutAction action, boolean postCopyPermitted) {

    /** Nova's {@code live_migration_timeout_action}. */
    public enum TimeoutAction {
        ABORT, FORCE_COMPLETE;

        /** Nova's spelling ({@code abort}, {@code force_complete}); anything else is abort, Nova's default. */
        public static TimeoutAction of(String name) {
            return "force_complete".equalsIgnoreCase(name == null ? "" : name.trim()) ? FORCE_COMPLETE : ABORT;
        }
    }

    /** What the agent does to its job when the deadline passes. */
    public enum LocalAction { ABORT, SWITCH_TO_POST_COPY, FORCE_COMPLETE }

    public static final CompletionDeadline NONE = new CompletionDeadline(null, TimeoutAction.ABORT, false);

    /**
     * The deadline a StartMigration order carries: {@code deadlineMillis} is the order's time plus the budget, both on
     * the conductor's clock, so the budget is their difference whatever this host's clock says; 0 means none.
     */
    public static CompletionDeadline fromOrder(long deadlineMillis, long orderTimeMillis, String action,
                                               boolean postCopyPermitted) {
        if (deadlineMillis <= 0) {
            return NONE;
        }
        return new CompletionDeadline(Duration.ofMillis(Math.max(0, deadlineMillis - orderTimeMillis)),
                TimeoutAction.of(action), postCopyPermitted);
    }

    public boolean enabled() {
        return budget != null;
    }

    /**
     * The action due at {@code reading}: only past the budget, never in post-copy, and never once the conductor acted
     * (aborted, forced completion or switched to post-copy) itself.
     */
    public Optional<LocalAction> due(JobReading reading, boolean conductorActed) {
        if (!enabled() || conductorActed || reading.phase() == JobReading.JobPhase.POST_COPY
                || reading.elapsedMillis() <= budget.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(switch (action) {
            case ABORT -> LocalAction.ABORT;
            case FORCE_COMPLETE -> postCopyPermitted ? LocalAction.SWITCH_TO_POST_COPY : LocalAction.FORCE_COMPLETE;
        });
    }

    /** Why the agent acted, for its events and the migration's record. */
    public String reason(LocalAction taken, JobReading reading) {
        String what = switch (taken) {
            case ABORT -> "aborted the job (timeout action abort)";
            case SWITCH_TO_POST_COPY -> "switched the job to post-copy (timeout action force_complete)";
            case FORCE_COMPLETE -> "paused the guest to complete the job (timeout action force_complete)";
        };
        return String.format(Locale.ROOT,
                "the source agent %s: its completion deadline of %d s of job time passed (%d s elapsed, %.2f GiB of"
                        + " memory remaining) without a timeout decision from the conductor",
                what, budget.toSeconds(), reading.elapsedMillis() / 1000, reading.memoryRemainingBytes()
                        / (double) (1L << 30));
    }
}

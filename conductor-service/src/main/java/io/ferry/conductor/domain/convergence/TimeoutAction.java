package io.ferry.conductor.domain.convergence;

/** Nova's {@code live_migration_timeout_action}: what happens when the completion timeout expires. */
public enum TimeoutAction {
    /** Abort the migration; the guest stays on the source. Nova's default. */
    ABORT,
    /** Switch to post-copy when it is permitted, else pause the guest so the copy can finish. */
    FORCE_COMPLETE
}

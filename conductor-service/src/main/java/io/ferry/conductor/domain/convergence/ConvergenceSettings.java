package io.ferry.conductor.domain.convergence;

import java.time.Duration;

/**
 * Convergence settings of one migration: Nova's {@code [libvirt]} options under their Nova names
 * and defaults, plus Ferry's own. Passed to every decision; never read from a global.
 *
 * @param liveMigrationDowntime {@code live_migration_downtime}: target max downtime (Nova: 500 ms, min 100 ms)
 * @param liveMigrationDowntimeSteps {@code live_migration_downtime_steps}: steps to reach it (10, min 3)
 * @param liveMigrationDowntimeDelay {@code live_migration_downtime_delay}: time between steps, per GiB
 *        of data (75 s, min 3 s)
 * @param liveMigrationCompletionTimeout {@code live_migration_completion_timeout}: time allowed per GiB
 *        of data (800 s); zero turns the timeout off
 * @param liveMigrationTimeoutAction {@code live_migration_timeout_action}: abort (default) or force_complete
 * @param liveMigrationPermitPostCopy {@code live_migration_permit_post_copy} (false)
 * @param liveMigrationPermitAutoConverge {@code live_migration_permit_auto_converge} (false)
 * @param liveMigrationBandwidth {@code live_migration_bandwidth}: stream cap; zero lets the
 *        hypervisor choose (Nova's unit is MiB/s)
 * @param policy which policy decides (Ferry: {@link PolicyKind#PREDICTIVE})
 * @param maxDowntime Ferry: the hard ceiling on downtime; the predictive policy never sets a limit
 *        that, plus the switchover cost, exceeds it (500 ms, Nova's target)
 * @param progressStall Ferry: no new low of remaining memory for this long counts as a stall (60 s)
 * @param switchoverCost Ferry: estimated fixed cost of the switchover on top of copying the last
 *        dirty pages (device state, final sync, network announce) (50 ms)
 */
public record ConvergenceSettings(
        Duration liveMigrationDowntime,
        int liveMigrationDowntimeSteps,
        Duration liveMigrationDowntimeDelay,
        Duration liveMigrationCompletionTimeout,
        TimeoutAction liveMigrationTimeoutAction,
        boolean liveMigrationPermitPostCopy,
        boolean liveMigrationPermitAutoConverge,
        Bandwidth liveMigrationBandwidth,
        PolicyKind policy,
        Duration maxDowntime,
        Duration progressStall,
        Duration switchoverCost) {

    private static final Duration NOVA_MIN_DOWNTIME = Duration.ofMillis(100);
    private static final int NOVA_MIN_STEPS = 3;
    private static final Duration NOVA_MIN_DELAY = Duration.ofSeconds(3);

    public ConvergenceSettings {
        if (liveMigrationDowntime == null || liveMigrationDowntimeDelay == null
                || liveMigrationCompletionTimeout == null || liveMigrationTimeoutAction == null
                || liveMigrationBandwidth == null || policy == null || maxDowntime == null
                || progressStall == null || switchoverCost == null) {
            throw new IllegalArgumentException("every convergence setting is required");
        }
        if (liveMigrationDowntime.compareTo(NOVA_MIN_DOWNTIME) < 0) {
            throw new IllegalArgumentException("live_migration_downtime must be at least 100 ms: " + liveMigrationDowntime);
        }
        if (liveMigrationDowntimeSteps < NOVA_MIN_STEPS) {
            throw new IllegalArgumentException("live_migration_downtime_steps must be at least 3: " + liveMigrationDowntimeSteps);
        }
        if (liveMigrationDowntimeDelay.compareTo(NOVA_MIN_DELAY) < 0) {
            throw new IllegalArgumentException("live_migration_downtime_delay must be at least 3 s: " + liveMigrationDowntimeDelay);
        }
        if (liveMigrationCompletionTimeout.isNegative()) {
            throw new IllegalArgumentException("live_migration_completion_timeout cannot be negative");
        }
        if (switchoverCost.isNegative() || switchoverCost.compareTo(maxDowntime) >= 0) {
            throw new IllegalArgumentException(
                    "switchover cost " + switchoverCost + " must be below the max downtime " + maxDowntime);
        }
        if (!progressStall.isPositive()) {
            throw new IllegalArgumentException("progress stall must be positive: " + progressStall);
        }
    }

    /** Nova's defaults and Ferry's, driven by the predictive policy. */
    public static ConvergenceSettings defaults() {
        return new ConvergenceSettings(
                Duration.ofMillis(500), 10, Duration.ofSeconds(75), Duration.ofSeconds(800),
                TimeoutAction.ABORT, false, false, Bandwidth.ZERO,
                PolicyKind.PREDICTIVE, Duration.ofMillis(500), Duration.ofSeconds(60), Duration.ofMillis(50));
    }

    /** Nova's defaults, driven by the Nova-compatible policy. */
    public static ConvergenceSettings novaDefaults() {
        return defaults().withPolicy(PolicyKind.NOVA);
    }

    /** Nova's {@code live_migration_completion_timeout}: is a completion timeout configured? */
    /**
     * Nova's completion timeout for {@code guest}: {@code int(live_migration_completion_timeout x data_gb)} seconds;
     * empty when the timeout is off.
     */
    public java.util.Optional<Duration> completionTimeout(GuestFootprint guest) {
        return CompletionTimeout.of(guest, this).map(CompletionTimeout::limit);
    }

    public boolean completionTimeoutEnabled() {
        return !liveMigrationCompletionTimeout.isZero();
    }

    public ConvergenceSettings withPolicy(PolicyKind value) {
        return new ConvergenceSettings(liveMigrationDowntime, liveMigrationDowntimeSteps, liveMigrationDowntimeDelay,
                liveMigrationCompletionTimeout, liveMigrationTimeoutAction, liveMigrationPermitPostCopy,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, value, maxDowntime, progressStall, switchoverCost);
    }

    public ConvergenceSettings withDowntime(Duration value) {
        return new ConvergenceSettings(value, liveMigrationDowntimeSteps, liveMigrationDowntimeDelay,
                liveMigrationCompletionTimeout, liveMigrationTimeoutAction, liveMigrationPermitPostCopy,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, policy, maxDowntime, progressStall, switchoverCost);
    }

    public ConvergenceSettings withDowntimeSteps(int value) {
        return new ConvergenceSettings(liveMigrationDowntime, value, liveMigrationDowntimeDelay,
                liveMigrationCompletionTimeout, liveMigrationTimeoutAction, liveMigrationPermitPostCopy,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, policy, maxDowntime, progressStall, switchoverCost);
    }

    public ConvergenceSettings withDowntimeDelay(Duration value) {
        return new ConvergenceSettings(liveMigrationDowntime, liveMigrationDowntimeSteps, value,
                liveMigrationCompletionTimeout, liveMigrationTimeoutAction, liveMigrationPermitPostCopy,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, policy, maxDowntime, progressStall, switchoverCost);
    }

    public ConvergenceSettings withCompletionTimeout(Duration value) {
        return new ConvergenceSettings(liveMigrationDowntime, liveMigrationDowntimeSteps, liveMigrationDowntimeDelay,
                value, liveMigrationTimeoutAction, liveMigrationPermitPostCopy,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, policy, maxDowntime, progressStall, switchoverCost);
    }

    public ConvergenceSettings withTimeoutAction(TimeoutAction value) {
        return new ConvergenceSettings(liveMigrationDowntime, liveMigrationDowntimeSteps, liveMigrationDowntimeDelay,
                liveMigrationCompletionTimeout, value, liveMigrationPermitPostCopy,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, policy, maxDowntime, progressStall, switchoverCost);
    }

    public ConvergenceSettings withPermitPostCopy(boolean value) {
        return new ConvergenceSettings(liveMigrationDowntime, liveMigrationDowntimeSteps, liveMigrationDowntimeDelay,
                liveMigrationCompletionTimeout, liveMigrationTimeoutAction, value,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, policy, maxDowntime, progressStall, switchoverCost);
    }

    public ConvergenceSettings withPermitAutoConverge(boolean value) {
        return new ConvergenceSettings(liveMigrationDowntime, liveMigrationDowntimeSteps, liveMigrationDowntimeDelay,
                liveMigrationCompletionTimeout, liveMigrationTimeoutAction, liveMigrationPermitPostCopy,
                value, liveMigrationBandwidth, policy, maxDowntime, progressStall, switchoverCost);
    }

    public ConvergenceSettings withMaxDowntime(Duration value) {
        return new ConvergenceSettings(liveMigrationDowntime, liveMigrationDowntimeSteps, liveMigrationDowntimeDelay,
                liveMigrationCompletionTimeout, liveMigrationTimeoutAction, liveMigrationPermitPostCopy,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, policy, value, progressStall, switchoverCost);
    }

    public ConvergenceSettings withProgressStall(Duration value) {
        return new ConvergenceSettings(liveMigrationDowntime, liveMigrationDowntimeSteps, liveMigrationDowntimeDelay,
                liveMigrationCompletionTimeout, liveMigrationTimeoutAction, liveMigrationPermitPostCopy,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, policy, maxDowntime, value, switchoverCost);
    }

    public ConvergenceSettings withSwitchoverCost(Duration value) {
        return new ConvergenceSettings(liveMigrationDowntime, liveMigrationDowntimeSteps, liveMigrationDowntimeDelay,
                liveMigrationCompletionTimeout, liveMigrationTimeoutAction, liveMigrationPermitPostCopy,
                liveMigrationPermitAutoConverge, liveMigrationBandwidth, policy, maxDowntime, progressStall, value);
    }
}

package io.ferry.conductor.domain;

import io.ferry.conductor.domain.convergence.ConvergenceSettings;
import io.ferry.conductor.domain.convergence.PolicyKind;
import java.time.Duration;
import java.util.Objects;

/**
 * What shapes every migration's lifecycle, passed to the process (never read from a global).
 *
 * @param convergence       the convergence policy and its settings
 * @param migrateMaxRetries Nova's {@code migrate_max_retries}: further destinations to try after the first one
 *                          refuses; -1 tries until no host is left (Nova's default), 0 never retries
 * @param slots             the concurrency limits
 * @param liveness          when a silent agent ends a migration, and the margin of the source's own deadline
 */
public record LifecycleSettings(ConvergenceSettings convergence, int migrateMaxRetries, SlotLimits slots,
                                LivenessSettings liveness) {

    public LifecycleSettings {
        Objects.requireNonNull(convergence, "convergence");
        Objects.requireNonNull(slots, "slots");
        Objects.requireNonNull(liveness, "liveness");
        if (migrateMaxRetries < -1) {
            throw new IllegalArgumentException("migrate_max_retries must be -1 or more: " + migrateMaxRetries);
        }
    }

    public LifecycleSettings(ConvergenceSettings convergence, int migrateMaxRetries, SlotLimits slots) {
        this(convergence, migrateMaxRetries, slots, LivenessSettings.defaults());
    }

    /** Nova's defaults, Ferry's predictive policy, one live migration per source host. */
    public static LifecycleSettings defaults() {
        return new LifecycleSettings(ConvergenceSettings.defaults(), -1, SlotLimits.defaults());
    }

    /** QEMU's default max downtime ({@code downtime-limit}), in force until someone sets another. */
    public static final Duration QEMU_DEFAULT_DOWNTIME = Duration.ofMillis(300);

    /**
     * The first max downtime in force: as Nova starts its step schedule, {@code downtime / steps} (Nova's and the
     * predictive policy); KubeVirt never sets one, so QEMU's default stays.
     */
    public Duration initialDowntime() {
        if (convergence.policy() == PolicyKind.KUBEVIRT) {
            return QEMU_DEFAULT_DOWNTIME;
        }
        return convergence.liveMigrationDowntime().dividedBy(convergence.liveMigrationDowntimeSteps());
    }

    public LifecycleSettings withConvergence(ConvergenceSettings value) {
        return new LifecycleSettings(value, migrateMaxRetries, slots, liveness);
    }

    public LifecycleSettings withMaxRetries(int value) {
        return new LifecycleSettings(convergence, value, slots, liveness);
    }

    public LifecycleSettings withSlots(SlotLimits value) {
        return new LifecycleSettings(convergence, migrateMaxRetries, value, liveness);
    }

    public LifecycleSettings withLiveness(LivenessSettings value) {
        return new LifecycleSettings(convergence, migrateMaxRetries, slots, value);
    }
}

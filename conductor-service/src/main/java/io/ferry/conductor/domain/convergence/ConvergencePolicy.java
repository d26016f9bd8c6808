package io.ferry.conductor.domain.convergence;

import java.time.Instant;

/**
 * A convergence policy: a pure function from (state, progress reading, settings) to the next
 * state and the decisions to carry out. Implementations hold no mutable fields; the reading's
 * {@link ProgressReading#readAt()} is the only "now".
 */
public sealed interface ConvergencePolicy permits NovaCompatiblePolicy, PredictivePolicy, KubeVirtPolicy {

    /**
     * The decisions to apply as the migration stream starts (e.g. auto-converge as a start flag),
     * with the initial state.
     */
    Outcome start(GuestFootprint guest, Instant startedAt, ConvergenceSettings settings);

    /** Decides what to do about one progress reading. */
    Outcome decide(ConvergenceState state, ProgressReading reading, ConvergenceSettings settings);

    /** The policy the settings name, with its defaults. */
    static ConvergencePolicy of(ConvergenceSettings settings) {
        return switch (settings.policy()) {
            case NOVA -> new NovaCompatiblePolicy();
            case PREDICTIVE -> new PredictivePolicy();
            case KUBEVIRT -> KubeVirtPolicy.withDefaults();
        };
    }
}

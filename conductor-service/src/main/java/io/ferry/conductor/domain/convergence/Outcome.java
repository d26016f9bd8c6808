package io.ferry.conductor.domain.convergence;

import java.util.List;

/**
 * A policy's answer to one reading: the state to store and the decisions to carry out, in order.
 * Never empty: when nothing changes it holds one {@link Decision.Continue} saying why.
 */
public record Outcome(ConvergenceState state, List<Decision> decisions) {

    public Outcome {
        if (state == null || decisions == null || decisions.isEmpty()) {
            throw new IllegalArgumentException("an outcome has a state and at least one decision");
        }
        decisions = List.copyOf(decisions);
    }

    public static Outcome of(ConvergenceState state, Decision... decisions) {
        return new Outcome(state, List.of(decisions));
    }

    /** Whether the decisions ask for anything other than continuing. */
    public boolean acts() {
        return decisions.stream().anyMatch(d -> !(d instanceof Decision.Continue));
    }
}

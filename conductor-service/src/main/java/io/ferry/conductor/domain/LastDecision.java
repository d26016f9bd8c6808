package io.ferry.conductor.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A decision taken about a running migration, by the convergence policy or on the operator's request, as the
 * record shows it.
 *
 * @param kind     what was decided ({@code set-max-downtime}, {@code enable-auto-converge},
 *                 {@code switch-to-post-copy}, {@code force-complete}, {@code abort})
 * @param reason   why, with the figures that caused it
 * @param downtime the max downtime the conductor set (this decision or an earlier one), or null
 * @param at       when
 */
public record LastDecision(String kind, String reason, Duration downtime, Instant at) {

    public LastDecision {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}

/**
 * Convergence policies for live migration: pure functions from a progress reading to what the
 * conductor should do next.
 *
 * <p>A policy is {@code decide(state, reading, settings) -> Outcome(newState, decisions)} where a
 * decision is one of {@link io.ferry.conductor.domain.convergence.Decision}: continue, set the max
 * downtime, enable auto-converge, switch to post-copy, force-complete (pause) or abort, each with a
 * human reason carrying the figures that caused it. Policies keep no fields that change: what a
 * policy already did lives in the immutable {@link io.ferry.conductor.domain.convergence.ConvergenceState}
 * that the caller passes in and stores. Time comes in with the reading; settings come in as an
 * argument, never from a global.
 *
 * <p>Three policies:
 * <ul>
 *   <li>{@link io.ferry.conductor.domain.convergence.NovaCompatiblePolicy}: Nova's libvirt driver
 *       behaviour (downtime ramp, completion timeout, timeout action), so nova.conf keeps its meaning;</li>
 *   <li>{@link io.ferry.conductor.domain.convergence.PredictivePolicy}: Ferry's default, which forecasts
 *       pre-copy from the measured dirty rate and bandwidth and acts as soon as the answer is known;</li>
 *   <li>{@link io.ferry.conductor.domain.convergence.KubeVirtPolicy}: KubeVirt's defaults, for benchmarks.</li>
 * </ul>
 *
 * <p>This package imports only {@code java.*} and {@code io.ferry.conductor.domain..}: no Spring,
 * Kafka, Avro, logging or clock.
 */
package io.ferry.conductor.domain.convergence;

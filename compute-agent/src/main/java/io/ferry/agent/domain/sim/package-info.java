/**
 * A faithful simulated hypervisor: QEMU's pre-copy, auto-converge and post-copy, libvirt-like job
 * stats, NICs shared fairly between migration streams, and fault injection, all on a simulated
 * clock.
 *
 * <p>Plain Java: this package imports only the JDK and {@code io.ferry.agent.domain..}. Time never
 * comes from the wall clock: {@link io.ferry.agent.domain.sim.SimulatedHypervisor#advanceTo} moves
 * simulated time, either in a deterministic discrete-event run (tests) or from a scheduler thread
 * in an adapter that maps wall time through a {@link io.ferry.agent.domain.sim.SpeedFactor}.
 *
 * <p>The model advances analytically: between two 100 ms ticks every rate is constant, so each
 * migration jumps straight to the next event (end of a round, of a phase, of a tick) instead of
 * walking pages. {@link io.ferry.agent.domain.sim.PreCopyClosedForm} is the closed form the model
 * is tested against.
 */
package io.ferry.agent.domain.sim;

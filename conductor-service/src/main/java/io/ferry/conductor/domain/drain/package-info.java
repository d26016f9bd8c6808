/**
 * Draining a host as one planned operation: which instances can live-migrate and which cannot (with the reason and
 * the advice), the concurrency rule on the source NIC ({@link io.ferry.conductor.domain.drain.StreamRule}), the plan
 * with its predicted times and lower bound ({@link io.ferry.conductor.domain.drain.DrainPlanner}), and the drain
 * aggregate that tracks every migration of it ({@link io.ferry.conductor.domain.drain.Drain}). Pure: no clock, no edges.
 */
package io.ferry.conductor.domain.drain;

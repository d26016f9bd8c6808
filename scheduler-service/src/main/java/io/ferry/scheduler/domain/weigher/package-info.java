/**
 * Host weighers, one class per file and named as Nova names them: each returns a raw weight and
 * carries a multiplier; {@link io.ferry.scheduler.domain.weigher.Normalization#normalize} min-max
 * scales each weigher's raw weights to 0..1 once, and the engine sums multiplier × normalised.
 */
package io.ferry.scheduler.domain.weigher;

package io.ferry.conductor.domain.convergence;

/** Where the migration stream is, as the source agent reports it. */
public enum MigrationPhase {
    /** Iterative pre-copy: the guest runs on the source while memory is copied. */
    PRE_COPY,
    /** Post-copy: the guest runs on the destination and pulls the remaining pages. */
    POST_COPY,
    /** The guest is paused on the source so that the copy can finish (force-complete). */
    PAUSED
}

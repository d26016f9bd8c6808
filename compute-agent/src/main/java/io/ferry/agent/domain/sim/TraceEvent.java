package io.ferry.agent.domain.sim;

import java.time.Duration;

/**
 * One line of a simulation trace. Two runs with the same seed and inputs produce equal traces.
 *
 * @param at     simulated time
 * @param job    the job
 * @param kind   what happened
 * @param value  a number whose meaning depends on the kind (see {@link Kind})
 * @param detail human-readable detail
 */
public record TraceEvent(Duration at, JobId job, Kind kind, long value, String detail) {

    public enum Kind {
        /** value: guest RAM in bytes. */
        STARTED,
        /** A phase change; detail "FROM->TO", value: memory bytes pending at the change. */
        PHASE,
        /** A dirty-bitmap sync; value: bytes sent in the round that just ended, detail: iteration. */
        SYNC,
        /** Auto-converge changed the throttle; value: new throttle in percent. */
        THROTTLE,
        /** A command or fault took effect; detail names it. */
        INPUT,
        /** The job ended; detail: the outcome. */
        ENDED
    }
}

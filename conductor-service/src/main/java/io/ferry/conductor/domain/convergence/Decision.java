package io.ferry.conductor.domain.convergence;

import java.time.Duration;

/**
 * What a convergence policy asks the conductor to do, each with a human reason that carries the
 * figures that caused it (written into the migration record as is).
 */
public sealed interface Decision {

    /** Why, with figures, e.g. "cannot converge: dirty rate 1.30 GB/s >= bandwidth 1.20 GB/s". */
    String reason();

    /** Nothing to change; keep copying. */
    record Continue(String reason) implements Decision {
        public Continue {
            requireReason(reason);
        }
    }

    /** Set the hypervisor's max downtime (libvirt {@code migrateSetMaxDowntime}). */
    record SetMaxDowntime(Duration downtime, String reason) implements Decision {
        public SetMaxDowntime {
            requireReason(reason);
            if (downtime == null || !downtime.isPositive()) {
                throw new IllegalArgumentException("max downtime must be positive: " + downtime);
            }
        }
    }

    /** Turn on CPU throttling so the dirty rate falls under the bandwidth. */
    record EnableAutoConverge(String reason) implements Decision {
        public EnableAutoConverge {
            requireReason(reason);
        }
    }

    /** Switch to post-copy: the guest resumes on the destination and pulls the rest. */
    record SwitchToPostCopy(String reason) implements Decision {
        public SwitchToPostCopy {
            requireReason(reason);
        }
    }

    /** Pause the guest on the source so that the copy finishes (force-complete without post-copy). */
    record ForceComplete(String reason) implements Decision {
        public ForceComplete {
            requireReason(reason);
        }
    }

    /** Abort the migration; the guest keeps running on the source. */
    record Abort(AbortCause cause, String reason) implements Decision {
        public Abort {
            requireReason(reason);
            if (cause == null) {
                throw new IllegalArgumentException("an abort has a cause");
            }
        }
    }

    /** Why a policy aborted; low-cardinality, fit for a metric tag. */
    enum AbortCause {
        /** The dirty rate will not fall under the bandwidth and nothing else is permitted. */
        CANNOT_CONVERGE,
        /** Remaining memory made no progress for the stall period. */
        STALLED,
        /** The completion timeout expired and the timeout action is abort. */
        COMPLETION_TIMEOUT
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("every decision carries a reason");
        }
    }
}

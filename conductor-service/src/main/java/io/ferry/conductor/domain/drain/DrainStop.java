package io.ferry.conductor.domain.drain;

import java.util.ArrayList;
import java.util.List;

/**
 * How an operator's stop treats a drain's migrations, counted when it is asked: those not streaming yet are
 * cancelled; those streaming in pre-copy are aborted when the operator asked for it (the guest stays on its source),
 * else they finish; those in post-copy or post-migrating cannot be aborted safely (the guest already runs on the
 * destination, or is being handed over) and finish. Its text is the drain's note, in the present tense while the
 * drain is stopping and in the past once it stopped.
 *
 * @param why           the operator's reason
 * @param abortRunning  whether migrations streaming in pre-copy are aborted
 * @param aborted       pre-copy streams aborted
 * @param running       pre-copy streams left to finish (not aborted)
 * @param postCopy      streams in post-copy, left to finish
 * @param postMigrating migrations past their stream (post-migrating), left to finish
 * @param cancelled     migrations not streaming yet (queued, preparing, not requested yet), cancelled
 */
public record DrainStop(String why, boolean abortRunning, int aborted, int running, int postCopy, int postMigrating,
                        int cancelled) {

    public DrainStop {
        why = why == null || why.isBlank() ? "stopped by the operator" : why;
        if (aborted < 0 || running < 0 || postCopy < 0 || postMigrating < 0 || cancelled < 0) {
            throw new IllegalArgumentException("negative count in " + this);
        }
        if (!abortRunning && aborted > 0) {
            throw new IllegalArgumentException("aborted streams without abortRunning");
        }
    }

    /** A stop of a drain none of whose migrations is under way. */
    public static DrainStop nothingUnderWay(String why, boolean abortRunning) {
        return new DrainStop(why, abortRunning, 0, 0, 0, 0, 0);
    }

    /** Whether any migration is left to end before the drain is stopped. */
    public boolean anyUnderWay() {
        return aborted + running + postCopy + postMigrating > 0;
    }

    /** The note while the drain is stopping, e.g. "window closed: stopping: 2 aborting, 1 in post-copy finishing". */
    public String whileStopping() {
        return text("stopping", "aborting", "finishing", "cancelled");
    }

    /** The note once the drain stopped, e.g. "window closed: stopped: 2 aborted, 1 in post-copy finished". */
    public String onceStopped() {
        return text("stopped", "aborted", "finished", "cancelled");
    }

    private String text(String status, String abort, String finish, String cancel) {
        List<String> parts = new ArrayList<>();
        if (aborted > 0) {
            parts.add(aborted + " " + abort);
        }
        if (running > 0) {
            parts.add(running + " running in pre-copy " + finish);
        }
        if (postCopy > 0) {
            parts.add(postCopy + " in post-copy " + finish);
        }
        if (postMigrating > 0) {
            parts.add(postMigrating + " post-migrating " + finish);
        }
        if (cancelled > 0) {
            parts.add(cancelled + " not started " + cancel);
        }
        return why + ": " + status + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }
}

package io.ferry.conductor.domain;

import io.ferry.conductor.domain.Effect.ToHost;
import io.ferry.conductor.domain.MigrationInput.AgentReplied;
import io.ferry.conductor.domain.MigrationInput.JobEnded;
import io.ferry.conductor.domain.MigrationInput.LivenessCheck;
import io.ferry.conductor.domain.MigrationProcess.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps a migration out of an unknown state when a host it depends on goes silent (nothing heard from it for longer
 * than {@code host-heartbeat-timeout}), and learns where the guest ended up once that host reports again.
 *
 * <pre>
 *   status                      silent host                 outcome
 *   accepted, queued            source                      failed: nothing changed, the guest stays on the source
 *   preparing                   source                      failed: destination rolled back, guest on the source
 *   preparing, start ordered    source                      error: guest on the source unless the stream ran;
 *                                                           abort ordered, the destination keeps its reservation
 *   preparing, destination step destination                 that destination refused: next alternate, else failed
 *                                                           (the guest on the source; the rollback order waits
 *                                                           in the destination's topic)
 *   running                     source                      error with the last figures; abort ordered, the
 *                                                           destination keeps its reservation until the outcome
 *   running                     destination                 abort ordered (the source is heard, so the outcome
 *                                                           will be known): cancelled, the guest stays on the
 *                                                           source, the destination rolls back when it returns
 *   running (post-copy)         source                      error: the guest runs on the destination, pages on the
 *                                                           source; never aborted
 *   running (post-copy)         destination                 nothing: the guest already runs there, never aborted
 *   post-migrating              destination not activated   error: the guest's memory is on the destination
 *   post-migrating              source not cleaned          error: the guest runs on the destination
 *   running                     none, but no progress       ask the source whether its job still runs
 *   any other                   any                         nothing
 * </pre>
 *
 * An {@code error} that waits for the source's job ({@code awaiting ABORT_JOB}, or {@code SWITCH_TO_POST_COPY} for a
 * job in post-copy) is updated, never moved, when the
 * source reports again: job cancelled or failed: the guest is on the source and the destination's reservation is
 * released; completed: the destination takes the guest over and the source cleans up; the source has no job and no
 * record of it: the record says so and the operator checks. After post-migrating, the answer to the order the silent
 * host did not confirm (it waited in its topic) settles where the guest is.
 */
final class HostSilence {

    private final MigrationProcess process;
    private final LivenessSettings settings;

    HostSilence(MigrationProcess process, LivenessSettings settings) {
        this.process = process;
        this.settings = settings;
    }

    /** The hosts whose silence would end {@code m} now: those it waits for. */
    static Set<String> watchedHosts(Migration m) {
        Set<String> hosts = new LinkedHashSet<>();
        switch (m.status()) {
            case ACCEPTED, QUEUED, RUNNING_POST_COPY -> hosts.add(m.sourceHost());
            case RUNNING -> {
                hosts.add(m.sourceHost());
                if (m.abortReason() == null) {
                    // a stream must not complete onto a host nobody can order to take the guest over
                    hosts.add(m.destHost());
                }
            }
            case PREPARING -> {
                hosts.add(m.sourceHost());
                if (m.destHost() != null && (m.awaiting() == AgentStep.PREPARE_DESTINATION
                        || m.awaiting() == AgentStep.CHECK_DESTINATION)) {
                    hosts.add(m.destHost());
                }
            }
            case POST_MIGRATING -> {
                if (!m.destinationActivated()) {
                    hosts.add(m.destHost());
                }
                if (!m.sourceCleaned()) {
                    hosts.add(m.sourceHost());
                }
            }
            case COMPLETED, FAILED, CANCELLED, ERROR -> {
            }
        }
        hosts.remove(null);
        return hosts;
    }

    Step onCheck(Migration m, LivenessCheck check) {
        if (!settings.heartbeatCheckEnabled() || m.status().isTerminal()) {
            return Step.unchanged(m);
        }
        Instant now = check.at();
        for (String host : watchedHosts(m)) {
            Duration silent = check.silentFor().getOrDefault(host, Duration.ZERO);
            if (settings.lost(silent)) {
                return onLost(m, host, silent, now);
            }
        }
        if (m.status() == MigrationStatus.RUNNING && m.awaiting() == null && m.abortReason() == null
                && settings.lost(Duration.between(m.updatedAt(), now))) {
            // The source talks, but not about this job: ask (a directive it refuses, re-announcing the job's end,
            // when the job is gone).
            Migration next = m.awaiting(AgentStep.SET_MAX_DOWNTIME);
            return Step.quiet(next, new ToHost(m.sourceHost(), AgentStep.SET_MAX_DOWNTIME, next,
                    process.downtimeInForce(m)));
        }
        return Step.unchanged(m);
    }

    private Step onLost(Migration m, String host, Duration silent, Instant now) {
        String src = m.sourceHost();
        String dst = m.destHost();
        boolean source = host.equals(src);
        String silence = (source ? "source host " : "destination host ") + host
                + " stopped reporting: nothing heard from it for " + seconds(silent)
                + " s (host-heartbeat-timeout " + seconds(settings.hostHeartbeatTimeout()) + " s)";
        return switch (m.status()) {
            case ACCEPTED, QUEUED -> process.fail(m, silence + "; nothing changed: the guest stays on " + src, now);
            case PREPARING -> {
                if (!source) {
                    yield guestStaysOnSource(process.tryAnotherDestination(m,
                            "prepare destination: no answer from " + silence, now), host);
                }
                if (m.awaiting() == AgentStep.START_MIGRATION) {
                    yield errorAwaitingOutcome(m, silence + " after the start of the stream was ordered",
                            "the guest runs on " + src + ", unless the start order reached " + src
                                    + " and its stream completed unseen: then on " + dst, now, true);
                }
                yield process.fail(m, silence + "; nothing changed: the guest stays on " + src, now);
            }
            case RUNNING -> !source ? abortForSilentDestination(m, silence, now) : errorAwaitingOutcome(m, silence + " while the stream ran; " + lastKnown(m),
                    "the guest runs on " + src + ", unless its stream to " + dst + " completed while " + src
                            + " was silent: then on " + dst, now, true);
            case RUNNING_POST_COPY -> {
                if (!source) {
                    yield Step.unchanged(m);
                }
                yield errorAwaitingOutcome(m, silence + " during post-copy; " + lastKnown(m),
                        "the guest runs on " + dst + " in post-copy; the memory pages not yet copied are on " + src
                                + ": if " + src + " does not come back, the guest has lost them", now, false);
            }
            case POST_MIGRATING -> {
                // The order the silent host did not confirm waits in its topic: the error waits for its answer.
                Migration error = m.moveTo(MigrationStatus.ERROR, silence + " after the copy completed", now)
                        .awaiting(source ? AgentStep.CLEANUP_SOURCE : AgentStep.POST_MIGRATE_DESTINATION);
                yield Step.recorded(source
                        ? error.withLocation("the guest runs on " + dst + "; " + src
                                + " may still hold its resources (the cleanup order waits for it)",
                                "none if " + src + " comes back (it cleans up on its queued order); otherwise"
                                        + " remove the guest's remains from " + src)
                        : error.withLocation("the guest's memory is on " + dst + ", which did not confirm it took"
                                        + " the guest over (the order waits for it)",
                                "check the instance on " + dst + "; if " + dst + " does not come back, rebuild the"
                                        + " instance"));
            }
            case COMPLETED, FAILED, CANCELLED, ERROR -> Step.unchanged(m);
        };
    }

    /**
     * A failed migration whose destination fell silent while preparing: the record says where the guest is and that
     * the destination releases its room by itself (the rollback order waits in its topic).
     */
    private static Step guestStaysOnSource(Step step, String silentDestination) {
        Migration m = step.migration();
        if (m.status() != MigrationStatus.FAILED) {
            return step;
        }
        Migration located = m.noted(m.reason() + "; nothing changed: the guest stays on " + m.sourceHost(),
                        m.updatedAt())
                .withLocation("the guest runs on " + m.sourceHost() + ": nothing changed",
                "none if " + silentDestination + " comes back: it releases the room it may have reserved on the"
                        + " rollback order waiting in its topic; otherwise release that room when it is restored");
        List<Migration> records = step.records().stream().map(r -> r == m ? located : r).toList();
        return new Step(located, records, step.effects());
    }

    /**
     * The destination fell silent while the stream ran (pre-copy): nobody could order it to take the guest over, so
     * the source, which is heard, is ordered to abort; the job's end then cancels the migration (the guest stays on
     * the source) and rolls the destination back, an order that waits in its topic until it returns. Should the
     * stream complete before the abort lands, post-migrating waits for the destination as usual.
     */
    private static Step abortForSilentDestination(Migration m, String silence, Instant now) {
        if (m.abortReason() != null) {
            return Step.unchanged(m);
        }
        String src = m.sourceHost();
        String dst = m.destHost();
        String why = silence + " while the stream ran; " + lastKnown(m) + "; Ferry aborted the job so that the"
                + " guest stays on " + src;
        Migration next = m.withAbortRequested(why).noted(why, now)
                .withDecision(new LastDecision("abort", why, null, now))
                .withLocation("the guest runs on " + src + ": its stream to " + dst
                                + " is aborted, as " + dst + " could not take it over while silent",
                        "none if " + dst + " comes back: it releases its reservation on the rollback order waiting"
                                + " in its topic; otherwise release the reservation on " + dst
                                + " when it is restored");
        return Step.recorded(next, new ToHost(src, AgentStep.ABORT_JOB, next));
    }

    /**
     * {@code error} that goes on waiting for the source's job outcome ({@link #awaitsOutcome}): the abort order,
     * when sent, waits on the source's topic and ends the job (or makes the source re-announce its end).
     */
    private Step errorAwaitingOutcome(Migration m, String reason, String location, Instant now, boolean abort) {
        String src = m.sourceHost();
        String dst = m.destHost();
        Migration error = m.moveTo(MigrationStatus.ERROR, reason, now)
                .withLocation(location, (abort ? "none if " + src + " comes back: Ferry ordered it to abort the job,"
                        : "none if " + src + " comes back and the copy completes:")
                        + " then it releases " + dst + " or finishes the move by the job's outcome; if " + src
                        + " is lost, find the instance on " + src + " or " + dst
                        + ", reset its host to it and release the other one (" + dst + " keeps its reservation)")
                .awaiting(abort ? AgentStep.ABORT_JOB : AgentStep.SWITCH_TO_POST_COPY);
        return abort ? Step.recorded(error, new ToHost(src, AgentStep.ABORT_JOB, error)) : Step.recorded(error);
    }

    /** In {@code error}, waiting for the source's job: what the source says when it reports again. */
    Step afterError(Migration m, MigrationInput input) {
        String src = m.sourceHost();
        String dst = m.destHost();
        Instant now = input.at();
        return switch (input) {
            case JobEnded ended when m.awaiting() == AgentStep.ABORT_JOB
                    || m.awaiting() == AgentStep.SWITCH_TO_POST_COPY -> {
                Migration next = m.withFigures(ended.figures(), now).awaiting(null);
                yield switch (ended.outcome()) {
                    case COMPLETED -> Step.recorded(next.withLocation("the guest runs on " + dst
                                    + ": its stream completed while " + src + " was silent",
                            "none: Ferry ordered " + dst + " to take the guest over and " + src + " to clean up"),
                            new ToHost(dst, AgentStep.POST_MIGRATE_DESTINATION, next),
                            new ToHost(src, AgentStep.CLEANUP_SOURCE, next));
                    case CANCELLED, FAILED -> Step.recorded(next.withLocation("the guest runs on " + src
                                    + ": its job ended " + ended.outcome().name().toLowerCase(Locale.ROOT)
                                    + (ended.reason() == null ? "" : " (" + ended.reason() + ")")
                                    + " and nothing moved",
                            "none: Ferry released the reservation on " + dst),
                            new ToHost(dst, AgentStep.ROLLBACK_DESTINATION, next));
                    case GUEST_LOST -> Step.recorded(next.withLocation("the guest ran on " + dst
                                    + " and lost memory pages still on " + src + " (" + ended.reason() + ")",
                            "recover the instance on " + dst + " (hard reboot) or rebuild it"));
                };
            }
            case AgentReplied reply when reply.step() == m.awaiting()
                    && reply.step() == AgentStep.POST_MIGRATE_DESTINATION && reply.host().equals(dst) ->
                    Step.recorded(m.awaiting(null).noted(m.reason(), now).withLocation(reply.done()
                                    ? "the guest runs on " + dst + ": " + dst + " confirmed it took the guest over when"
                                            + " it reported again" + (m.sourceCleaned() ? ""
                                            : "; " + src + " may still hold its resources")
                                    : "the guest's memory is on " + dst + ", which could not take the guest over: "
                                            + reply.reason(),
                            reply.done() ? (m.sourceCleaned() ? "none" : "check that " + src + " released the guest")
                                    : "check the instance on " + dst + "; recover it there or rebuild it"));
            case AgentReplied reply when reply.step() == m.awaiting()
                    && reply.step() == AgentStep.CLEANUP_SOURCE && reply.host().equals(src) ->
                    Step.recorded(m.awaiting(null).noted(m.reason(), now).withLocation("the guest runs on " + dst
                                    + (reply.done() ? "; " + src + " cleaned up when it reported again"
                                            : "; " + src + " could not clean up: " + reply.reason()),
                            reply.done() ? "none" : "remove the guest's remains from " + src));
            case AgentReplied reply when reply.step() == AgentStep.ABORT_JOB && m.awaiting() == AgentStep.ABORT_JOB
                    && !reply.done()
                    && reply.host().equals(src) -> Step.recorded(m.awaiting(null).noted(m.reason(), now)
                    .withLocation("unknown: " + src + " reported again but has no job for this migration and no"
                                    + " record of how it ended: the guest runs on " + src + " or on " + dst,
                            "find the instance on " + src + " or " + dst + ", reset its host to it and release the"
                                    + " other one (" + dst + " keeps its reservation until then)"));
            default -> Step.unchanged(m);
        };
    }

    /** The last figures the source reported, for the record. */
    static String lastKnown(Migration m) {
        JobFigures f = m.figures();
        if (f.memoryTotalBytes() == 0) {
            return "last known: no progress reading received";
        }
        return String.format(Locale.ROOT,
                "last known (%s): %s, %.2f of %.2f GiB of memory sent, %.2f GiB remaining, downtime limit %d ms,"
                        + " throttle %d %%",
                m.updatedAt(), f.postCopy() ? "post-copy" : "pre-copy", gib(f.memoryProcessedBytes()),
                gib(f.memoryTotalBytes()), gib(f.memoryRemainingBytes()), f.downtimeLimitMillis(),
                f.throttlePercent());
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds())
                : String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    private static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }

    /**
     * Whether {@code m} in {@code error} still waits to hear from the host that fell silent: how the source's job
     * ended ({@code awaiting ABORT_JOB} after an abort was ordered, {@code SWITCH_TO_POST_COPY} for a job in
     * post-copy, never aborted), or the answer to the post-migration order it did not confirm.
     */
    static boolean awaitsOutcome(Migration m) {
        return m.status() == MigrationStatus.ERROR && m.awaiting() != null && switch (m.awaiting()) {
            case ABORT_JOB, SWITCH_TO_POST_COPY, POST_MIGRATE_DESTINATION, CLEANUP_SOURCE -> true;
            default -> false;
        };
    }
}

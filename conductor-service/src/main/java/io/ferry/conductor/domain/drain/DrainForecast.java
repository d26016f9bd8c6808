package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.convergence.Bandwidth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Predicts a drain's schedule: the migrations start in order as the {@link StreamRule} admits them; the first spends
 * the start-up time before its stream flows, the next in line prepares ahead while it waits, so only what is left of
 * its start-up when it is admitted (at least the handover) delays its stream; then the streams share the NIC fairly and run iterative pre-copy (pass 1 is
 * the guest's memory; while a pass is sent the guest dirties at its rate, at most its memory, and that becomes the
 * next pass; each stream gets the rule's {@link StreamRule#fairShare}, so no more than a lone stream's measured
 * bandwidth) until the next pass fits in the downtime at the stream's rate; then the guest pauses and that last pass goes out. A fluid model stepped every 10 ms of
 * simulated time: the same model the simulator runs, without zero pages, working-set caps or bursts.
 */
final class DrainForecast {

    private static final double STEP = 0.01;
    private static final double HORIZON = 24 * 3600;

    /** One migration's predicted start and end (switchover), from the drain's start. */
    record Stream(Duration start, Duration end, boolean converged) {
    }

    record Result(List<Stream> streams, Duration total, int peakStreams) {
    }

    private final StreamRule rule;
    private final DrainSettings settings;

    DrainForecast(StreamRule rule, DrainSettings settings) {
        this.rule = rule;
        this.settings = settings;
    }

    private static final class Running {
        final int index;
        final double memory;
        final double dirtyRate;
        final double needed;
        final double start;
        double startupLeft;
        double pass;
        double dirty;
        int passes = 1;
        boolean converged = true;
        boolean lastPass;

        Running(int index, double memory, double dirtyRate, double needed, double start, double startup) {
            this.index = index;
            this.memory = memory;
            this.dirtyRate = dirtyRate;
            this.needed = needed;
            this.start = start;
            this.startupLeft = startup;
            this.pass = memory;
        }
    }

    Result run(List<DrainCandidate> ordered) {
        double[] starts = new double[ordered.size()];
        double[] ends = new double[ordered.size()];
        boolean[] converged = new boolean[ordered.size()];
        List<Running> running = new ArrayList<>();
        double downtime = settings.downtime().toNanos() / 1e9;
        double startup = settings.startup().toNanos() / 1e9;
        double handover = settings.handover().toNanos() / 1e9;
        int next = 0;
        double nextInLineSince = 0;
        int peak = 0;
        double t = 0;
        while ((next < ordered.size() || !running.isEmpty()) && t < HORIZON) {
            while (next < ordered.size() && admits(running, ordered.get(next))) {
                DrainCandidate vm = ordered.get(next);
                // the next migration in line prepares ahead while the NIC is full: only what is left of its
                // start-up when the rule admits it, and at least the handover, delays its stream
                double left = next == 0 ? startup : Math.max(handover, startup - (t - nextInLineSince));
                running.add(new Running(next, vm.memory().bytes(), vm.dirtyRate().bytesPerSecond(),
                        rule.needed(vm.dirtyRate()).bytesPerSecond(), t, left));
                starts[next] = t;
                next++;
                nextInLineSince = t;
            }
            peak = Math.max(peak, running.size());
            // only streams that flow share the NIC: one still starting up sends nothing yet
            int flowing = (int) running.stream().filter(r -> r.startupLeft <= 0).count();
            double share = rule.fairShare(Math.max(1, flowing)).bytesPerSecond();
            List<Running> finished = new ArrayList<>();
            for (Running r : running) {
                if (r.startupLeft > 0) {
                    r.startupLeft -= STEP;
                    continue;
                }
                r.pass -= share * STEP;
                if (!r.lastPass) {
                    r.dirty = Math.min(r.memory, r.dirty + r.dirtyRate * STEP);
                }
                if (r.pass <= 0) {
                    if (r.lastPass) {
                        finished.add(r);
                    } else if (r.dirty <= share * downtime || r.passes >= settings.maxPasses()) {
                        // switchover: the guest pauses and its last dirty pages go out
                        r.converged = r.dirty <= share * downtime;
                        r.lastPass = true;
                        r.pass = r.dirty;
                        r.dirty = 0;
                    } else {
                        r.pass = r.dirty;
                        r.dirty = 0;
                        r.passes++;
                    }
                }
            }
            t += STEP;
            for (Running r : finished) {
                running.remove(r);
                ends[r.index] = t;
                converged[r.index] = r.converged;
            }
        }
        List<Stream> streams = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < ordered.size(); i++) {
            streams.add(new Stream(seconds(starts[i]), seconds(ends[i]), converged[i]));
            total = Math.max(total, ends[i]);
        }
        return new Result(streams, seconds(total), peak);
    }

    private boolean admits(List<Running> running, DrainCandidate candidate) {
        List<Bandwidth> needs = new ArrayList<>();
        running.forEach(r -> needs.add(Bandwidth.ofBytesPerSecond((long) r.needed)));
        needs.add(rule.needed(candidate.dirtyRate()));
        return rule.admits(needs);
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}

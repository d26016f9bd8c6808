package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ByteSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plans a drain: splits the host's instances into those that live-migrate and those that cannot, orders the
 * migrations (the guests that need the most of the link first, so they run alone while the NIC is theirs, then the
 * largest first so the tail is short), predicts the schedule the {@link StreamRule} produces with
 * {@link DrainForecast}, and picks the stream limit whose schedule ends first.
 */
public final class DrainPlanner {

    private static final Comparator<DrainCandidate> BY_NAME = Comparator.comparing(DrainCandidate::name)
            .thenComparing(DrainCandidate::instanceUuid);

    private final DrainSettings settings;

    public DrainPlanner(DrainSettings settings) {
        this.settings = settings;
    }

    public DrainSettings settings() {
        return settings;
    }

    /**
     * The plan whose forecast ends first, over the stream limits 1 to {@code maxStreams} and the sharing margins
     * {@code convergenceMargin x 2^k} ({@link #MARGIN_DOUBLINGS} doublings). A larger margin raises every guest's
     * needed rate, so the dirtier guests stop sharing the NIC (shared, a stream is slower and its guest dirties more
     * while it is sent) while nearly idle guests still go together (together, their streams hide each other's
     * start-up and handover). On a tie: fewer streams, then the smaller margin.
     */
    public DrainPlan plan(String host, Bandwidth nic, List<DrainCandidate> candidates) {
        return plan(host, nic, Bandwidth.ZERO, candidates);
    }

    /**
     * As {@link #plan(String, Bandwidth, List)}, with the bandwidth one stream from the host was measured to reach
     * ({@link Bandwidth#ZERO}: not measured): each stream's share is {@code min(NIC / streams, streamBandwidth)}, so
     * when one stream cannot fill the NIC the plan runs enough of them to fill it.
     */
    public DrainPlan plan(String host, Bandwidth nic, Bandwidth streamBandwidth, List<DrainCandidate> candidates) {
        DrainPlan best = null;
        for (int streams = 1; streams <= settings.maxStreams(); streams++) {
            double margin = settings.convergenceMargin();
            for (int k = 0; k <= (streams == 1 ? 0 : MARGIN_DOUBLINGS); k++, margin *= 2) {
                DrainPlan plan = plan(host, new StreamRule(nic, margin, streams, streamBandwidth), candidates);
                if (best == null || plan.predictedTotal().compareTo(best.predictedTotal()) < 0) {
                    best = plan;
                }
            }
        }
        return best;
    }

    /** How many times the planner doubles the convergence margin when it looks for the plan that ends first. */
    static final int MARGIN_DOUBLINGS = 6;

    private DrainPlan plan(String host, StreamRule rule, List<DrainCandidate> candidates) {
        Bandwidth nic = rule.nic();
        List<DrainPlan.Excluded> excluded = new ArrayList<>();
        List<DrainCandidate> movable = new ArrayList<>();
        for (DrainCandidate vm : candidates.stream().sorted(BY_NAME).toList()) {
            String blocker = vm.blocker();
            if (blocker != null) {
                excluded.add(new DrainPlan.Excluded(vm, blocker));
            } else {
                movable.add(vm);
            }
        }
        movable.sort(Comparator.comparing((DrainCandidate vm) -> rule.needed(vm.dirtyRate())).reversed()
                .thenComparing(Comparator.comparing(DrainCandidate::memory).reversed())
                .thenComparing(BY_NAME));
        ByteSize total = movable.stream().map(DrainCandidate::memory).reduce(ByteSize.ZERO, ByteSize::plus);
        Duration lowerBound = nic.timeToSend(total);
        DrainForecast.Result forecast = new DrainForecast(rule, settings).run(movable);
        List<DrainPlan.Planned> planned = new ArrayList<>();
        for (int i = 0; i < movable.size(); i++) {
            DrainForecast.Stream s = forecast.streams().get(i);
            planned.add(new DrainPlan.Planned(i, movable.get(i), rule.needed(movable.get(i).dirtyRate()), s.start(),
                    s.end().minus(s.start()), s.converged()));
        }
        return new DrainPlan(host, nic, rule, planned, excluded, lowerBound, forecast.total(), forecast.peakStreams());
    }
}

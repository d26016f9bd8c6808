package io.ferry.scheduler.domain.select;

import io.ferry.scheduler.domain.HostName;
import io.ferry.scheduler.domain.claim.ClaimView;
import io.ferry.scheduler.domain.filter.FilterResult;
import io.ferry.scheduler.domain.filter.Filters;
import io.ferry.scheduler.domain.filter.HostFilter;
import io.ferry.scheduler.domain.filter.LiveMigrationPrecheck;
import io.ferry.scheduler.domain.host.HostClaims;
import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;
import io.ferry.scheduler.domain.weigher.HostWeigher;
import io.ferry.scheduler.domain.weigher.Normalization;
import io.ferry.scheduler.domain.weigher.Weighers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The decision as a pure function of (request, hosts, claims): pre-check, filter, weigh, pick.
 * Stateless and thread-safe.
 *
 * <p>One pass over the hosts runs the filter chain per host (first rejection wins, counted per filter,
 * equivalent to Nova's filter-by-filter passes); passing allocates nothing. The survivors are weighed
 * into primitive arrays, normalised once per weigher, and the best 1 + N are picked in one linear pass
 * (no sort), ties broken by host name.
 */
public final class HostSelector {

    private final HostFilter[] filters;
    private final HostFilter[] capacityFilters;
    private final HostWeigher[] weighers;

    public HostSelector(List<HostFilter> filters, List<HostFilter> capacityFilters, List<HostWeigher> weighers) {
        this.filters = filters.toArray(HostFilter[]::new);
        this.capacityFilters = capacityFilters.toArray(HostFilter[]::new);
        this.weighers = weighers.toArray(HostWeigher[]::new);
    }

    public static HostSelector create(SchedulerSettings settings, Clock clock) {
        return new HostSelector(
                Filters.create(settings.enabledFilters(), clock, settings.serviceDownTime()),
                Filters.create(Filters.CAPACITY, clock, settings.serviceDownTime()),
                Weighers.create(settings.weigherMultipliers()));
    }

    public Decision select(RequestSpec request, Collection<HostState> hosts, ClaimView claims) {
        Optional<String> refusal = LiveMigrationPrecheck.refusal(request);
        if (refusal.isPresent()) {
            return new Decision.NotMigratable(refusal.get());
        }
        if (request.force()) {
            return forced(request, hosts, claims);
        }
        HostName requested = request.requestedHostOrNull();
        Set<HostName> ignore = request.ignoreHosts();
        HostFilter[] chain = filters;
        int nf = chain.length;
        int[] rejected = new int[nf];
        String[] sample = new String[nf];
        HostState[] passed = new HostState[hosts.size()];
        int np = 0;
        int considered = 0;
        for (HostState host : hosts) {
            HostName name = host.name();
            if (requested != null && !requested.equals(name)) {
                continue;
            }
            if (ignore.contains(name)) {
                continue;
            }
            considered++;
            HostClaims open = claims.claimsOn(host);
            HostState candidate = open.isEmpty() ? host : host.withClaims(open);
            int i = 0;
            for (; i < nf; i++) {
                if (!chain[i].passes(candidate, request)) {
                    if (rejected[i]++ == 0 && chain[i].test(candidate, request) instanceof FilterResult.Reject reject) {
                        sample[i] = name + ": " + reject.reason();
                    }
                    break;
                }
            }
            if (i == nf) {
                if (np == passed.length) { // a live view of the fleet may grow while it is read
                    passed = java.util.Arrays.copyOf(passed, np * 2 + 1);
                }
                passed[np++] = candidate;
            }
        }
        if (np == 0) {
            return noValidHost(request, considered, rejected, sample);
        }
        return pick(request, passed, np);
    }

    /**
     * Every filter's verdict on one host, in chain order, stopping at the first rejection: what a
     * DEBUG log line or an operator's "why not this host?" needs.
     */
    public List<FilterVerdict> explain(RequestSpec request, HostState host, ClaimView claims) {
        HostState candidate = host.withClaims(claims.claimsOn(host));
        List<FilterVerdict> verdicts = new ArrayList<>();
        for (HostFilter filter : request.force() ? capacityFilters : filters) {
            FilterResult result = filter.test(candidate, request);
            verdicts.add(new FilterVerdict(filter.name(), result));
            if (!result.passed()) {
                break;
            }
        }
        return verdicts;
    }

    private Decision forced(RequestSpec request, Collection<HostState> hosts, ClaimView claims) {
        HostName forced = request.requestedHostOrNull();
        if (forced.equals(request.sourceHost())) {
            return new Decision.NoValidHost("forced host " + forced + " is the instance's source host", List.of());
        }
        for (HostState host : hosts) {
            if (host.name().equals(forced)) {
                HostState candidate = host.withClaims(claims.claimsOn(host));
                List<FilterCount> counts = new ArrayList<>();
                for (HostFilter filter : capacityFilters) {
                    FilterResult result = filter.test(candidate, request);
                    if (result instanceof FilterResult.Reject reject) {
                        counts.add(new FilterCount(filter.name(), 1, 0, forced + ": " + reject.reason()));
                        return new Decision.NoValidHost("forced host " + forced + " lacks capacity ("
                                + filter.name() + "): " + reject.reason(), counts);
                    }
                    counts.add(new FilterCount(filter.name(), 1, 1, null));
                }
                return new Decision.Selected(forced, List.of());
            }
        }
        return new Decision.NoValidHost("forced host " + forced + " is not a known compute host", List.of());
    }

    private Decision noValidHost(RequestSpec request, int considered, int[] rejected, String[] sample) {
        List<FilterCount> counts = new ArrayList<>(filters.length);
        int remaining = considered;
        for (int i = 0; i < filters.length; i++) {
            int end = remaining - rejected[i];
            counts.add(new FilterCount(filters[i].name(), remaining, end, sample[i]));
            remaining = end;
        }
        String why;
        if (considered == 0) {
            why = request.requestedHost().map(h -> "requested host " + h + " is not a candidate (unknown, ignored or the source)")
                    .orElse("no candidate hosts besides the source and ignored hosts");
        } else {
            why = "Filtering removed all hosts for the request with instance ID '" + request.instanceUuid() + "'";
        }
        return new Decision.NoValidHost("No valid host was found. " + why + ". Filter results: " + counts, counts);
    }

    private Decision pick(RequestSpec request, HostState[] passed, int np) {
        double[] total = new double[np];
        double[] raw = new double[np];
        for (HostWeigher weigher : weighers) {
            if (!weigher.appliesTo(request)) {
                continue;
            }
            for (int i = 0; i < np; i++) {
                raw[i] = weigher.weigh(passed[i], request);
            }
            Normalization.normalize(raw, np);
            double multiplier = weigher.multiplier();
            for (int i = 0; i < np; i++) {
                total[i] += multiplier * raw[i];
            }
        }
        int k = Math.min(np, 1 + request.maxAlternates());
        int[] best = new int[k];
        int size = 0;
        for (int i = 0; i < np; i++) {
            if (size == k && !better(i, best[k - 1], total, passed)) {
                continue;
            }
            int pos = size < k ? size++ : k - 1;
            while (pos > 0 && better(i, best[pos - 1], total, passed)) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = i;
        }
        List<HostName> alternates = new ArrayList<>(k - 1);
        for (int j = 1; j < k; j++) {
            alternates.add(passed[best[j]].name());
        }
        return new Decision.Selected(passed[best[0]].name(), alternates);
    }

    /** Higher weight first; equal weights by host name, ascending. */
    private static boolean better(int a, int b, double[] weight, HostState[] hosts) {
        int byWeight = Double.compare(weight[a], weight[b]);
        if (byWeight != 0) {
            return byWeight > 0;
        }
        return hosts[a].name().compareTo(hosts[b].name()) < 0;
    }
}

package io.ferry.conductor.domain;

import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.drain.DrainAdmission;
import io.ferry.conductor.domain.drain.StreamRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which queued migrations may start now: first in, first out per source host, within the per-source,
 * per-destination and cluster limits. Pure: given every migration the conductor knows, a plan.
 *
 * <p>A host being drained ({@link DrainAdmission}) queues its drain's migrations first, in plan order, and admits
 * them by the drain's {@link StreamRule} instead of the per-source limit: a migration streams only when it and every
 * migration streaming from the source (running, post-copy, or with its start sent; not post-migrating, which no
 * longer uses the NIC) still get at least their needed rate from a fair share of the NIC. To keep the NIC busy
 * between migrations, the next migration of the plan prepares ahead (scheduling, destination checks) while the NIC
 * is full; its start is held ({@link #releasable}) until the rule lets it stream.
 */
public final class MigrationSlots {

    /**
     * The plan: migrations to start now (oldest first), every migration that keeps waiting with its place in its
     * source host's queue and why, and the destinations at their inbound limit (for the scheduler to ignore).
     */
    public record Plan(List<Migration> toStart, Map<String, Waiting> waiting, Set<String> fullDestinations) {
    }

    /** A queued migration that keeps waiting. */
    public record Waiting(int position, String reason) {
    }

    private static final Comparator<Migration> ARRIVAL =
            Comparator.comparing(Migration::createdAt).thenComparingLong(Migration::id).thenComparing(Migration::uuid);

    private MigrationSlots() {
    }

    /** Whether a migration in this status counts against the limits. */
    public static boolean holdsSlot(MigrationStatus status) {
        return switch (status) {
            case PREPARING, RUNNING, RUNNING_POST_COPY, POST_MIGRATING -> true;
            case ACCEPTED, QUEUED, COMPLETED, FAILED, CANCELLED, ERROR -> false;
        };
    }

    public static Plan plan(Collection<Migration> migrations, SlotLimits limits) {
        return plan(migrations, limits, DrainAdmission.none());
    }

    /** Whether a migration in this status streams (or is about to stream) from its source's NIC. */
    static boolean usesSourceNic(MigrationStatus status) {
        return holdsSlot(status) && status != MigrationStatus.POST_MIGRATING;
    }

    public static Plan plan(Collection<Migration> migrations, SlotLimits limits, DrainAdmission drains) {
        Map<String, List<Bandwidth>> streams = new HashMap<>();
        Map<String, List<Bandwidth>> preparing = new HashMap<>();
        Map<String, Integer> outgoing = new HashMap<>();
        Map<String, Integer> incoming = new HashMap<>();
        int total = 0;
        List<Migration> queued = new ArrayList<>();
        for (Migration m : migrations) {
            if (holdsSlot(m.status())) {
                total++;
                outgoing.merge(m.sourceHost(), 1, Integer::sum);
                if (m.destinationForLimits() != null) {
                    incoming.merge(m.destinationForLimits(), 1, Integer::sum);
                }
                if (streams(m, drains)) {
                    streams.computeIfAbsent(m.sourceHost(), h -> new ArrayList<>()).add(needed(drains, m));
                } else if (drains.tickets().containsKey(m.uuid()) && m.status() == MigrationStatus.PREPARING) {
                    preparing.computeIfAbsent(m.sourceHost(), h -> new ArrayList<>()).add(needed(drains, m));
                }
            } else if (m.status() == MigrationStatus.QUEUED) {
                queued.add(m);
            }
        }
        queued.sort(Comparator.comparingInt((Migration m) -> drains.tickets().containsKey(m.uuid()) ? 0 : 1)
                .thenComparingInt(m -> drains.tickets().containsKey(m.uuid()) ? drains.tickets().get(m.uuid()).rank() : 0)
                .thenComparing(ARRIVAL));
        List<Migration> toStart = new ArrayList<>();
        Map<String, Waiting> waiting = new LinkedHashMap<>();
        Set<String> blockedSources = new HashSet<>();
        Map<String, Integer> positions = new HashMap<>();
        for (Migration m : queued) {
            String source = m.sourceHost();
            String dest = m.requestedHost();
            String why = null;
            DrainAdmission.Ticket ticket = drains.tickets().get(m.uuid());
            StreamRule rule = ticket == null ? null : drains.rules().get(source);
            List<Bandwidth> streaming = streams.getOrDefault(source, List.of());
            List<Bandwidth> ahead = preparing.getOrDefault(source, List.of());
            List<Bandwidth> soon = new ArrayList<>(streaming);
            soon.addAll(ahead);
            if (blockedSources.contains(source)) {
                why = "waiting behind earlier migrations from " + source;
            } else if (ticket != null && ticket.waitsForEarlier()) {
                why = "waiting for the earlier migrations of drain " + ticket.drainId() + " to be recorded";
            } else if (SlotLimits.reached(limits.perCluster(), total)) {
                why = "waiting for a slot: " + total + " live migrations run in the cluster"
                        + " (parallel_migrations_per_cluster=" + limits.perCluster() + ")";
            } else if (rule != null && !rule.admits(with(soon, ticket.needed())) && !ahead.isEmpty()) {
                int n = soon.size() + 1;
                why = "waiting for the source NIC: " + soon.size() + " streams leave or are about to leave " + source + " ("
                        + rule.nic() + (rule.streamBandwidth().isZero() ? "" : ", one stream at most " + rule.oneStream())
                        + "); this guest needs " + ticket.needed() + " and "
                        + (n > rule.maxStreams() ? "the drain runs at most " + rule.maxStreams() + " at once"
                        : "a fair share of " + n + " streams would be " + rule.fairShare(n));
            } else if (rule == null && SlotLimits.reached(limits.perSourceHost(), outgoing.getOrDefault(source, 0))) {
                why = "waiting for a slot: " + source + " runs " + outgoing.get(source) + " outgoing live migrations"
                        + " (max_concurrent_live_migrations=" + limits.perSourceHost() + ")";
            } else if (dest != null && SlotLimits.reached(limits.perDestinationHost(), incoming.getOrDefault(dest, 0))) {
                why = "waiting for a slot: " + dest + " receives " + incoming.get(dest) + " live migrations"
                        + " (max_incoming_live_migrations=" + limits.perDestinationHost() + ")";
            }
            if (why == null) {
                toStart.add(m);
                total++;
                outgoing.merge(source, 1, Integer::sum);
                if (rule != null) {
                    preparing.computeIfAbsent(source, h -> new ArrayList<>()).add(ticket.needed());
                } else {
                    streams.computeIfAbsent(source, h -> new ArrayList<>()).add(needed(drains, m));
                }
                if (dest != null) {
                    incoming.merge(dest, 1, Integer::sum);
                }
            } else {
                blockedSources.add(source);
                waiting.put(m.uuid(), new Waiting(positions.merge(source, 1, Integer::sum), why));
            }
        }
        Set<String> full = new TreeSet<>();
        incoming.forEach((host, count) -> {
            if (SlotLimits.reached(limits.perDestinationHost(), count)) {
                full.add(host);
            }
        });
        return new Plan(List.copyOf(toStart), waiting, full);
    }

    /**
     * Whether a migration streams from its source's NIC now: outside drains, every migration holding a slot but
     * post-migrating; in a drain, one running, in post-copy, or whose start went out (not held).
     */
    static boolean streams(Migration m, DrainAdmission drains) {
        DrainAdmission.Ticket ticket = drains.tickets().get(m.uuid());
        if (ticket == null) {
            return usesSourceNic(m.status());
        }
        return switch (m.status()) {
            case RUNNING, RUNNING_POST_COPY -> true;
            case PREPARING -> m.awaiting() == AgentStep.START_MIGRATION && !ticket.held();
            case ACCEPTED, QUEUED, POST_MIGRATING, COMPLETED, FAILED, CANCELLED, ERROR -> false;
        };
    }

    /**
     * The held starts of drain migrations that may go out now, in plan order: each when the NIC rule admits it with
     * everything streaming from its source; one being aborted always (its start is acknowledged, then aborted).
     */
    public static List<String> releasable(Collection<Migration> migrations, DrainAdmission drains) {
        Map<String, List<Bandwidth>> streams = new HashMap<>();
        List<Migration> held = new ArrayList<>();
        for (Migration m : migrations) {
            DrainAdmission.Ticket ticket = drains.tickets().get(m.uuid());
            if (streams(m, drains)) {
                streams.computeIfAbsent(m.sourceHost(), h -> new ArrayList<>()).add(needed(drains, m));
            } else if (ticket != null && ticket.held() && m.status() == MigrationStatus.PREPARING) {
                held.add(m);
            }
        }
        held.sort(Comparator.comparingInt((Migration m) -> drains.tickets().get(m.uuid()).rank()).thenComparing(ARRIVAL));
        List<String> release = new ArrayList<>();
        for (Migration m : held) {
            StreamRule rule = drains.rules().get(m.sourceHost());
            List<Bandwidth> with = with(streams.getOrDefault(m.sourceHost(), List.of()), needed(drains, m));
            if (m.abortReason() != null || rule == null || rule.admits(with)) {
                release.add(m.uuid());
                streams.put(m.sourceHost(), with);
            }
        }
        return release;
    }

    private static List<Bandwidth> with(List<Bandwidth> streaming, Bandwidth candidate) {
        List<Bandwidth> all = new ArrayList<>(streaming);
        all.add(candidate);
        return all;
    }

    private static Bandwidth needed(DrainAdmission drains, Migration m) {
        DrainAdmission.Ticket ticket = drains.tickets().get(m.uuid());
        return ticket == null ? Bandwidth.ZERO : ticket.needed();
    }
}

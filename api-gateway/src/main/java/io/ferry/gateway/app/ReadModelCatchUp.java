package io.ferry.gateway.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the gateway's read models hold everything its topics held when it started. A started gateway replays
 * {@code ferry.host.events}, {@code ferry.migrations}, {@code ferry.migration.progress} and {@code ferry.drains}
 * from their beginning; until it has read every partition up to the end offset it found at start, it would answer
 * 404 for a server or migration that exists, so the API answers 503 instead (see {@code CatchingUpFilter}).
 * Caught up once, it stays caught up: later records are live traffic, not history.
 */
public class ReadModelCatchUp {

    /** A partition of a topic. */
    public record Partition(String topic, int partition) {
        @Override
        public String toString() {
            return topic + "-" + partition;
        }
    }

    private final Map<Partition, Long> handledUpTo = new ConcurrentHashMap<>();
    private volatile Map<Partition, Long> targets;
    private volatile boolean caughtUp;

    /** A catch-up that is over before it starts: for a gateway without Kafka (contract tests). */
    public static ReadModelCatchUp done() {
        ReadModelCatchUp none = new ReadModelCatchUp();
        none.target(Map.of());
        return none;
    }

    /** The end offsets of the read models' partitions, as the broker reported them at start (once). */
    public synchronized void target(Map<Partition, Long> endOffsets) {
        if (targets == null) {
            targets = Map.copyOf(endOffsets);
            check();
        }
    }

    /** A record was handled (applied, or dead-lettered): everything up to its offset has been read. */
    public void handled(Partition partition, long offset) {
        handledUpTo.merge(partition, offset + 1, Math::max);
        if (!caughtUp) {
            check();
        }
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** How far the replay is, for the 503's message and the health check. */
    public String progress() {
        Map<Partition, Long> t = targets;
        if (t == null) {
            return "waiting for the broker's end offsets";
        }
        long behind = t.entrySet().stream().filter(e -> !reached(e.getKey(), e.getValue())).count();
        return (t.size() - behind) + " of " + t.size() + " partitions read to where they ended at start";
    }

    private synchronized void check() {
        Map<Partition, Long> t = targets;
        if (t != null && t.entrySet().stream().allMatch(e -> reached(e.getKey(), e.getValue()))) {
            caughtUp = true;
        }
    }

    private boolean reached(Partition partition, long endOffset) {
        return endOffset <= 0 || handledUpTo.getOrDefault(partition, 0L) >= endOffset;
    }
}

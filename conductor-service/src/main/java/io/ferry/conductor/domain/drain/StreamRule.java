package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.convergence.Bandwidth;
import java.util.Collection;

/**
 * The concurrency rule of a drain on one source NIC: keep the NIC full, but never share it so thinly that a stream
 * falls below the rate it needs to converge. Streams share the NIC fairly (each of n streams gets NIC / n), so a set
 * of streams is admissible when {@code NIC / n >= every member's needed rate} and {@code n <= maxStreams}. A guest
 * whose needed rate is the whole link (dirty rate x margin at or above the NIC) goes alone; idle guests go together.
 *
 * @param nic        the source NIC's bandwidth
 * @param margin     the convergence margin: needed rate = dirty rate x margin, capped at the NIC
 * @param maxStreams the most streams at once
 */
public record StreamRule(Bandwidth nic, double margin, int maxStreams) {

    public StreamRule {
        if (nic.isZero()) {
            throw new IllegalArgumentException("a drain needs the source NIC's bandwidth");
        }
    }

    public static StreamRule of(Bandwidth nic, DrainSettings settings) {
        return new StreamRule(nic, settings.convergenceMargin(), settings.maxStreams());
    }

    /** The rate below which a stream of a guest dirtying at {@code dirtyRate} is starved. */
    public Bandwidth needed(Bandwidth dirtyRate) {
        double need = dirtyRate.bytesPerSecond() * margin;
        return Bandwidth.ofBytesPerSecond((long) Math.min(nic.bytesPerSecond(), Math.ceil(need)));
    }

    /** Each stream's share when {@code streams} streams run. */
    public Bandwidth fairShare(int streams) {
        return Bandwidth.ofBytesPerSecond(nic.bytesPerSecond() / Math.max(1, streams));
    }

    /** Whether streams with these needed rates may run together. */
    public boolean admits(Collection<Bandwidth> needs) {
        if (needs.size() > maxStreams) {
            return false;
        }
        Bandwidth share = fairShare(needs.size());
        return needs.stream().allMatch(n -> n.compareTo(share) <= 0);
    }
}

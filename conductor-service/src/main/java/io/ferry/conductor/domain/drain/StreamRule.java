package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.convergence.Bandwidth;
import java.util.Collection;
import java.util.Objects;

/**
 * The concurrency rule of a drain on one source NIC: keep the NIC full, but never share it so thinly that a stream
 * falls below the rate it needs to converge. Streams share the NIC fairly, and one stream gets at most what the
 * source measured a lone stream reach ({@code streamBandwidth}, when known: a stream bound by its sending thread's
 * CPU cannot fill a fast NIC), so each of n streams gets {@code min(NIC / n, streamBandwidth)}. A set of streams is
 * admissible when that share is at least every member's needed rate and {@code n <= maxStreams}. A guest whose
 * needed rate is all one stream can get (dirty rate x margin at or above it) goes alone; idle guests go together,
 * and when one stream cannot fill the NIC, several go at once even if each needs much.
 *
 * @param nic             the source NIC's bandwidth
 * @param margin          the convergence margin: needed rate = dirty rate x margin, capped at one stream's rate
 * @param maxStreams      the most streams at once
 * @param streamBandwidth the highest bandwidth one stream from the source was measured to reach;
 *                        {@link Bandwidth#ZERO}: not measured (a stream is assumed to fill the NIC)
 */
public record StreamRule(Bandwidth nic, double margin, int maxStreams, Bandwidth streamBandwidth) {

    public StreamRule {
        if (nic.isZero()) {
            throw new IllegalArgumentException("a drain needs the source NIC's bandwidth");
        }
        Objects.requireNonNull(streamBandwidth, "streamBandwidth");
    }

    /** A rule for a source whose per-stream bandwidth is not known. */
    public StreamRule(Bandwidth nic, double margin, int maxStreams) {
        this(nic, margin, maxStreams, Bandwidth.ZERO);
    }

    public static StreamRule of(Bandwidth nic, DrainSettings settings) {
        return new StreamRule(nic, settings.convergenceMargin(), settings.maxStreams());
    }

    /** What one stream alone gets: the NIC, or less when a lone stream was measured to reach less. */
    public Bandwidth oneStream() {
        return streamBandwidth.isZero() || streamBandwidth.compareTo(nic) > 0 ? nic : streamBandwidth;
    }

    /** The rate below which a stream of a guest dirtying at {@code dirtyRate} is starved. */
    public Bandwidth needed(Bandwidth dirtyRate) {
        double need = dirtyRate.bytesPerSecond() * margin;
        return Bandwidth.ofBytesPerSecond((long) Math.min(oneStream().bytesPerSecond(), Math.ceil(need)));
    }

    /** Each stream's share when {@code streams} streams run: {@code min(NIC / streams, one stream's rate)}. */
    public Bandwidth fairShare(int streams) {
        return Bandwidth.ofBytesPerSecond(Math.min(nic.bytesPerSecond() / Math.max(1, streams),
                oneStream().bytesPerSecond()));
    }

    /** Whether streams with these needed rates may run together. */
    public boolean admits(Collection<Bandwidth> needs) {
        if (needs.size() > maxStreams) {
            return false;
        }
        Bandwidth share = fairShare(needs.size());
        return needs.stream().allMatch(n -> n.compareTo(share) <= 0);
    }

    /** The same rule with another stream limit. */
    public StreamRule withMaxStreams(int streams) {
        return new StreamRule(nic, margin, streams, streamBandwidth);
    }
}

package io.ferry.agent.domain;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The highest bandwidth one migration stream from this host reached recently: the largest of the bandwidth readings
 * taken while that stream ran alone (no other outgoing stream shared the NIC with it), among the readings within
 * {@code window} before the latest one. Such a reading is what one stream can push: the NIC, or less when the
 * stream is bound by its sending thread's CPU (or a configured cap). The figure stays until newer lone streams
 * replace it: a host's per-stream ceiling is a property of its CPU and NIC, which does not fade while nothing
 * migrates. Not thread-safe (the agent serialises its calls).
 */
public final class LoneStreamBandwidth {

    private record Reading(long atMillis, long bytesPerSecond) {
    }

    private final long windowMillis;
    /** Readings that may still be the highest: bandwidth strictly decreasing from head to tail. */
    private final Deque<Reading> candidates = new ArrayDeque<>();

    public LoneStreamBandwidth(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the stream bandwidth window must be positive: " + window);
        }
        this.windowMillis = window.toMillis();
    }

    /**
     * A stream's reading: counted when it streamed (pre-copy or post-copy, bandwidth above 0) and ran alone.
     *
     * @param alone whether no other outgoing stream ran from this host at the time
     */
    public void observe(JobReading reading, boolean alone) {
        boolean streaming = reading.phase() == JobReading.JobPhase.PRE_COPY
                || reading.phase() == JobReading.JobPhase.POST_COPY;
        if (alone && streaming && reading.bandwidthBytesPerSec() > 0) {
            observe(reading.readingTimeMillis(), reading.bandwidthBytesPerSec());
        }
    }

    /** A lone stream's bandwidth at {@code atMillis}. */
    public void observe(long atMillis, long bytesPerSecond) {
        long latest = candidates.isEmpty() ? atMillis : Math.max(atMillis, candidates.peekLast().atMillis());
        while (!candidates.isEmpty() && candidates.peekLast().bytesPerSecond() <= bytesPerSecond) {
            candidates.pollLast();
        }
        candidates.addLast(new Reading(latest, bytesPerSecond));
        while (candidates.peekFirst().atMillis() < latest - windowMillis) {
            candidates.pollFirst();
        }
    }

    /** The highest lone-stream bandwidth within the window before the latest reading, bytes/s; 0 when none. */
    public long highest() {
        return candidates.isEmpty() ? 0 : candidates.peekFirst().bytesPerSecond();
    }
}

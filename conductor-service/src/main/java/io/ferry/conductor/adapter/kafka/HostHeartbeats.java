package io.ferry.conductor.adapter.kafka;

import io.ferry.conductor.app.HostLiveness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this conductor last heard each host: any message an agent sends for it (inventory heartbeat, instance
 * change, progress, reply, job end), timed on the conductor's own clock when it arrives, so agents' clocks never
 * matter. A host not heard since this conductor started counts as heard at the start (a restarted conductor gives
 * every host a full timeout).
 */
public class HostHeartbeats implements HostLiveness {

    private final Clock clock;
    private final Instant started;
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();

    public HostHeartbeats(Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
    }

    /** Something arrived from {@code host}. */
    public void heard(String host) {
        if (host != null) {
            lastHeard.put(host, clock.instant());
        }
    }

    @Override
    public Duration silentFor(String host, Instant now) {
        Instant last = lastHeard.getOrDefault(host, started);
        Duration silent = Duration.between(last.isBefore(started) ? started : last, now);
        return silent.isNegative() ? Duration.ZERO : silent;
    }

    @Override
    public boolean anyHeardWithin(Duration window, Instant now) {
        Instant since = now.minus(window);
        return !started.isBefore(since) || lastHeard.values().stream().anyMatch(t -> !t.isBefore(since));
    }
}

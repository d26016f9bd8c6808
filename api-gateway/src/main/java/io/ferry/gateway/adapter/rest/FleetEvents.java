package io.ferry.gateway.adapter.rest;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's event stream: every {@code interval} it renders the fleet and, when the document differs from the
 * one last sent, pushes it to every open stream as a {@code fleet} event (a comment every ~15 s otherwise keeps
 * proxies from closing an idle stream). One thread, whatever the number of viewers; a stream that fails to take an
 * event is dropped (the page opens a new one).
 */
public class FleetEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FleetEvents.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final long KEEP_ALIVE_MS = 15_000;

    private final FleetViews views;
    private final Clock clock;
    private final Duration streamTimeout;
    private final List<SseEmitter> streams = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;
    private String last;
    private long lastSentAt;

    public FleetEvents(FleetViews views, Clock clock, Duration interval, Duration streamTimeout) {
        this.views = views;
        this.clock = clock;
        this.streamTimeout = streamTimeout;
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("console-events").factory());
        ticker.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Opens a stream whose first event is the fleet as it is now. */
    public SseEmitter open() {
        SseEmitter emitter = new SseEmitter(streamTimeout.toMillis());
        emitter.onCompletion(() -> streams.remove(emitter));
        emitter.onTimeout(() -> streams.remove(emitter));
        emitter.onError(e -> streams.remove(emitter));
        try {
            emitter.send(SseEmitter.event().name("fleet").data(render(), MediaType.APPLICATION_JSON));
        } catch (IOException e) {
            emitter.completeWithError(e);
            return emitter;
        }
        streams.add(emitter);
        return emitter;
    }

    public int openStreams() {
        return streams.size();
    }

    private String render() {
        return JSON.writeValueAsString(views.snapshot(clock.millis()));
    }

    private synchronized void tick() {
        if (streams.isEmpty()) {
            last = null;
            return;
        }
        try {
            String now = render();
            long at = clock.millis();
            if (now.equals(last) && at - lastSentAt < KEEP_ALIVE_MS) {
                return;
            }
            boolean changed = !now.equals(last);
            last = now;
            lastSentAt = at;
            for (SseEmitter emitter : streams) {
                try {
                    emitter.send(changed ? SseEmitter.event().name("fleet").data(now, MediaType.APPLICATION_JSON)
                            : SseEmitter.event().comment("keep-alive"));
                } catch (IOException | IllegalStateException e) {
                    streams.remove(emitter);
                    emitter.completeWithError(e);
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not push the fleet to the console's streams", e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        streams.forEach(SseEmitter::complete);
        streams.clear();
    }
}

package io.ferry.conductor.adapter.scheduling;

import io.ferry.conductor.app.ConductorService;
import io.ferry.conductor.app.HostLiveness;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@link ConductorService#checkLiveness} at a fixed period on a thread of its own, from start to close. The
 * decisions are the domain's; this only makes time pass for the conductor.
 */
public class LivenessTicker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LivenessTicker.class);

    private final ConductorService conductor;
    private final HostLiveness liveness;
    private final Duration period;
    private final Runnable afterCheck;
    private ScheduledExecutorService executor;

    public LivenessTicker(ConductorService conductor, HostLiveness liveness, Duration period) {
        this(conductor, liveness, period, () -> { });
    }

    /** With {@code afterCheck} run after each check, on the ticker's thread (e.g. waiting for what it published). */
    public LivenessTicker(ConductorService conductor, HostLiveness liveness, Duration period, Runnable afterCheck) {
        this.conductor = conductor;
        this.liveness = liveness;
        this.period = period;
        this.afterCheck = afterCheck;
    }

    /** A quarter of the timeout, between 200 ms and 5 s: a lost host is seen at most a quarter late. */
    public static Duration periodFor(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        Duration min = Duration.ofMillis(200);
        Duration max = Duration.ofSeconds(5);
        return quarter.compareTo(min) < 0 ? min : quarter.compareTo(max) > 0 ? max : quarter;
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("conductor-liveness").factory());
        executor.scheduleWithFixedDelay(this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            conductor.checkLiveness(liveness);
            afterCheck.run();
        } catch (RuntimeException e) {
            log.warn("liveness check failed (tried again in {} ms): {}", period.toMillis(), e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}

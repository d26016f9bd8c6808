package io.ferry.agent.adapter.libvirt;

import java.time.Duration;
import java.time.Instant;

/** When to try reconnecting next: doubling waits from an initial one up to a ceiling, reset by a success. */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration wait;
    private Instant nextAttempt = Instant.MIN;
    private int failures;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.wait = initial;
    }

    boolean mayTry(Instant now) {
        return !now.isBefore(nextAttempt);
    }

    /** An attempt failed at {@code now}; returns how long until the next one. */
    Duration failed(Instant now) {
        Duration current = wait;
        nextAttempt = now.plus(current);
        failures++;
        Duration doubled = wait.multipliedBy(2);
        wait = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    void succeeded() {
        wait = initial;
        nextAttempt = Instant.MIN;
        failures = 0;
    }

    Instant nextAttempt() {
        return nextAttempt;
    }

    int failures() {
        return failures;
    }
}

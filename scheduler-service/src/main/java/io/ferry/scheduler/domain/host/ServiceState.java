package io.ferry.scheduler.domain.host;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The nova-compute service of the host: enabled or disabled (with the operator's reason), forced
 * down, and the last heartbeat. It is up while the heartbeat is younger than {@code service_down_time}.
 */
public record ServiceState(boolean enabled, String disabledReason, boolean forcedDown, Instant lastHeartbeat) {

    /** Nova's {@code service_down_time} default. */
    public static final Duration DEFAULT_SERVICE_DOWN_TIME = Duration.ofSeconds(60);

    public ServiceState {
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    }

    public static ServiceState up(Instant heartbeat) {
        return new ServiceState(true, null, false, heartbeat);
    }

    public boolean isUp(Instant now, Duration serviceDownTime) {
        if (forcedDown) {
            return false;
        }
        // age < serviceDownTime, in primitive arithmetic (no Duration per host and call)
        long ageSeconds = now.getEpochSecond() - lastHeartbeat.getEpochSecond();
        long ageNanos = now.getNano() - lastHeartbeat.getNano();
        long limitSeconds = serviceDownTime.getSeconds();
        long limitNanos = serviceDownTime.getNano();
        if (ageNanos < 0) {
            ageSeconds--;
            ageNanos += 1_000_000_000L;
        }
        return ageSeconds < limitSeconds || (ageSeconds == limitSeconds && ageNanos < limitNanos);
    }

    public ServiceState disabled(String reason) {
        return new ServiceState(false, reason, forcedDown, lastHeartbeat);
    }
}

package io.ferry.gateway.app;

import io.ferry.messaging.MessagePublisher;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.common.ServiceStatus;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.SetServiceStatus;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * os-services updates: publishes {@link SetServiceStatus} to the host's agent, and shows the requested state
 * until the agent's next inventory (newer than the request) reports it, so a list right after an update agrees.
 */
public class ServiceCommands {

    /** A compute service's administrative state. */
    public record ServiceState(boolean enabled, String disabledReason, boolean forcedDown) {
    }

    private record Pending(ServiceState state, long requestedAt) {
    }

    private final MessagePublisher publisher;
    private final Clock clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public ServiceCommands(MessagePublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    /** The state to show for a host: the agent's report, unless a newer request of ours is still on its way. */
    public ServiceState state(HostInventory host) {
        Pending p = pending.get(host.getHost());
        if (p != null && p.requestedAt() >= host.getEnvelope().getEventTime()) {
            return p.state();
        }
        return new ServiceState(host.getServiceStatus() == ServiceStatus.ENABLED, host.getDisabledReason(),
                host.getForcedDown());
    }

    /**
     * Applies an update to {@code host}: null arguments keep the current value.
     *
     * @return the state after the update
     */
    public ServiceState update(HostInventory host, Boolean enabled, String disabledReason, Boolean forcedDown) {
        ServiceState current = state(host);
        boolean newEnabled = enabled == null ? current.enabled() : enabled;
        String reason = enabled == null ? current.disabledReason() : enabled ? null : disabledReason;
        ServiceState next = new ServiceState(newEnabled, reason,
                forcedDown == null ? current.forcedDown() : forcedDown);
        long now = clock.millis();
        publisher.sendAndWait(Topics.hostCommands(host.getHost()), host.getHost(), SetServiceStatus.newBuilder()
                .setEnvelope(Envelopes.of(host.getHost(), null, now, "api-gateway"))
                .setHost(host.getHost())
                .setEnabled(enabled)
                .setDisabledReason(enabled == null || enabled ? null : disabledReason)
                .setForcedDown(forcedDown)
                .build());
        pending.put(host.getHost(), new Pending(next, now));
        return next;
    }
}

package io.ferry.gateway.app;

import io.ferry.messaging.MessagePublisher;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.Topics;
import io.ferry.schemas.migration.AbortDrain;
import io.ferry.schemas.migration.DrainHost;
import io.ferry.schemas.migration.DrainRecord;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Drains a host, or stops a drain: checks what can be checked here (the host exists, no drain of it is under way,
 * the drain has not ended), then publishes {@link DrainHost} / {@link AbortDrain} on
 * {@code ferry.migration.commands}, keyed by the host so a drain's commands stay in order. A refused request
 * publishes nothing.
 */
public class DrainCommands {

    /** The answer to a request. */
    public sealed interface Result {
        record Accepted(String drainId, String host) implements Result {
        }

        record NotFound(String message) implements Result {
        }

        record Conflict(String message) implements Result {
        }
    }

    /** A drain request after parsing. */
    public record DrainRequest(String host, String reason, boolean disableHost, boolean dryRun, String userId,
                               String projectId) {
    }

    private final HostDirectory hosts;
    private final DrainView drains;
    private final MessagePublisher publisher;
    private final Clock clock;

    public DrainCommands(HostDirectory hosts, DrainView drains, MessagePublisher publisher, Clock clock) {
        this.hosts = hosts;
        this.drains = drains;
        this.publisher = publisher;
        this.clock = clock;
    }

    public Result drain(DrainRequest request) {
        if (hosts.host(request.host()).isEmpty()) {
            return new Result.NotFound("Compute host " + request.host() + " could not be found.");
        }
        Optional<String> active = drains.activeOn(request.host());
        if (active.isPresent()) {
            return new Result.Conflict("Host " + request.host() + " is already being drained (drain "
                    + active.get() + ").");
        }
        String drainId = UUID.randomUUID().toString();
        if (!request.dryRun() && !drains.markRequested(request.host(), drainId)) {
            return new Result.Conflict("Host " + request.host() + " is already being drained.");
        }
        drains.expect(drainId);
        try {
            publisher.sendAndWait(Topics.MIGRATION_COMMANDS, request.host(), DrainHost.newBuilder()
                    .setEnvelope(Envelopes.of(drainId, null, clock.millis(), "api-gateway"))
                    .setHost(request.host()).setReason(request.reason()).setDisableHost(request.disableHost())
                    .setDrainId(drainId).setDryRun(request.dryRun())
                    .setUserId(nullToEmpty(request.userId())).setProjectId(nullToEmpty(request.projectId()))
                    .build());
        } catch (MessagePublisher.PublishFailedException e) {
            drains.forgetRequest(request.host(), drainId);
            throw e;
        }
        return new Result.Accepted(drainId, request.host());
    }

    /** Stops a drain: no further migration of it starts; running ones finish. */
    public Result abort(String drainId, String reason) {
        return abort(drainId, reason, false);
    }

    /**
     * Stops a drain: no further migration of it starts; running ones finish or, with {@code abortRunning}, those
     * streaming in pre-copy are aborted (the conductor lets post-copy and post-migrating ones finish).
     */
    public Result abort(String drainId, String reason, boolean abortRunning) {
        Optional<DrainRecord> record = drains.byId(drainId);
        String host;
        if (record.isPresent()) {
            DrainRecord drain = record.get();
            if (DrainView.isEnded(drain) || "stopping".equals(drain.getStatus())) {
                return new Result.Conflict("Drain " + drainId + " cannot be stopped: it is " + drain.getStatus()
                        + ".");
            }
            host = drain.getHost();
        } else {
            Optional<DrainView.Requested> requested = drains.requested(drainId);
            if (requested.isEmpty()) {
                return new Result.NotFound("Drain " + drainId + " could not be found.");
            }
            host = requested.get().host();
        }
        publisher.sendAndWait(Topics.MIGRATION_COMMANDS, host, AbortDrain.newBuilder()
                .setEnvelope(Envelopes.of(drainId, null, clock.millis(), "api-gateway"))
                .setDrainId(drainId).setReason(reason).setAbortRunning(abortRunning).build());
        return new Result.Accepted(drainId, host);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

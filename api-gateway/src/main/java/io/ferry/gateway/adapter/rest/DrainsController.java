package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.DrainCommands;
import io.ferry.gateway.app.DrainView;
import io.ferry.gateway.app.MigrationView;
import io.ferry.gateway.domain.ApiPolicy;
import io.ferry.gateway.domain.Principal;
import io.ferry.schemas.migration.DrainRecord;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ferry's drain API ({@code /ferry/v1}, admin only): drain a host as one operation, follow it, stop it. Bad input
 * is 400 before the policy check, as Nova does; an unknown host or drain 404; a host already being drained, or a
 * drain that has ended, 409. A dry run answers the plan itself (200), or 504 when the conductor does not record it
 * within {@code ferry.drain.dry-run-timeout}.
 */
@RestController
public class DrainsController {

    private static final List<String> BODY_KEYS = List.of("reason", "disable_host");

    private final DrainCommands commands;
    private final DrainView drains;
    private final MigrationView migrations;
    private final Clock clock;
    private final Duration dryRunTimeout;

    public DrainsController(DrainCommands commands, DrainView drains, MigrationView migrations, Clock gatewayClock,
                            DrainApiSettings settings) {
        this.commands = commands;
        this.drains = drains;
        this.migrations = migrations;
        this.clock = gatewayClock;
        this.dryRunTimeout = settings.dryRunTimeout();
    }

    /** {@code ferry.drain.*} as the controller needs it. */
    public record DrainApiSettings(Duration dryRunTimeout) {
    }

    @PostMapping("/ferry/v1/hosts/{host}/drain")
    public ResponseEntity<Map<String, Object>> drain(@PathVariable String host,
                                                     @RequestBody(required = false) Map<String, Object> body,
                                                     HttpServletRequest request) throws InterruptedException {
        Map<String, Object> b = body == null ? Map.of() : body;
        Params.noOtherKeys("body", b, BODY_KEYS);
        Object reason = b.get("reason");
        if (reason != null && !(reason instanceof String r && !r.isBlank() && r.length() <= 255)) {
            throw Params.invalidField("reason", reason, "is not a valid string of 1 to 255 characters");
        }
        Object disable = b.getOrDefault("disable_host", Boolean.TRUE);
        if (!(disable instanceof Boolean disableHost)) {
            throw Params.invalidField("disable_host", disable, "is not of type 'boolean'");
        }
        String dryRunParameter = request.getParameter("dry_run");
        boolean dryRun = dryRunParameter != null && Params.strictBoolean("dry_run", dryRunParameter);
        Params.onlyAllowed(request, Set.of("dry_run"));
        Principal principal = Auth.require(request, ApiPolicy.DRAINS_CREATE);

        DrainCommands.Result result = commands.drain(new DrainCommands.DrainRequest(host, (String) reason,
                disableHost, dryRun, principal.userId(), principal.projectId()));
        return switch (result) {
            case DrainCommands.Result.NotFound nf -> throw NovaApiException.notFound(nf.message());
            case DrainCommands.Result.Conflict c -> throw NovaApiException.conflict(c.message());
            case DrainCommands.Result.Accepted a when dryRun -> plan(a.drainId());
            case DrainCommands.Result.Accepted a -> ResponseEntity.status(HttpStatus.ACCEPTED)
                    .location(URI.create("/ferry/v1/drains/" + a.drainId()))
                    .body(Map.of("drain", accepted(a.drainId(), host)));
        };
    }

    private ResponseEntity<Map<String, Object>> plan(String drainId) throws InterruptedException {
        Optional<DrainRecord> plan = drains.await(drainId, dryRunTimeout);
        if (plan.isEmpty()) {
            throw new NovaApiException(HttpStatus.GATEWAY_TIMEOUT, "The conductor did not plan drain " + drainId
                    + " within " + dryRunTimeout.toSeconds() + " s; try again.");
        }
        return ResponseEntity.ok(Map.of("drain", DrainViews.detail(plan.get(), migrations, clock.millis())));
    }

    private Map<String, Object> accepted(String drainId, String host) {
        return drains.byId(drainId).map(d -> DrainViews.summary(d, migrations, clock.millis()))
                .orElseGet(() -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", drainId);
                    m.put("host", host);
                    m.put("status", "requested");
                    m.put("dry_run", false);
                    return m;
                });
    }

    @GetMapping("/ferry/v1/drains")
    public Map<String, Object> list(HttpServletRequest request) {
        Params.onlyAllowed(request, Set.of("host", "status"));
        Auth.require(request, ApiPolicy.DRAINS_INDEX);
        String host = request.getParameter("host");
        String status = request.getParameter("status");
        long now = clock.millis();
        return Map.of("drains", drains.all().stream()
                .filter(d -> host == null || host.equals(d.getHost()))
                .filter(d -> status == null || status.equals(d.getStatus()))
                .map(d -> DrainViews.summary(d, migrations, now)).toList());
    }

    @GetMapping("/ferry/v1/drains/{id}")
    public Map<String, Object> show(@PathVariable String id, HttpServletRequest request) {
        Auth.require(request, ApiPolicy.DRAINS_SHOW);
        DrainRecord drain = drains.byId(id).orElseThrow(() -> notFound(id));
        return Map.of("drain", DrainViews.detail(drain, migrations, clock.millis()));
    }

    /**
     * Stops a drain: no further migration of it starts; running ones finish, or with {@code ?abort_running=true}
     * those streaming in pre-copy are aborted (post-copy and post-migrating ones cannot be, and finish).
     */
    @DeleteMapping("/ferry/v1/drains/{id}")
    public ResponseEntity<Void> stop(@PathVariable String id, HttpServletRequest request) {
        String abortParameter = request.getParameter("abort_running");
        boolean abortRunning = abortParameter != null && Params.strictBoolean("abort_running", abortParameter);
        Params.onlyAllowed(request, Set.of("abort_running"));
        Auth.require(request, ApiPolicy.DRAINS_DELETE);
        return switch (commands.abort(id, "stopped by the operator", abortRunning)) {
            case DrainCommands.Result.NotFound nf -> throw notFound(id);
            case DrainCommands.Result.Conflict c -> throw NovaApiException.conflict(c.message());
            case DrainCommands.Result.Accepted a -> ResponseEntity.status(HttpStatus.ACCEPTED).build();
        };
    }

    private static NovaApiException notFound(String id) {
        return NovaApiException.notFound("Drain " + id + " could not be found.");
    }
}

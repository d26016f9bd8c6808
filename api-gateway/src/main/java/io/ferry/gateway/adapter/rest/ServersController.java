package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.MigrationCommands;
import io.ferry.gateway.app.MigrationCommands.LiveMigrateRequest;
import io.ferry.gateway.app.MigrationView;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.messaging.readmodel.HostDirectory.Placement;
import io.ferry.schemas.migration.BlockMigration;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /v2.1/servers}: the servers the agents report, and the os-migrateLive action. */
@RestController
public class ServersController {

    private static final Set<String> LIVE_MIGRATE_KEYS = Set.of("host", "block_migration", "disk_over_commit", "force");

    private final HostDirectory hosts;
    private final MigrationView migrations;
    private final MigrationCommands commands;

    public ServersController(HostDirectory hosts, MigrationView migrations, MigrationCommands commands) {
        this.hosts = hosts;
        this.migrations = migrations;
        this.commands = commands;
    }

    static String baseUrl() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }

    @GetMapping({"/v2.1/servers", "/v2/servers"})
    public Map<String, Object> list(@RequestParam(required = false) String host,
                                    @RequestParam(required = false) String name) {
        String base = baseUrl();
        return Map.of("servers", filtered(host, name).map(p -> NovaViews.serverSummary(p, base)).toList());
    }

    @GetMapping({"/v2.1/servers/detail", "/v2/servers/detail"})
    public Map<String, Object> detail(@RequestParam(required = false) String host,
                                      @RequestParam(required = false) String name) {
        String base = baseUrl();
        return Map.of("servers", filtered(host, name).map(p -> detail(p, base)).toList());
    }

    @GetMapping({"/v2.1/servers/{id}", "/v2/servers/{id}"})
    public Map<String, Object> show(@PathVariable String id) {
        return Map.of("server", detail(placement(id), baseUrl()));
    }

    private Map<String, Object> detail(Placement p, String base) {
        boolean migrating = migrations.inProgressFor(p.instance().getSpec().getUuid()).isPresent();
        return NovaViews.serverDetail(p, migrating, hosts.host(p.host()).orElse(null), base);
    }

    private Stream<Placement> filtered(String host, String name) {
        return hosts.placements().stream()
                .filter(p -> host == null || host.equals(p.host()))
                .filter(p -> name == null || p.instance().getSpec().getName().matches(".*" + java.util.regex.Pattern.quote(name) + ".*"))
                .sorted(Comparator.comparing((Placement p) -> p.instance().getSpec().getName())
                        .thenComparing(p -> p.instance().getSpec().getUuid()));
    }

    Placement placement(String id) {
        return hosts.placement(id).orElseThrow(() -> NovaApiException.notFound("Instance " + id + " could not be found."));
    }

    @PostMapping({"/v2.1/servers/{id}/action", "/v2/servers/{id}/action"})
    public ResponseEntity<Void> action(@PathVariable String id, @RequestBody Map<String, Object> body,
                                       HttpServletRequest request) {
        if (body.size() != 1) {
            throw NovaApiException.badRequest("There is no such action: " + body.keySet());
        }
        String action = body.keySet().iterator().next();
        if (!"os-migrateLive".equals(action)) {
            throw NovaApiException.badRequest("There is no such action: " + action);
        }
        if (!(body.get(action) instanceof Map<?, ?> args)) {
            throw NovaApiException.badRequest("Invalid input for field/attribute os-migrateLive.");
        }
        for (Object key : args.keySet()) {
            if (!LIVE_MIGRATE_KEYS.contains(String.valueOf(key))) {
                throw NovaApiException.badRequest("Additional properties are not allowed ('" + key + "' was unexpected)");
            }
        }
        Object host = args.get("host");
        if (host != null && !(host instanceof String)) {
            throw NovaApiException.badRequest("Invalid input for field/attribute host.");
        }
        BlockMigration block = switch (args.get("block_migration")) {
            case null -> BlockMigration.AUTO;
            case Boolean b -> b ? BlockMigration.YES : BlockMigration.NO;
            case String s when s.equals("auto") -> BlockMigration.AUTO;
            default -> throw NovaApiException.badRequest("Invalid input for field/attribute block_migration.");
        };
        Object force = args.get("force");
        if (force != null && !(force instanceof Boolean)) {
            throw NovaApiException.badRequest("Invalid input for field/attribute force.");
        }
        String requestId = String.valueOf(request.getAttribute("ferry.request-id"));
        var result = commands.liveMigrate(new LiveMigrateRequest(id, (String) host, block, Boolean.TRUE.equals(force),
                "admin", "admin", requestId));
        return switch (result) {
            case MigrationCommands.Result.Accepted accepted -> ResponseEntity.accepted().build();
            case MigrationCommands.Result.NotFound notFound -> throw NovaApiException.notFound(notFound.message());
            case MigrationCommands.Result.Conflict conflict -> throw NovaApiException.conflict(conflict.message());
            case MigrationCommands.Result.Invalid invalid -> throw NovaApiException.badRequest(invalid.message());
        };
    }

}

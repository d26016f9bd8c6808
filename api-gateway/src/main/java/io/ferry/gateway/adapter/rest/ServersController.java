package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.MigrationCommands;
import io.ferry.gateway.app.MigrationCommands.LiveMigrateRequest;
import io.ferry.gateway.app.MigrationView;
import io.ferry.gateway.domain.ApiPolicy;
import io.ferry.gateway.domain.Microversion;
import io.ferry.gateway.domain.Principal;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.messaging.readmodel.HostDirectory.Placement;
import io.ferry.schemas.migration.BlockMigration;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /v2.1/servers}: the servers the agents report, and the os-migrateLive action. */
@RestController
public class ServersController {

    private static final Set<String> ALL_TENANTS_TRUE = Set.of("", "1", "t", "true", "on", "y", "yes");

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
    public Map<String, Object> list(HttpServletRequest request) {
        String base = baseUrl();
        return page(request, "servers", p -> NovaViews.serverSummary(p, base));
    }

    @GetMapping({"/v2.1/servers/detail", "/v2/servers/detail"})
    public Map<String, Object> detail(HttpServletRequest request) {
        String base = baseUrl();
        Principal principal = Auth.principal(request);
        Microversion v = ApiVersionFilter.of(request);
        return page(request, "servers/detail", p -> detail(p, principal, v, base));
    }

    @GetMapping({"/v2.1/servers/{id}", "/v2/servers/{id}"})
    public Map<String, Object> show(@PathVariable String id, HttpServletRequest request) {
        Principal principal = Auth.require(request, ApiPolicy.SERVERS_SHOW);
        Placement p = visiblePlacement(id, principal);
        return Map.of("server", detail(p, principal, ApiVersionFilter.of(request), baseUrl()));
    }

    private Map<String, Object> detail(Placement p, Principal principal, Microversion v, String base) {
        boolean migrating = migrations.inProgressFor(p.instance().getSpec().getUuid()).isPresent();
        return NovaViews.serverDetail(p, migrating, hosts.host(p.host()).orElse(null),
                ApiPolicy.SERVERS_EXTENDED_ATTRIBUTES.allows(principal), v, base);
    }

    /**
     * Nova's list filters and paging: a member sees its project's servers; {@code all_tenants} is admin-only (403
     * otherwise), and admin-only filters such as {@code host} are ignored for members, as Nova ignores them.
     */
    private Map<String, Object> page(HttpServletRequest request, String collection,
                                     Function<Placement, Map<String, Object>> view) {
        Principal principal = Auth.require(request, ApiPolicy.SERVERS_INDEX);
        boolean admin = principal.isAdmin();
        String allTenants = request.getParameter("all_tenants");
        boolean everyProject = allTenants != null && ALL_TENANTS_TRUE.contains(allTenants.trim().toLowerCase());
        if (allTenants != null && !ApiPolicy.SERVERS_ALL_TENANTS.allows(principal)) {
            throw NovaApiException.forbidden(ApiPolicy.SERVERS_ALL_TENANTS.refusal());
        }
        String project = admin && everyProject
                ? firstNonNull(request.getParameter("project_id"), request.getParameter("tenant_id"))
                : principal.projectId();
        String host = admin ? request.getParameter("host") : null;
        Pattern name = pattern(request.getParameter("name"));
        String status = request.getParameter("status");
        Instant changesSince = Params.time(request, "changes-since");
        Microversion v = ApiVersionFilter.of(request);
        Instant changesBefore = v.atLeast(2, 66) ? Params.time(request, "changes-before") : null;
        if (changesSince != null && changesBefore != null && changesBefore.isBefore(changesSince)) {
            throw NovaApiException.badRequest("The value of changes-since must be less than or equal to "
                    + "changes-before.");
        }
        Integer limit = Params.limit(request);
        String marker = request.getParameter("marker");
        List<Placement> all = hosts.placements().stream()
                .filter(p -> project == null || project.equals(p.instance().getSpec().getProjectId()))
                .filter(p -> host == null || host.equals(p.host()))
                .filter(p -> name == null || name.matcher(p.instance().getSpec().getName()).find())
                .filter(p -> status == null || status.equalsIgnoreCase(statusOf(p)))
                .filter(p -> changesSince == null || !Instant.ofEpochMilli(p.reportedAt()).isBefore(changesSince))
                .filter(p -> changesBefore == null || !Instant.ofEpochMilli(p.reportedAt()).isAfter(changesBefore))
                .sorted(Comparator.comparing((Placement p) -> p.instance().getSpec().getName())
                        .thenComparing(p -> p.instance().getSpec().getUuid()))
                .toList();
        int from = 0;
        if (marker != null) {
            int at = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).instance().getSpec().getUuid().equals(marker)) {
                    at = i;
                }
            }
            if (at < 0) {
                throw NovaApiException.badRequest("marker [" + marker + "] not found");
            }
            from = at + 1;
        }
        int to = limit == null ? all.size() : Math.min(all.size(), from + limit);
        List<Map<String, Object>> servers = new ArrayList<>();
        for (Placement p : all.subList(from, to)) {
            servers.add(view.apply(p));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("servers", servers);
        if (limit != null && limit > 0 && servers.size() == limit) {
            String last = all.get(to - 1).instance().getSpec().getUuid();
            body.put("servers_links", List.of(Map.of("rel", "next", "href",
                    baseUrl() + "/v2.1/" + collection + "?limit=" + limit + "&marker=" + last)));
        }
        return body;
    }

    private String statusOf(Placement p) {
        return migrations.inProgressFor(p.instance().getSpec().getUuid()).isPresent() ? "MIGRATING"
                : switch (p.instance().getVmState()) {
                    case "active" -> "ACTIVE";
                    case "paused" -> "PAUSED";
                    case "stopped" -> "SHUTOFF";
                    default -> p.instance().getVmState().toUpperCase();
                };
    }

    private static Pattern pattern(String name) {
        if (name == null) {
            return null;
        }
        try {
            return Pattern.compile(name);
        } catch (PatternSyntaxException e) {
            return Pattern.compile(Pattern.quote(name));
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    Placement placement(String id) {
        return hosts.placement(id).orElseThrow(() -> NovaApiException.notFound("Instance " + id + " could not be found."));
    }

    /** A server the principal may see: any for an admin, its project's for a member (404 otherwise, as Nova). */
    Placement visiblePlacement(String id, Principal principal) {
        Placement p = placement(id);
        if (!principal.isAdmin() && !principal.owns(p.instance().getSpec().getProjectId())) {
            throw NovaApiException.notFound("Instance " + id + " could not be found.");
        }
        return p;
    }

    @PostMapping({"/v2.1/servers/{id}/action", "/v2/servers/{id}/action"})
    public ResponseEntity<Void> action(@PathVariable String id, @RequestBody Map<String, Object> body,
                                       HttpServletRequest request) {
        if (body.size() != 1) {
            throw NovaApiException.badRequest("There is no such action: " + String.join(", ",
                    body.keySet().stream().map(String::valueOf).toList()));
        }
        String action = body.keySet().iterator().next();
        if (!"os-migrateLive".equals(action)) {
            throw NovaApiException.badRequest("There is no such action: " + action);
        }
        Microversion v = ApiVersionFilter.of(request);
        LiveMigrateBody args = LiveMigrateBody.parse(body.get(action), v);
        Principal principal = Auth.principal(request);
        Placement placement = visiblePlacement(id, principal);
        Auth.require(request, ApiPolicy.MIGRATE_LIVE);
        String requestId = String.valueOf(request.getAttribute(AuthFilter.REQUEST_ID));
        var spec = placement.instance().getSpec();
        var result = commands.liveMigrate(new LiveMigrateRequest(id, args.host(), args.blockMigration(), args.force(),
                spec.getUserId(), spec.getProjectId(), requestId));
        return switch (result) {
            case MigrationCommands.Result.Accepted accepted -> ResponseEntity.accepted().build();
            case MigrationCommands.Result.NotFound notFound -> throw NovaApiException.notFound(notFound.message());
            case MigrationCommands.Result.Conflict conflict -> throw NovaApiException.conflict(conflict.message());
            case MigrationCommands.Result.Invalid invalid -> throw NovaApiException.badRequest(invalid.message());
        };
    }

    /** os-migrateLive's body per microversion (Nova's schemas migrate_live, _v2_25, _v2_30, _v2_68). */
    record LiveMigrateBody(String host, BlockMigration blockMigration, boolean force) {

        static LiveMigrateBody parse(Object value, Microversion v) {
            if (!(value instanceof Map<?, ?> args)) {
                throw Params.invalidField("os-migrateLive", value, "is not of type 'object'");
            }
            List<String> allowed = new ArrayList<>(List.of("host", "block_migration"));
            if (!v.atLeast(2, 25)) {
                allowed.add("disk_over_commit");
            }
            if (v.atLeast(2, 30) && !v.atLeast(2, 68)) {
                allowed.add("force");
            }
            Params.noOtherKeys("os-migrateLive", args, allowed);
            if (v.atLeast(2, 25)) {
                Params.required("os-migrateLive", args, "block_migration", "host");
            } else {
                Params.required("os-migrateLive", args, "block_migration", "disk_over_commit", "host");
            }
            Object host = args.get("host");
            if (host != null && !(host instanceof String h && h.length() >= 1 && h.length() <= 255
                    && h.matches("[A-Za-z0-9._-]+"))) {
                throw Params.invalidField("host", host, "is not a 'hostname'");
            }
            Object rawBlock = args.get("block_migration");
            BlockMigration block;
            if (v.atLeast(2, 25) && "auto".equals(rawBlock)) {
                block = BlockMigration.AUTO;
            } else {
                Boolean b = Params.bodyBoolean("block_migration", rawBlock);
                if (b == null) {
                    throw Params.invalidField("block_migration", null, "is not one of [True, 'True', 'true', "
                            + "False, 'False', 'false'" + (v.atLeast(2, 25) ? ", 'auto']" : "]"));
                }
                block = b ? BlockMigration.YES : BlockMigration.NO;
            }
            if (!v.atLeast(2, 25)) {
                if (Params.bodyBoolean("disk_over_commit", args.get("disk_over_commit")) == null) {
                    throw Params.invalidField("disk_over_commit", null, "is not one of [True, False]");
                }
            }
            boolean force = false;
            if (args.containsKey("force")) {
                Boolean f = Params.bodyBoolean("force", args.get("force"));
                force = Boolean.TRUE.equals(f);
                if (force && host == null) {
                    throw NovaApiException.badRequest("Can't force to a non-provided destination");
                }
            }
            return new LiveMigrateBody((String) host, block, force);
        }
    }
}

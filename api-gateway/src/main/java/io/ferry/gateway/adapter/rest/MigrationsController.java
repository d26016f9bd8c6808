package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.MigrationCommands;
import io.ferry.gateway.app.MigrationView;
import io.ferry.gateway.domain.ApiPolicy;
import io.ferry.gateway.domain.Microversion;
import io.ferry.messaging.readmodel.HostDirectory.Placement;
import io.ferry.schemas.migration.MigrationRecord;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /servers/{id}/migrations} (in-progress live migrations of one server) and {@code /os-migrations}. */
@RestController
public class MigrationsController {

    private static final Set<String> FILTERS_V20 =
            Set.of("hidden", "host", "instance_uuid", "source_compute", "status", "migration_type");

    private final ServersController servers;
    private final MigrationView migrations;
    private final MigrationCommands commands;

    public MigrationsController(ServersController servers, MigrationView migrations, MigrationCommands commands) {
        this.servers = servers;
        this.migrations = migrations;
        this.commands = commands;
    }

    @GetMapping("/v2.1/servers/{id}/migrations")
    public Map<String, Object> list(@PathVariable String id, HttpServletRequest request) {
        Microversion v = since(request, 2, 23);
        servers.visiblePlacement(id, Auth.principal(request));
        Auth.require(request, ApiPolicy.SERVER_MIGRATIONS_INDEX);
        return Map.of("migrations", migrations.all().stream()
                .filter(r -> r.getInstance().getUuid().equals(id) && MigrationView.isInProgress(r))
                .map(r -> NovaViews.serverMigration(r, migrations.progress(r.getUuid()), v)).toList());
    }

    @GetMapping("/v2.1/servers/{id}/migrations/{mid}")
    public Map<String, Object> show(@PathVariable String id, @PathVariable String mid, HttpServletRequest request) {
        Microversion v = since(request, 2, 23);
        servers.visiblePlacement(id, Auth.principal(request));
        Auth.require(request, ApiPolicy.SERVER_MIGRATIONS_SHOW);
        MigrationRecord r = ofServer(id, mid).orElseThrow(() -> NovaApiException.notFound(
                "Migration " + mid + " not found for instance " + id));
        if (!MigrationView.isInProgress(r)) {
            throw NovaApiException.notFound("In-progress live migration " + mid + " is not found for server " + id
                    + ".");
        }
        return Map.of("migration", NovaViews.serverMigration(r, migrations.progress(r.getUuid()), v));
    }

    @PostMapping("/v2.1/servers/{id}/migrations/{mid}/action")
    public ResponseEntity<Void> action(@PathVariable String id, @PathVariable String mid,
                                       @RequestBody Map<String, Object> body, HttpServletRequest request) {
        since(request, 2, 22);
        if (!body.containsKey("force_complete")) {
            throw NovaApiException.badRequest(body.size() == 1 ? "There is no such action: " + body.keySet().iterator().next()
                    : "Invalid input for field/attribute force_complete. 'force_complete' is a required property");
        }
        Params.noOtherKeys("body", body, List.of("force_complete"));
        if (body.get("force_complete") != null) {
            throw Params.invalidField("force_complete", body.get("force_complete"), "is not of type 'null'");
        }
        Placement p = servers.visiblePlacement(id, Auth.principal(request));
        Auth.require(request, ApiPolicy.SERVER_MIGRATIONS_FORCE_COMPLETE);
        requireMigrating(id, "force_complete");
        MigrationRecord r = ofServer(id, mid).orElseThrow(() -> NovaApiException.badRequest(
                "Migration " + mid + " not found for instance " + id));
        if (!"running".equals(r.getStatus())) {
            throw NovaApiException.badRequest("Migration " + mid + " state of instance " + id + " is "
                    + r.getStatus() + ". Cannot force complete while the migration is in this state.");
        }
        commands.forceComplete(p.instance().getSpec().getUuid(), r.getUuid());
        return ResponseEntity.accepted().build();
    }

    @DeleteMapping("/v2.1/servers/{id}/migrations/{mid}")
    public ResponseEntity<Void> abort(@PathVariable String id, @PathVariable String mid, HttpServletRequest request) {
        Microversion v = since(request, 2, 24);
        Placement p = servers.visiblePlacement(id, Auth.principal(request));
        Auth.require(request, ApiPolicy.SERVER_MIGRATIONS_DELETE);
        requireMigrating(id, "abort live migration");
        MigrationRecord r = ofServer(id, mid).orElseThrow(() -> NovaApiException.notFound(
                "Migration " + mid + " not found for instance " + id));
        boolean queuedToo = v.atLeast(2, 65);
        boolean abortable = "running".equals(r.getStatus())
                || (queuedToo && ("queued".equals(r.getStatus()) || "preparing".equals(r.getStatus())));
        if (!abortable) {
            throw NovaApiException.badRequest("Migration " + mid + " state of instance " + id + " is "
                    + r.getStatus() + ". Cannot abort live migration while the migration is in this state.");
        }
        commands.abort(p.instance().getSpec().getUuid(), r.getUuid());
        return ResponseEntity.accepted().build();
    }

    private void requireMigrating(String id, String action) {
        if (migrations.inProgressFor(id).isEmpty()) {
            throw NovaApiException.conflict("Cannot '" + action + "' instance " + id
                    + " while it is in task_state None");
        }
    }

    private Optional<MigrationRecord> ofServer(String id, String mid) {
        return migrations.all().stream()
                .filter(r -> r.getInstance().getUuid().equals(id)
                        && (String.valueOf(r.getId()).equals(mid) || r.getUuid().equals(mid)))
                .findFirst();
    }

    private static Microversion since(HttpServletRequest request, int major, int minor) {
        Microversion v = ApiVersionFilter.of(request);
        if (!v.atLeast(major, minor)) {
            throw NovaApiException.versionNotFound();
        }
        return v;
    }

    @GetMapping("/v2.1/os-migrations")
    public Map<String, Object> all(HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        Auth.require(request, ApiPolicy.MIGRATIONS_INDEX);
        if (v.atLeast(2, 59)) {
            Set<String> allowed = new HashSet<>(FILTERS_V20);
            allowed.addAll(List.of("limit", "marker", "changes-since"));
            if (v.atLeast(2, 66)) {
                allowed.add("changes-before");
            }
            if (v.atLeast(2, 80)) {
                allowed.addAll(List.of("user_id", "project_id"));
            }
            Params.onlyAllowed(request, allowed);
        }
        String host = request.getParameter("host");
        String status = request.getParameter("status");
        String instanceUuid = request.getParameter("instance_uuid");
        String migrationType = request.getParameter("migration_type");
        String sourceCompute = request.getParameter("source_compute");
        Instant since = v.atLeast(2, 59) ? Params.time(request, "changes-since") : null;
        Instant before = v.atLeast(2, 66) ? Params.time(request, "changes-before") : null;
        if (since != null && before != null && before.isBefore(since)) {
            throw NovaApiException.badRequest("The value of changes-since must be less than or equal to "
                    + "changes-before.");
        }
        String userId = v.atLeast(2, 80) ? request.getParameter("user_id") : null;
        String projectId = v.atLeast(2, 80) ? request.getParameter("project_id") : null;
        List<MigrationRecord> matching = migrations.all().stream()
                .filter(r -> host == null || host.equals(r.getSourceHost()) || host.equals(r.getDestHost()))
                .filter(r -> status == null || status.equals(r.getStatus()))
                .filter(r -> instanceUuid == null || instanceUuid.equals(r.getInstance().getUuid()))
                .filter(r -> migrationType == null || migrationType.equals(r.getMigrationType()))
                .filter(r -> sourceCompute == null || sourceCompute.equals(r.getSourceHost()))
                .filter(r -> since == null || r.getUpdatedAt() >= since.toEpochMilli())
                .filter(r -> before == null || r.getUpdatedAt() <= before.toEpochMilli())
                .filter(r -> userId == null || userId.equals(r.getUserId()))
                .filter(r -> projectId == null || projectId.equals(r.getProjectId()))
                .sorted(Comparator.comparingLong(MigrationRecord::getCreatedAt).reversed()
                        .thenComparing(Comparator.comparingLong(MigrationRecord::getId).reversed()))
                .toList();
        Integer limit = v.atLeast(2, 59) ? Params.limit(request) : null;
        String marker = v.atLeast(2, 59) ? request.getParameter("marker") : null;
        int from = 0;
        if (marker != null) {
            int at = -1;
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).getUuid().equals(marker)) {
                    at = i;
                }
            }
            if (at < 0) {
                throw NovaApiException.badRequest("Marker " + marker + " could not be found.");
            }
            from = at + 1;
        }
        int to = limit == null ? matching.size() : Math.min(matching.size(), from + limit);
        String base = ServersController.baseUrl();
        List<Map<String, Object>> list = new ArrayList<>();
        for (MigrationRecord r : matching.subList(from, to)) {
            list.add(NovaViews.migration(r, v, base));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("migrations", list);
        if (limit != null && limit > 0 && list.size() == limit) {
            body.put("migrations_links", List.of(Map.of("rel", "next", "href", base + "/v2.1/os-migrations?limit="
                    + limit + "&marker=" + matching.get(to - 1).getUuid())));
        }
        return body;
    }
}

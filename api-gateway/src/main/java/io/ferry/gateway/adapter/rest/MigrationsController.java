package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.MigrationCommands;
import io.ferry.gateway.app.MigrationView;
import io.ferry.gateway.domain.Microversion;
import io.ferry.schemas.migration.MigrationRecord;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /servers/{id}/migrations} (in-progress live migrations of one server) and {@code /os-migrations}. */
@RestController
public class MigrationsController {

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
        servers.placement(id);
        Microversion v = ApiVersionFilter.of(request);
        return Map.of("migrations", migrations.all().stream()
                .filter(r -> r.getInstance().getUuid().equals(id) && MigrationView.isInProgress(r))
                .map(r -> NovaViews.serverMigration(r, migrations.progress(r.getUuid()), v)).toList());
    }

    @GetMapping("/v2.1/servers/{id}/migrations/{mid}")
    public Map<String, Object> show(@PathVariable String id, @PathVariable String mid, HttpServletRequest request) {
        MigrationRecord r = inProgress(id, mid);
        return Map.of("migration", NovaViews.serverMigration(r, migrations.progress(r.getUuid()), ApiVersionFilter.of(request)));
    }

    @PostMapping("/v2.1/servers/{id}/migrations/{mid}/action")
    public ResponseEntity<Void> action(@PathVariable String id, @PathVariable String mid,
                                       @RequestBody Map<String, Object> body) {
        if (body.size() != 1 || !body.containsKey("force_complete")) {
            throw NovaApiException.badRequest("There is no such action: " + body.keySet());
        }
        MigrationRecord r = inProgress(id, mid);
        if (!"running".equals(r.getStatus())) {
            throw NovaApiException.conflict("Migration " + mid + " state of instance " + id + " is " + r.getStatus()
                    + ". Cannot force_complete while the migration is in this state.");
        }
        commands.forceComplete(id, r.getUuid());
        return ResponseEntity.accepted().build();
    }

    @DeleteMapping("/v2.1/servers/{id}/migrations/{mid}")
    public ResponseEntity<Void> abort(@PathVariable String id, @PathVariable String mid, HttpServletRequest request) {
        MigrationRecord r = inProgress(id, mid);
        boolean queuedAbortAllowed = ApiVersionFilter.of(request).atLeast(2, 65);
        boolean abortable = "running".equals(r.getStatus())
                || (queuedAbortAllowed && ("queued".equals(r.getStatus()) || "preparing".equals(r.getStatus())));
        if (!abortable) {
            throw NovaApiException.conflict("Migration " + mid + " state of instance " + id + " is " + r.getStatus()
                    + ". Cannot abort live migration while the migration is in this state.");
        }
        commands.abort(id, r.getUuid());
        return ResponseEntity.accepted().build();
    }

    private MigrationRecord inProgress(String id, String mid) {
        servers.placement(id);
        return migrations.all().stream()
                .filter(r -> r.getInstance().getUuid().equals(id)
                        && (String.valueOf(r.getId()).equals(mid) || r.getUuid().equals(mid)))
                .filter(MigrationView::isInProgress)
                .findFirst()
                .orElseThrow(() -> NovaApiException.notFound("Migration " + mid + " for instance " + id
                        + " could not be found or is not in progress."));
    }

    @GetMapping("/v2.1/os-migrations")
    public Map<String, Object> all(@RequestParam(required = false) String host,
                                   @RequestParam(required = false) String status,
                                   @RequestParam(name = "instance_uuid", required = false) String instanceUuid,
                                   @RequestParam(name = "migration_type", required = false) String migrationType,
                                   @RequestParam(name = "source_compute", required = false) String sourceCompute,
                                   HttpServletRequest request) {
        Microversion v = ApiVersionFilter.of(request);
        String base = ServersController.baseUrl();
        List<Map<String, Object>> list = migrations.all().stream()
                .filter(r -> host == null || host.equals(r.getSourceHost()) || host.equals(r.getDestHost()))
                .filter(r -> status == null || status.equals(r.getStatus()))
                .filter(r -> instanceUuid == null || instanceUuid.equals(r.getInstance().getUuid()))
                .filter(r -> migrationType == null || migrationType.equals(r.getMigrationType()))
                .filter(r -> sourceCompute == null || sourceCompute.equals(r.getSourceHost()))
                .map(r -> NovaViews.migration(r, v, base)).toList();
        return Map.of("migrations", list);
    }
}

package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.DrainView;
import io.ferry.gateway.app.MigrationView;
import io.ferry.gateway.app.ServiceCommands;
import io.ferry.gateway.domain.Microversion;
import io.ferry.messaging.readmodel.HostDirectory;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's picture of the fleet, in one document: every host with its service state, capacity and guests, the
 * migrations in progress with their newest reading, and the drains. {@code GET /ferry/v1/fleet} answers it; the
 * event stream pushes it whenever it changes.
 */
public final class FleetViews {

    private static final Microversion SERVICE_IDS = Microversion.parse("2.53");

    private final HostDirectory hosts;
    private final ServiceCommands services;
    private final MigrationView migrations;
    private final DrainView drains;

    public FleetViews(HostDirectory hosts, ServiceCommands services, MigrationView migrations, DrainView drains) {
        this.hosts = hosts;
        this.services = services;
        this.migrations = migrations;
        this.drains = drains;
    }

    public Map<String, Object> snapshot(long now) {
        Map<String, List<HostDirectory.Placement>> guests = new LinkedHashMap<>();
        for (HostDirectory.Placement p : hosts.placements()) {
            guests.computeIfAbsent(p.host(), h -> new ArrayList<>()).add(p);
        }
        List<Map<String, Object>> hostViews = hosts.hosts().stream()
                .map(h -> host(h, guests.getOrDefault(h.getHost(), List.of()))).toList();
        List<Map<String, Object>> running = migrations.all().stream().filter(MigrationView::isInProgress)
                .map(this::migration).toList();
        List<Map<String, Object>> drainViews = drains.all().stream().filter(d -> !d.getDryRun()).limit(20)
                .map(d -> DrainViews.summary(d, migrations, now)).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hosts", hostViews);
        m.put("migrations", running);
        m.put("drains", drainViews);
        return m;
    }

    private Map<String, Object> host(HostInventory h, List<HostDirectory.Placement> placed) {
        ServiceCommands.ServiceState state = services.state(h);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", h.getHost());
        m.put("service_id", NovaViews.serviceId(h.getHost(), SERVICE_IDS));
        m.put("status", state.enabled() ? "enabled" : "disabled");
        m.put("state", hosts.isUp(h) && !state.forcedDown() ? "up" : "down");
        m.put("disabled_reason", state.disabledReason());
        m.put("memory_mb", h.getMemoryMb());
        m.put("memory_mb_used", h.getMemoryMbUsed() + h.getMemoryMbReserved());
        m.put("vcpus", h.getVcpus());
        m.put("vcpus_used", h.getVcpusUsed());
        m.put("active_drain", drains.activeOn(h.getHost()).orElse(null));
        List<Map<String, Object>> servers = placed.stream()
                .sorted(Comparator.comparing((HostDirectory.Placement p) -> -p.instance().getSpec().getMemoryMb())
                        .thenComparing(p -> p.instance().getSpec().getName()))
                .map(p -> server(p.instance())).toList();
        m.put("servers", servers);
        return m;
    }

    private Map<String, Object> server(HostedInstance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.getSpec().getUuid());
        m.put("name", i.getSpec().getName());
        m.put("memory_mb", i.getSpec().getMemoryMb());
        m.put("vcpus", i.getSpec().getVcpus());
        m.put("vm_state", i.getVmState());
        m.put("task_state", i.getTaskState());
        m.put("migration_uuid", i.getMigrationUuid());
        return m;
    }

    private Map<String, Object> migration(MigrationRecord r) {
        Optional<MigrationProgress> reading = migrations.progress(r.getUuid());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.getId());
        m.put("uuid", r.getUuid());
        m.put("server_uuid", r.getInstance().getUuid());
        m.put("server_name", r.getInstance().getName());
        m.put("status", r.getStatus());
        m.put("source_host", r.getSourceHost());
        m.put("dest_host", r.getDestHost());
        m.put("progress", MigrationFigures.percent(migrations, r.getUuid()));
        m.put("iteration", reading.map(MigrationProgress::getIteration).orElse(null));
        // before QEMU's first dirty-page sync it reports no dirty rate: the agent's own measurement stands in
        Optional<Long> measured = reading.filter(p -> p.getDirtyRateBytesPerSec() == 0)
                .map(MigrationProgress::getMeasuredDirtyRate).map(d -> d.getBytesPerSec());
        m.put("dirty_rate_bytes_per_sec", measured.isPresent() ? measured.get()
                : reading.map(MigrationProgress::getDirtyRateBytesPerSec).orElse(null));
        m.put("dirty_rate_source", reading.isEmpty() ? null : measured.isPresent() ? "measured" : "qemu");
        m.put("bandwidth_bytes_per_sec", reading.map(MigrationProgress::getBandwidthBytesPerSec).orElse(null));
        m.put("downtime_limit_ms", reading.map(MigrationProgress::getDowntimeLimitMs)
                .orElse(r.getDowntimeLimitMs()));
        boolean postCopy = r.getPostCopy()
                || reading.map(p -> p.getPhase() == io.ferry.schemas.migration.JobPhase.POST_COPY).orElse(false);
        m.put("mode", postCopy ? "post-copy" : "pre-copy");
        m.put("decision", r.getDecision());
        m.put("decision_reason", r.getDecisionReason());
        return m;
    }
}

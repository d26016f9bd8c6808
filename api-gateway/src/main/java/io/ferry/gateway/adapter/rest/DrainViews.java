package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.DrainView;
import io.ferry.gateway.app.MigrationView;
import io.ferry.schemas.migration.DrainRecord;
import io.ferry.schemas.migration.DrainedInstance;
import io.ferry.schemas.migration.MigrationRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A drain as {@code /ferry/v1/drains} shows it: the conductor's {@link DrainRecord} joined with the migrations read
 * model, so each VM's status and progress are as fresh as the newest migration record or progress reading.
 */
final class DrainViews {

    /** A migration's statuses after which nothing more happens to it. */
    private static final Set<String> MIGRATION_ENDED = Set.of("completed", "failed", "cancelled", "error");
    static final String COLD_MIGRATE = "cold migrate it (os-migrate) or shut it down for the maintenance";

    private DrainViews() {
    }

    /** The short form of a drain (the answer to a drain request, and the list). */
    static Map<String, Object> summary(DrainRecord d, MigrationView migrations, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.getDrainId());
        m.put("host", d.getHost());
        m.put("status", d.getStatus());
        m.put("dry_run", d.getDryRun());
        m.put("disable_host", d.getDisableHost());
        m.put("reason", d.getReason());
        m.put("note", d.getNote());
        m.put("created_at", NovaViews.migrationTime(d.getCreatedAt()));
        m.put("updated_at", NovaViews.migrationTime(d.getUpdatedAt()));
        m.put("ended_at", d.getEndedAt() > 0 ? NovaViews.migrationTime(d.getEndedAt()) : null);
        m.put("total", d.getTotal());
        m.put("done", d.getDone());
        m.put("completed", d.getCompleted());
        m.put("failed", d.getFailed());
        m.put("progress", overallPercent(d, migrations));
        boolean ended = DrainView.isEnded(d);
        long elapsed = d.getDryRun() ? 0
                : ended ? Math.max(0, (d.getEndedAt() > 0 ? d.getEndedAt() : d.getUpdatedAt()) - d.getCreatedAt())
                : Math.max(0, now - d.getCreatedAt());
        long remaining = ended && !d.getDryRun() ? 0
                : d.getDryRun() ? d.getPredictedTotalMs()
                : Math.max(0, d.getPredictedRemainingMs() - Math.max(0, now - d.getUpdatedAt()));
        m.put("elapsed_ms", elapsed);
        m.put("predicted_remaining_ms", remaining);
        m.put("predicted_total_ms", d.getPredictedTotalMs());
        m.put("lower_bound_ms", d.getLowerBoundMs());
        m.put("max_streams", d.getMaxStreams());
        m.put("nic_bandwidth_bytes_per_sec", d.getNicBandwidthBytesPerSec());
        m.put("stream_bandwidth_bytes_per_sec", d.getStreamBandwidthBytesPerSec() > 0
                ? d.getStreamBandwidthBytesPerSec() : null);
        return m;
    }

    /** The whole drain: the summary, every migrated VM, and the VMs left out with the reason and the advice. */
    static Map<String, Object> detail(DrainRecord d, MigrationView migrations, long now) {
        Map<String, Object> m = summary(d, migrations, now);
        List<Map<String, Object>> instances = new ArrayList<>();
        List<Map<String, Object>> excluded = new ArrayList<>();
        for (DrainedInstance i : d.getInstances()) {
            if (i.getMigratable()) {
                instances.add(instance(i, migrations));
            } else {
                excluded.add(excluded(i));
            }
        }
        instances.sort((a, b) -> Integer.compare((int) a.get("order"), (int) b.get("order")));
        m.put("instances", instances);
        m.put("excluded", excluded);
        return m;
    }

    private static Map<String, Object> instance(DrainedInstance i, MigrationView migrations) {
        Optional<MigrationRecord> newest = i.getMigrationUuid() == null ? Optional.empty()
                : migrations.byUuid(i.getMigrationUuid());
        // the drain's record and the migration's come from two topics: when the drain already says the migration
        // ended and this gateway's migration record is behind, the drain's word is the newer one
        boolean lagging = MIGRATION_ENDED.contains(i.getStatus())
                && newest.map(r -> !MIGRATION_ENDED.contains(r.getStatus())).orElse(false);
        Optional<MigrationRecord> record = lagging ? Optional.empty() : newest;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server_uuid", i.getInstanceUuid());
        m.put("name", i.getName());
        m.put("memory_mb", i.getMemoryMb());
        m.put("order", i.getOrder());
        m.put("migration_uuid", i.getMigrationUuid());
        m.put("migration_id", record.map(MigrationRecord::getId).orElse(i.getMigrationId() > 0 ? i.getMigrationId()
                : null));
        m.put("status", record.map(MigrationRecord::getStatus).orElse(i.getStatus()));
        m.put("progress", lagging && "completed".equals(i.getStatus()) ? 100
                : MigrationFigures.percent(migrations, i.getMigrationUuid()));
        m.put("dest_host", record.map(MigrationRecord::getDestHost).orElse(i.getDestHost()));
        m.put("dirty_rate_bytes_per_sec", i.getDirtyRateBytesPerSec());
        m.put("predicted_start_ms", i.getPredictedStartMs());
        m.put("predicted_duration_ms", i.getPredictedDurationMs());
        m.put("downtime_ms", record.map(MigrationRecord::getDowntimeMs).orElse(i.getDowntimeMs()));
        return m;
    }

    private static Map<String, Object> excluded(DrainedInstance i) {
        String reason = i.getReason() == null ? "not live-migratable" : i.getReason();
        int split = reason.lastIndexOf("; ");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server_uuid", i.getInstanceUuid());
        m.put("name", i.getName());
        m.put("memory_mb", i.getMemoryMb());
        m.put("reason", split > 0 ? reason.substring(0, split) : reason);
        m.put("advice", split > 0 ? reason.substring(split + 2) : COLD_MIGRATE);
        return m;
    }

    /** Memory-weighted progress of the drain's migrations, 0-100. */
    static int overallPercent(DrainRecord d, MigrationView migrations) {
        if ("completed".equals(d.getStatus())) {
            return 100;
        }
        long weight = 0;
        long done = 0;
        for (DrainedInstance i : d.getInstances()) {
            if (i.getMigratable()) {
                long mb = Math.max(1, i.getMemoryMb());
                weight += mb;
                done += mb * MigrationFigures.percent(migrations, i.getMigrationUuid());
            }
        }
        return weight == 0 ? 0 : (int) (done / weight);
    }
}

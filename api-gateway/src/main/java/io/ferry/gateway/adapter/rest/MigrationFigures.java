package io.ferry.gateway.adapter.rest;

import io.ferry.gateway.app.MigrationView;
import io.ferry.schemas.migration.MigrationProgress;
import io.ferry.schemas.migration.MigrationRecord;
import java.util.Optional;

/** How far a migration is, from its newest progress reading or else its record: one rule for drains and console. */
final class MigrationFigures {

    private MigrationFigures() {
    }

    /** Percent of memory transferred (0-100); 100 once completed. */
    static int percent(MigrationView migrations, String migrationUuid) {
        if (migrationUuid == null) {
            return 0;
        }
        Optional<MigrationRecord> record = migrations.byUuid(migrationUuid);
        if (record.isPresent() && "completed".equals(record.get().getStatus())) {
            return 100;
        }
        Optional<MigrationProgress> reading = migrations.progress(migrationUuid);
        if (reading.isPresent() && reading.get().getMemoryTotalBytes() > 0) {
            return percent(reading.get().getMemoryTotalBytes(), reading.get().getMemoryRemainingBytes());
        }
        if (record.isPresent() && record.get().getMemoryTotalBytes() > 0) {
            return percent(record.get().getMemoryTotalBytes(), record.get().getMemoryRemainingBytes());
        }
        return 0;
    }

    private static int percent(long total, long remaining) {
        long done = Math.max(0, total - Math.max(0, remaining));
        return (int) Math.min(99, done * 100 / total);
    }
}

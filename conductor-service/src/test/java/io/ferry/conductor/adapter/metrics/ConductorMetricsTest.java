package io.ferry.conductor.adapter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.app.MigrationLog;
import io.ferry.conductor.domain.Instance;
import io.ferry.conductor.domain.JobFigures;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConductorMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConductorMetrics metrics = new ConductorMetrics(registry);
    private final List<Migration> recorded = new ArrayList<>();
    private final MigrationLog log = metrics.metered((m, cause) -> recorded.add(m));

    @Test
    void eachEndIsCountedOnceWithItsDurationDowntimeAndBytesAndEveryRecordStillGoesToTheLog() {
        Migration queued = Migration.queued(1, "m-1", new Instance("i-1", "vm", 2048, 2, 20, "p", "u"), "a", null,
                false, false, T0);
        Migration completed = ended(queued, MigrationStatus.COMPLETED, 12, new JobFigures(2L << 30, 3L << 30, 0, 0,
                0, 0, 500, 42, 0, false));

        log.record(queued, "c1");
        log.record(completed, "c2");
        log.record(completed, "c3"); // a redelivered end

        assertThat(recorded).hasSize(3);
        assertThat(registry.get("ferry.migrations.ended").tag("status", "completed").counter().count()).isEqualTo(1);
        assertThat(registry.get("ferry.migration.duration").tag("status", "completed").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(12);
        assertThat(registry.get("ferry.migration.downtime").summary().totalAmount()).isEqualTo(0.042);
        assertThat(registry.get("ferry.migration.memory.sent").summary().totalAmount()).isEqualTo(3L << 30);
    }

    @Test
    void aFailedMigrationCountsAsFailedAndAddsNoDowntime() {
        Migration queued = Migration.queued(2, "m-2", new Instance("i-2", "vm", 2048, 2, 20, "p", "u"), "a", null,
                false, false, T0);
        log.record(ended(queued, MigrationStatus.FAILED, 3, JobFigures.NONE), "c1");

        assertThat(registry.get("ferry.migrations.ended").tag("status", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("ferry.migration.downtime").summary().count()).isZero();
    }

    @Test
    void theGaugesCountTheConductorsMigrationsByNovaStatus() {
        List<Migration> known = List.of(
                Migration.queued(1, "m-1", new Instance("i-1", "vm", 1, 1, 1, "p", "u"), "a", null, false, false, T0),
                Migration.queued(2, "m-2", new Instance("i-2", "vm", 1, 1, 1, "p", "u"), "a", null, false, false, T0));
        metrics.watch(() -> known);

        assertThat(registry.get("ferry.migrations").tag("status", "queued").gauge().value()).isEqualTo(2);
        assertThat(registry.get("ferry.migrations").tag("status", "running (post-copy)").gauge().value()).isZero();
    }

    private static Migration ended(Migration m, MigrationStatus status, long seconds, JobFigures figures) {
        return new Migration(m.id(), m.uuid(), m.instance(), status, 5, m.sourceHost(), "b", null, false, false,
                figures, T0, T0.plusSeconds(seconds), null, null, null, null, true, true, true, List.of(), List.of(),
                null, null, 0, null);
    }
}

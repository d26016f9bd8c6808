package io.ferry.conductor.adapter.metrics;

import io.ferry.conductor.app.MigrationLog;
import io.ferry.conductor.domain.Migration;
import io.ferry.conductor.domain.MigrationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The conductor's figures: {@code ferry_migrations{status}} (the migrations it knows, by Nova status, now), and for
 * every migration that ends, once: {@code ferry_migrations_ended_total{status}}, {@code ferry_migration_duration_seconds}
 * (request to end, by status), and for completed ones {@code ferry_migration_downtime_seconds} and
 * {@code ferry_migration_memory_sent_bytes}. Fed by wrapping the migration log, so it sees exactly what is recorded.
 */
public final class ConductorMetrics {

    private static final int REMEMBERED = 100_000;

    private final MeterRegistry registry;
    private final Map<String, Boolean> ended = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final DistributionSummary downtime;
    private final DistributionSummary memorySent;

    public ConductorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.downtime = DistributionSummary.builder("ferry.migration.downtime").baseUnit("seconds")
                .description("downtime of completed migrations").publishPercentiles(0.5, 0.99).register(registry);
        this.memorySent = DistributionSummary.builder("ferry.migration.memory.sent").baseUnit("bytes")
                .description("memory sent by completed migrations").register(registry);
    }

    /** Gauges of the conductor's migrations by status, read when scraped. */
    public void watch(Supplier<? extends Collection<Migration>> migrations) {
        for (MigrationStatus status : MigrationStatus.values()) {
            Gauge.builder("ferry.migrations", () -> migrations.get().stream()
                            .filter(m -> m.status() == status).count())
                    .description("migrations this conductor knows, by status").tag("status", status.novaName())
                    .register(registry);
        }
    }

    /** The log, counting each migration's end once as it is recorded. */
    public MigrationLog metered(MigrationLog log) {
        return (migration, causationId) -> {
            log.record(migration, causationId);
            if (migration.status().isTerminal()) {
                ended(migration);
            }
        };
    }

    private synchronized void ended(Migration m) {
        if (ended.put(m.uuid(), Boolean.TRUE) != null) {
            return;
        }
        String status = m.status().novaName();
        Counter.builder("ferry.migrations.ended").description("migrations that ended, by status").tag("status", status)
                .register(registry).increment();
        if (m.createdAt() != null && m.updatedAt() != null) {
            Timer.builder("ferry.migration.duration").description("request to end").tag("status", status)
                    .register(registry).record(Duration.between(m.createdAt(), m.updatedAt()));
        }
        if (m.status() == MigrationStatus.COMPLETED) {
            downtime.record(m.figures().downtimeMillis() / 1000.0);
            memorySent.record(m.figures().memoryProcessedBytes());
        }
    }
}

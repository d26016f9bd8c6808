package io.ferry.agent.adapter.metrics;

import io.ferry.agent.app.HostAgent;
import io.ferry.agent.domain.HostLedger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Gauges per host this agent serves, read from its ledger when scraped: {@code ferry_host_instances},
 * {@code ferry_host_memory_used_bytes}, {@code ferry_host_migrations_out}, {@code ferry_host_migrations_in} and
 * {@code ferry_host_enabled} (1 while the compute service is enabled).
 */
public final class AgentMetrics {

    public AgentMetrics(MeterRegistry registry, Map<String, HostAgent> agents) {
        agents.forEach((host, agent) -> {
            gauge(registry, "ferry.host.instances", "guests running on the host", host, agent,
                    ledger -> ledger.runningGuests().size());
            Gauge.builder("ferry.host.memory.used", agent, a -> a.read(HostLedger::memoryMbUsed) * 1024.0 * 1024.0)
                    .baseUnit("bytes").description("memory the host's guests use").tag("host", host)
                    .register(registry);
            gauge(registry, "ferry.host.migrations.out", "outbound migrations in flight", host, agent,
                    HostLedger::migrationsOut);
            gauge(registry, "ferry.host.migrations.in", "inbound migrations in flight", host, agent,
                    HostLedger::migrationsIn);
            Gauge.builder("ferry.host.enabled", agent, a -> a.enabled() ? 1 : 0)
                    .description("1 while the host's compute service is enabled").tag("host", host).register(registry);
        });
    }

    private static void gauge(MeterRegistry registry, String name, String description, String host, HostAgent agent,
                              ToDoubleFunction<HostLedger> reading) {
        Gauge.builder(name, agent, a -> a.read(reading::applyAsDouble)).description(description).tag("host", host)
                .register(registry);
    }
}

package io.ferry.messaging.management;

import io.ferry.messaging.FerryKafkaProperties;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The broker as this service sees it: UP with the cluster id and broker count when it answers in time, else DOWN. */
public class KafkaHealthIndicator implements HealthIndicator, AutoCloseable {

    private final Admin admin;
    private final Duration timeout;
    private final String bootstrapServers;

    public KafkaHealthIndicator(FerryKafkaProperties properties, Duration timeout) {
        Map<String, Object> config = properties.clientConfig();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ferry-health");
        this.admin = Admin.create(config);
        this.timeout = timeout;
        this.bootstrapServers = properties.getBootstrapServers();
    }

    @Override
    public Health health() {
        try {
            DescribeClusterResult cluster = admin.describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("bootstrapServers", bootstrapServers).withDetail("clusterId", clusterId)
                    .withDetail("brokers", brokers).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("bootstrapServers", bootstrapServers).withDetail("error", "interrupted")
                    .build();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Health.down().withDetail("bootstrapServers", bootstrapServers)
                    .withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage()).build();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}

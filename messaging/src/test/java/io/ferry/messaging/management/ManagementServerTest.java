package io.ferry.messaging.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

class ManagementServerTest {

    private final AtomicBoolean brokerUp = new AtomicBoolean(true);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ManagementServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ManagementServer start() {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        indicators.put("kafkaHealthIndicator", () -> (brokerUp.get() ? Health.up() : Health.down())
                .withDetail("bootstrapServers", "127.0.0.1:9092").withDetail("brokers", 1)
                .withDetail("error", "a \"quoted\"\nline").build());
        indicators.put("ping", () -> Health.up().build());
        server = new ManagementServer("conductor", "127.0.0.1", 0, indicators, registry);
        return server;
    }

    @Test
    void healthIsUpWithEveryComponentWhileAllAreUp() throws Exception {
        start();
        HttpResponse<String> health = get("/actuator/health", "GET");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(health.body()).startsWith("{\"status\":\"UP\",\"components\":{")
                .contains("\"kafka\":{\"status\":\"UP\",\"details\":{\"bootstrapServers\":\"127.0.0.1:9092\","
                        + "\"brokers\":1,\"error\":\"a \\\"quoted\\\"\\nline\"}}")
                .contains("\"ping\":{\"status\":\"UP\"}");
    }

    @Test
    void healthIsDownWith503WhenAComponentIsDown() throws Exception {
        start();
        brokerUp.set(false);
        HttpResponse<String> health = get("/actuator/health", "GET");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).startsWith("{\"status\":\"DOWN\"").contains("\"kafka\":{\"status\":\"DOWN\"");
    }

    @Test
    void anIndicatorThatThrowsCountsAsDown() throws Exception {
        Map<String, HealthIndicator> indicators = Map.of("libvirtHealthIndicator", () -> {
            throw new IllegalStateException("no daemon");
        });
        server = new ManagementServer("compute-agent", "127.0.0.1", 0, indicators, registry);
        HttpResponse<String> health = get("/actuator/health", "GET");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"libvirt\":{\"status\":\"DOWN\"").contains("no daemon");
    }

    @Test
    void metricsAreTheRegistryInPrometheusTextFormat() throws Exception {
        start();
        registry.counter("ferry.migrations.ended", "status", "completed").increment(3);
        HttpResponse<String> metrics = get("/actuator/prometheus", "GET");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body()).contains("ferry_migrations_ended_total{status=\"completed\"} 3.0");
    }

    @Test
    void anythingElseIsNotFoundAndOnlyReadsAreAllowed() throws Exception {
        start();
        assertThat(get("/actuator/env", "GET").statusCode()).isEqualTo(404);
        assertThat(get("/../etc/passwd", "GET").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/health", "POST").statusCode()).isEqualTo(405);
    }

    @Test
    void componentsAreNamedAsSpringBootNamesThem() {
        assertThat(ManagementServer.componentName("kafkaHealthIndicator")).isEqualTo("kafka");
        assertThat(ManagementServer.componentName("diskSpace")).isEqualTo("diskSpace");
        assertThat(ManagementServer.componentName("HealthIndicator")).isEqualTo("HealthIndicator");
    }

    private HttpResponse<String> get(String path, String method) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}

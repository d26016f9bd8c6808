package io.ferry.messaging.management;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The service's management listener ({@code ferry.management.address}:{@code ferry.management.port}, its own port,
 * never the API's): {@code GET /actuator/health} answers 200 with every health indicator's status and details when
 * all are up, 503 when one is down or out of service; {@code GET /actuator/prometheus} answers the Micrometer
 * registry in Prometheus' text format. Nothing else, and no request body is read.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

    private final HttpServer server;
    private final String service;

    public ManagementServer(String service, String address, int port, Map<String, HealthIndicator> indicators,
                            PrometheusMeterRegistry registry) {
        this.service = service;
        try {
            this.server = HttpServer.create(new InetSocketAddress(address, port), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the management port " + address + ":" + port + " of "
                    + service + ": " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, service + "-management");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    respond(exchange, 405, "application/json", "{\"error\":\"method not allowed\"}");
                } else if (path.equals("/actuator/health")) {
                    health(exchange, indicators);
                } else if (path.equals("/actuator/prometheus")) {
                    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                } else {
                    respond(exchange, 404, "application/json", "{\"error\":\"not found\"}");
                }
            } catch (RuntimeException e) {
                log.warn("management request of {} failed: {}", service, e.toString());
            }
        });
        server.start();
        log.info("{}: health and metrics on http://{}:{}/actuator/", service, address, port());
    }

    /** The port it listens on (the one chosen when configured with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange exchange, Map<String, HealthIndicator> indicators) throws IOException {
        Map<String, Health> components = new TreeMap<>();
        indicators.forEach((name, indicator) -> {
            Health health;
            try {
                health = indicator.health();
            } catch (RuntimeException e) {
                health = Health.down().withDetail("error", e.toString()).build();
            }
            components.put(componentName(name), health);
        });
        boolean down = components.values().stream().map(Health::getStatus)
                .anyMatch(s -> Status.DOWN.equals(s) || Status.OUT_OF_SERVICE.equals(s));
        StringBuilder json = new StringBuilder("{\"status\":\"").append(down ? "DOWN" : "UP")
                .append("\",\"components\":{");
        String separator = "";
        for (Map.Entry<String, Health> c : components.entrySet()) {
            json.append(separator).append(quote(c.getKey())).append(":{\"status\":")
                    .append(quote(c.getValue().getStatus().getCode()));
            if (!c.getValue().getDetails().isEmpty()) {
                json.append(",\"details\":{");
                String inner = "";
                for (Map.Entry<String, Object> d : c.getValue().getDetails().entrySet()) {
                    json.append(inner).append(quote(d.getKey())).append(':').append(value(d.getValue()));
                    inner = ",";
                }
                json.append('}');
            }
            json.append('}');
            separator = ",";
        }
        json.append("}}");
        respond(exchange, down ? 503 : 200, "application/json", json.toString());
    }

    /** {@code kafkaHealthIndicator} → {@code kafka}, as Spring Boot names its components. */
    static String componentName(String beanName) {
        String suffix = "HealthIndicator";
        return beanName.endsWith(suffix) && beanName.length() > suffix.length()
                ? beanName.substring(0, beanName.length() - suffix.length()) : beanName;
    }

    private static String value(Object value) {
        return value instanceof Number || value instanceof Boolean ? value.toString() : quote(String.valueOf(value));
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package io.ferry.agent.adapter.sim;

import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.MigrationOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent process's connection to the simulated hypervisor daemon ({@link SimHypervisorServer}): calls for the
 * drivers of its hosts, and a poll that hands job progress and job ends to their listeners. A job's end stays on
 * the daemon until this client has handed it over, so an end reached while no agent ran is delivered to the next.
 */
public final class SimHypervisorClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimHypervisorClient.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
    private final Set<String> hosts = ConcurrentHashMap.newKeySet();
    private final Map<String, MigrationListener> listeners = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> polling;

    public SimHypervisorClient(String url) {
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /** This process serves {@code host}: poll its jobs' events. */
    public void serve(String host) {
        hosts.add(host);
    }

    /** Hands the migration's progress and end to {@code listener}. */
    public void listen(String migrationUuid, MigrationListener listener) {
        listeners.put(migrationUuid, listener);
    }

    /** Starts polling for events every {@code interval}. */
    public void start(ScheduledExecutorService ticker, Duration interval) {
        polling = ticker.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<Guest> guests(String host) {
        return SimWire.lines(call("GET", "/hosts/" + host + "/guests", "")).stream().map(SimWire::guest).toList();
    }

    /** The guests lost by a failed post-copy that must be recovered on {@code host}: the host holds their room. */
    public List<Guest> held(String host) {
        return SimWire.lines(call("GET", "/hosts/" + host + "/held", "")).stream().map(SimWire::guest).toList();
    }

    /** The migration jobs in flight from or to {@code host}. */
    public List<MigrationOrder> jobs(String host) {
        return SimWire.lines(call("GET", "/hosts/" + host + "/jobs", "")).stream().map(SimWire::order).toList();
    }

    public void startMigration(MigrationOrder order, MigrationListener listener) {
        listen(order.migrationUuid(), listener);
        call("POST", "/migrations", SimWire.line(SimWire.order(order)));
    }

    /** {@code verb}: max-downtime (with {@code query} ms=N), post-copy, force-complete, abort. */
    public boolean command(String migrationUuid, String verb, String query) {
        return Boolean.parseBoolean(call("POST", "/migrations/" + migrationUuid + "/" + verb
                + (query == null ? "" : "?" + query), "").trim());
    }

    public boolean running(String migrationUuid) {
        return call("GET", "/migrations/" + migrationUuid, "").trim().equals("running");
    }

    /** Injects a fault now (tests): {@code kind} link-down on {@code host} for {@code duration}. */
    public void fault(String kind, String host, Duration duration) {
        call("POST", "/faults", SimWire.line(Map.of("kind", kind, "host", host,
                "durationMs", Long.toString(duration.toMillis()))));
    }

    /** The guests a failed post-copy lost: uuid, migration, recoverOn (the host to recover it on), source, reason. */
    public List<Map<String, String>> lost() {
        return SimWire.lines(call("GET", "/lost", ""));
    }

    void poll() {
        if (hosts.isEmpty()) {
            return;
        }
        try {
            for (Map<String, String> event : SimWire.lines(call("GET", "/events?hosts=" + String.join(",", hosts), ""))) {
                String migration = event.get("migration");
                if ("progress".equals(event.get("type"))) {
                    MigrationListener listener = listeners.get(migration);
                    if (listener != null) {
                        listener.progress(SimWire.reading(event));
                    }
                } else if ("ended".equals(event.get("type"))) {
                    MigrationListener listener = listeners.remove(migration);
                    if (listener != null) {
                        listener.ended(SimWire.end(event));
                        call("POST", "/migrations/" + migration + "/ack", "");
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("polling the simulated hypervisor at {} failed: {}", base, e.toString());
        }
    }

    private String call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(CALL_TIMEOUT)
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("simulated hypervisor answered " + response.statusCode() + " to "
                        + method + " " + path + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("simulated hypervisor at " + base + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling the simulated hypervisor", e);
        }
    }

    @Override
    public void close() {
        if (polling != null) {
            polling.cancel(false);
        }
        http.close();
    }
}

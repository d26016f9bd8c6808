package io.ferry.agent.adapter.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.MigrationOrder;
import io.ferry.agent.domain.sim.Fault;
import io.ferry.agent.domain.sim.HostName;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated hypervisor as a daemon of its own, the analogue of libvirtd + QEMU: it owns the simulated fabric
 * (every host's NIC and migration streams) and which guest runs on which host, so a compute agent can be killed
 * and started again while its guests and their migration jobs go on. Agents reach it through
 * {@link RemoteSimulatedDriver} over HTTP on loopback ({@link SimWire} lines):
 * <pre>
 * GET  /hosts/{host}/guests          the guests running on the host
 * GET  /hosts/{host}/jobs            the migration jobs from or to the host in flight, or ended and not yet acknowledged
 * GET  /hosts/{host}/held            the guests a failed post-copy lost that must be recovered on the host (room held)
 * POST /migrations                   start a job (body: a MigrationOrder line; idempotent per migration)
 * POST /migrations/{uuid}/{verb}     max-downtime?ms=N, post-copy, force-complete, abort: true or false
 * GET  /migrations/{uuid}            running, or not-running
 * GET  /events?hosts=a,b             progress readings (each once) and job ends (until acknowledged) of jobs from those hosts
 * POST /migrations/{uuid}/ack        the job's end was handled
 * POST /faults                       inject a fault now (body: kind=link-down&amp;host=h&amp;durationMs=N)
 * GET  /lost                         guests lost by a failed post-copy, and the host to recover each on
 * </pre>
 */
public final class SimHypervisorServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimHypervisorServer.class);

    private final SimulatedFabric fabric;
    private final SimulatedDriver driver;
    private final Map<String, Map<String, Guest>> placement = new LinkedHashMap<>();
    private final Map<String, MigrationOrder> inFlight = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> readings = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> ended = new LinkedHashMap<>();
    private final Map<String, MigrationOrder> endedOrders = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> lost = new LinkedHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor;

    /** Serves {@code fabric} (its hosts already added) with {@code guests} booted per host, on loopback {@code port}. */
    public SimHypervisorServer(SimulatedFabric fabric, Duration switchover, Map<String, List<Guest>> guests, int port)
            throws IOException {
        this.fabric = fabric;
        this.driver = new SimulatedDriver(fabric, switchover);
        guests.forEach((host, list) -> {
            Map<String, Guest> running = new LinkedHashMap<>();
            list.forEach(g -> running.put(g.uuid(), g));
            placement.put(host, running);
        });
        this.executor = Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("sim-hypervisor-", 0).factory());
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        log.info("simulated hypervisor serves {} hosts on {}", placement.size(), url());
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String[] path = Arrays.stream(exchange.getRequestURI().getPath().split("/")).filter(s -> !s.isEmpty())
                    .toArray(String[]::new);
            Map<String, String> query = SimWire.fields(exchange.getRequestURI().getRawQuery());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String answer;
            try {
                answer = route(method, path, query, body);
            } catch (IllegalArgumentException | NullPointerException e) {
                respond(exchange, 400, "bad request: " + e.getMessage());
                return;
            }
            if (answer == null) {
                respond(exchange, 404, "no such resource: " + method + " " + exchange.getRequestURI().getPath());
            } else {
                respond(exchange, 200, answer);
            }
        } catch (RuntimeException e) {
            log.error("simulated hypervisor request failed", e);
        }
    }

    private String route(String method, String[] path, Map<String, String> query, String body) {
        if (path.length == 3 && path[0].equals("hosts") && method.equals("GET")) {
            return switch (path[2]) {
                case "guests" -> guestsOn(path[1]);
                case "jobs" -> jobsOf(path[1]);
                case "held" -> heldOn(path[1]);
                default -> null;
            };
        }
        if (path.length == 1 && path[0].equals("migrations") && method.equals("POST")) {
            start(SimWire.order(SimWire.fields(body)));
            return "started";
        }
        if (path.length == 2 && path[0].equals("migrations") && method.equals("GET")) {
            return fabric.running(path[1]) ? "running" : "not-running";
        }
        if (path.length == 3 && path[0].equals("migrations") && method.equals("POST")) {
            return path[2].equals("ack") ? acknowledge(path[1]) : Boolean.toString(command(path[1], path[2], query));
        }
        if (path.length == 1 && path[0].equals("events") && method.equals("GET")) {
            return events(Set.of(query.getOrDefault("hosts", "").split(",")));
        }
        if (path.length == 1 && path[0].equals("faults") && method.equals("POST")) {
            inject(SimWire.fields(body));
            return "injected";
        }
        if (path.length == 1 && path[0].equals("lost") && method.equals("GET")) {
            synchronized (this) {
                return lines(new ArrayList<>(lost.values()));
            }
        }
        return null;
    }

    private synchronized String guestsOn(String host) {
        Map<String, Guest> running = placement.get(host);
        if (running == null) {
            throw new IllegalArgumentException("no simulated host " + host);
        }
        return lines(running.values().stream().map(SimWire::guest).toList());
    }

    /** The guests lost by a failed post-copy that must be recovered on {@code host}: their room is held there. */
    private synchronized String heldOn(String host) {
        return lines(lost.values().stream().filter(l -> host.equals(l.get("recoverOn")))
                .map(l -> SimWire.guest(SimWire.guest(l))).toList());
    }

    private synchronized String jobsOf(String host) {
        List<MigrationOrder> unhandled = new ArrayList<>(inFlight.values());
        unhandled.addAll(endedOrders.values());
        return lines(unhandled.stream()
                .filter(o -> o.sourceHost().equals(host) || o.destinationHost().equals(host))
                .map(SimWire::order).toList());
    }

    private void start(MigrationOrder order) {
        synchronized (this) {
            if (inFlight.containsKey(order.migrationUuid()) || endedOrders.containsKey(order.migrationUuid())) {
                return;
            }
            Guest guest = placement.getOrDefault(order.sourceHost(), Map.of()).get(order.guest().uuid());
            if (guest == null) {
                throw new IllegalArgumentException("instance " + order.guest().uuid() + " does not run on "
                        + order.sourceHost());
            }
            if (!placement.containsKey(order.destinationHost())) {
                throw new IllegalArgumentException("no simulated host " + order.destinationHost());
            }
            inFlight.put(order.migrationUuid(), order);
        }
        String migration = order.migrationUuid();
        driver.startMigration(order, new MigrationListener() {
            @Override
            public void progress(JobReading reading) {
                synchronized (SimHypervisorServer.this) {
                    readings.put(migration, SimWire.reading(migration, reading));
                }
            }

            @Override
            public void ended(JobEnd end) {
                jobEnded(order, end);
            }
        });
        log.info("migration {} of {} started from {} to {}", migration, order.guest().uuid(), order.sourceHost(),
                order.destinationHost());
    }

    private synchronized void jobEnded(MigrationOrder order, JobEnd end) {
        String uuid = order.guest().uuid();
        inFlight.remove(order.migrationUuid());
        readings.remove(order.migrationUuid());
        Map<String, Guest> source = placement.get(order.sourceHost());
        switch (end.outcome()) {
            case COMPLETED -> {
                Guest guest = source.remove(uuid);
                placement.get(order.destinationHost()).put(uuid, guest != null ? guest : order.guest());
            }
            case GUEST_LOST -> {
                source.remove(uuid);
                // the guest's own fields too: its room stays held on the host it must be recovered on
                Map<String, String> entry = new LinkedHashMap<>(SimWire.guest(order.guest()));
                entry.put("uuid", uuid);
                entry.put("migration", order.migrationUuid());
                entry.put("recoverOn", order.destinationHost());
                entry.put("source", order.sourceHost());
                entry.put("reason", end.reason());
                lost.put(uuid, entry);
            }
            case FAILED, CANCELLED -> {
                // the guest stays on the source
            }
        }
        Map<String, String> event = SimWire.end(order.migrationUuid(), end);
        event.put("source", order.sourceHost());
        ended.put(order.migrationUuid(), event);
        endedOrders.put(order.migrationUuid(), order);
        log.info("migration {} of {} ended: {}{}", order.migrationUuid(), uuid, end.outcome(),
                end.reason() == null ? "" : " (" + end.reason() + ")");
    }

    private boolean command(String migration, String verb, Map<String, String> query) {
        return switch (verb) {
            case "max-downtime" -> driver.setMaxDowntime(migration, Duration.ofMillis(Long.parseLong(query.get("ms"))));
            case "post-copy" -> driver.switchToPostCopy(migration);
            case "force-complete" -> driver.forceComplete(migration);
            case "abort" -> driver.abort(migration);
            default -> throw new IllegalArgumentException("unknown command " + verb);
        };
    }

    private synchronized String events(Set<String> hosts) {
        List<Map<String, String>> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        readings.forEach((migration, reading) -> {
            MigrationOrder order = inFlight.get(migration);
            if (order != null && hosts.contains(order.sourceHost())) {
                out.add(reading);
                taken.add(migration);
            }
        });
        taken.forEach(readings::remove);
        ended.values().stream().filter(e -> hosts.contains(e.get("source"))).forEach(out::add);
        return lines(out);
    }

    private synchronized String acknowledge(String migration) {
        endedOrders.remove(migration);
        return ended.remove(migration) != null ? "acknowledged" : "unknown";
    }

    private void inject(Map<String, String> fault) {
        String kind = fault.get("kind");
        HostName host = new HostName(fault.get("host"));
        Duration at = fabric.now().plusMillis(Long.parseLong(fault.getOrDefault("afterMs", "0")));
        switch (kind) {
            case "link-down" -> fabric.inject(new Fault.LinkDown(host, at,
                    Duration.ofMillis(Long.parseLong(fault.getOrDefault("durationMs", "60000")))));
            default -> throw new IllegalArgumentException("unknown fault kind " + kind + "; use link-down");
        }
        log.info("injected fault {} on {} at simulated {}", kind, host, at);
    }

    private static String lines(List<Map<String, String>> records) {
        StringBuilder out = new StringBuilder();
        records.forEach(r -> out.append(SimWire.line(r)).append('\n'));
        return out.toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        fabric.close();
    }
}

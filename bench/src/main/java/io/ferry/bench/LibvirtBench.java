package io.ferry.bench;

import io.ferry.agent.adapter.libvirt.TwoLibvirtDaemons;
import io.ferry.deploy.FerryCluster;
import io.ferry.deploy.SimFleet;
import io.ferry.schemas.Topics;
import io.ferry.schemas.codec.FerryCodec;
import io.ferry.schemas.migration.MigrationRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Issue 10's benchmark: what Ferry adds to a real live migration. Two real session libvirtd daemons on this machine
 * (the tests' testbed), real QEMU guests, and the same migrations two ways, interleaved in one run:
 * <ul>
 *   <li>plain {@code virsh migrate --live --p2p --persistent --undefinesource} with the flags, stream cap and
 *       address Ferry's libvirt driver uses, timed from starting virsh to its exit;</li>
 *   <li>through Ferry (embedded broker, gateway, conductor, scheduler, one libvirt agent per daemon): timed from
 *       {@code POST os-migrateLive} to the migration's {@code completed} record (after the destination confirmed
 *       the guest runs there and the source that it is gone).</li>
 * </ul>
 * Each way migrates its own twin of an idle guest and of a memory-dirtying guest (identical definitions), back and
 * forth between the daemons. The dirtying guest gets a 2 s maximum downtime both ways (virsh: {@code
 * migrate-setmaxdowntime} as soon as the job runs; Ferry: the first step of Nova's ramp, applied by the agent once
 * QEMU streams), so the hypervisor does the same work.
 */
public final class LibvirtBench {

    private static final long BANDWIDTH_MIBPS = 20;
    private static final long DIRTY_DOWNTIME_MS = 2000;

    private record Case(String name, String virshGuest, String ferryGuest) {
    }

    private record Timing(String caseName, int rep, String from, String to, double virshSeconds, double ferrySeconds) {
    }

    private LibvirtBench() {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int reps = quick ? 2 : 5;
        try {
            run(reps);
        } catch (Exception e) {
            System.err.println("bench libvirt: cannot run: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(int reps) throws Exception {
        long setupStart = System.nanoTime();
        try (TwoLibvirtDaemons daemons = TwoLibvirtDaemons.start("bench")) {
            // Ferry's twins first: an agent learns the guests running on its host when it starts
            Map<String, String> uuids = new LinkedHashMap<>();
            uuids.put("ferry-idle", daemons.startIdleGuest("a", "ferry-idle"));
            uuids.put("ferry-dirty", daemons.startDirtyingGuest("a", "ferry-dirty"));
            Path data = Files.createTempDirectory("ferry-bench-libvirt");
            FerryCluster cluster = FerryCluster.start(FerryCluster.Options.defaults(data).withBrokerPort(0)
                    .withGatewayPort(0).withIdentityPort(0).withFleet(new SimFleet(List.of())).withProperties(Map.of(
                            // Nova's ramp, held at its first step for the whole run: 6000 ms / 3 steps = 2000 ms,
                            // the next step only after 1200 s
                            "ferry.conductor.convergence-policy", "nova",
                            "ferry.conductor.live-migration-downtime", DIRTY_DOWNTIME_MS * 3,
                            "ferry.conductor.live-migration-downtime-steps", 3,
                            "ferry.conductor.live-migration-downtime-delay", 600,
                            "ferry.conductor.live-migration-completion-timeout", 0,
                            "ferry.conductor.live-migration-bandwidth", BANDWIDTH_MIBPS)));
            try {
                cluster.startAgent(agent(daemons, "a"));
                cluster.startAgent(agent(daemons, "b"));
                // virsh's twins, unknown to Ferry
                daemons.startIdleGuest("a", "virsh-idle");
                daemons.startDirtyingGuest("a", "virsh-dirty");

                HttpClient http = HttpClient.newHttpClient();
                String token = AdminToken.of(http, cluster);
                for (String uuid : uuids.values()) {
                    awaitServerOn(http, cluster, token, uuid, "libvirt-a");
                }
                Map<String, Long> completedAt = new ConcurrentHashMap<>();
                java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread watcher = watchCompleted(cluster.bootstrapServers(), completedAt, watching);
                double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

                List<Case> cases = List.of(new Case("idle", "virsh-idle", "ferry-idle"),
                        new Case("dirty", "virsh-dirty", "ferry-dirty"));
                List<Timing> timings = new ArrayList<>();
                for (int rep = 1; rep <= reps; rep++) {
                    String from = rep % 2 == 1 ? "a" : "b";
                    String to = rep % 2 == 1 ? "b" : "a";
                    for (Case c : cases) {
                        double virsh = virshMigrate(daemons, c.virshGuest(), from, to, c.name().equals("dirty"));
                        double ferry = ferryMigrate(http, cluster, token, uuids.get(c.ferryGuest()), "libvirt-" + to,
                                completedAt);
                        if (!daemons.runningDomains(to).containsAll(List.of(c.virshGuest(), c.ferryGuest()))) {
                            throw new IllegalStateException(c.name() + " rep " + rep + ": the guests do not run on "
                                    + to + ": " + daemons.runningDomains(to));
                        }
                        timings.add(new Timing(c.name(), rep, from, to, virsh, ferry));
                        System.out.printf(Locale.ROOT, "  %-5s rep %d %s->%s  virsh %6.2f s  ferry %6.2f s%n",
                                c.name(), rep, from, to, virsh, ferry);
                    }
                }
                watching.set(false);
                watcher.join(Duration.ofSeconds(10));
                report(timings, reps, setupSeconds);
            } finally {
                cluster.close();
            }
        }
    }

    private static Map<String, Object> agent(TwoLibvirtDaemons daemons, String daemon) {
        Map<String, Object> properties = daemons.agentProperties(daemon);
        properties.put("ferry.agent.heartbeat-interval", "5s");
        return properties;
    }

    /**
     * {@code virsh migrate} as Ferry's driver calls libvirt: LIVE | PEER2PEER | PERSIST_DEST | UNDEFINE_SOURCE,
     * {@code migrate_uri} and {@code listen_address} on the destination's address (the destination's libvirtd
     * picks the port), the stream capped. Seconds from starting virsh to its exit.
     */
    private static double virshMigrate(TwoLibvirtDaemons daemons, String guest, String from, String to,
                                       boolean setDowntime) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process migrate = new ProcessBuilder("virsh", "-q", "-c", daemons.uri(from), "migrate", "--live", "--p2p",
                "--persistent", "--undefinesource", guest, daemons.uri(to), "--migrateuri", "tcp://127.0.0.1",
                "--listen-address", "127.0.0.1", "--bandwidth", String.valueOf(BANDWIDTH_MIBPS))
                .redirectErrorStream(true).start();
        if (setDowntime) {
            // as soon as the job exists; the call waits while libvirt sets the job up
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (migrate.isAlive() && run(daemons.uri(from), "migrate-setmaxdowntime", guest,
                    String.valueOf(DIRTY_DOWNTIME_MS)) != 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("virsh migrate-setmaxdowntime never took on " + guest);
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        if (!migrate.waitFor(5, TimeUnit.MINUTES)) {
            migrate.destroyForcibly();
            throw new IllegalStateException("virsh migrate of " + guest + " did not end within 5 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String output = new String(migrate.getInputStream().readAllBytes()).trim();
        if (migrate.exitValue() != 0) {
            throw new IllegalStateException("virsh migrate of " + guest + " failed: " + output);
        }
        return seconds;
    }

    private static int run(String uri, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Seconds from POST os-migrateLive to the migration's completed record. */
    private static double ferryMigrate(HttpClient http, FerryCluster cluster, String token, String uuid, String host,
                                       Map<String, Long> completedAt) throws Exception {
        completedAt.remove(uuid);
        long posted = System.currentTimeMillis();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(cluster.gatewayUrl() + "/v2.1/servers/" + uuid + "/action"))
                .header("X-Auth-Token", token).header("Content-Type", "application/json")
                .header("X-OpenStack-Nova-API-Version", "2.30")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"os-migrateLive\": {\"host\": \"" + host + "\", \"block_migration\": \"auto\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("os-migrateLive of " + uuid + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!completedAt.containsKey(uuid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Ferry's migration of " + uuid + " to " + host
                        + " did not complete within 5 minutes");
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        // the gateway refuses a new migration until its view shows the server on the destination
        awaitServerOn(http, cluster, token, uuid, host);
        return (completedAt.get(uuid) - posted) / 1000.0;
    }

    private static void report(List<Timing> timings, int reps, double setupSeconds) {
        System.out.println();
        System.out.printf(Locale.ROOT, "libvirt: two session libvirtd 9 daemons, QEMU TCG guests of %d MiB, stream "
                + "capped at %d MiB/s, %d repetitions per case alternating a->b / b->a, medians (setup %.0f s)%n",
                TwoLibvirtDaemons.GUEST_MEMORY_MIB, BANDWIDTH_MIBPS, reps, setupSeconds);
        System.out.println("  case    virsh_s  ferry_s  added_ms  ratio");
        StringBuilder line = new StringBuilder("bench libvirt: reps=" + reps);
        for (String name : List.of("idle", "dirty")) {
            double virsh = median(timings.stream().filter(t -> t.caseName().equals(name))
                    .mapToDouble(Timing::virshSeconds).toArray());
            double ferry = median(timings.stream().filter(t -> t.caseName().equals(name))
                    .mapToDouble(Timing::ferrySeconds).toArray());
            long addedMs = Math.round((ferry - virsh) * 1000);
            double ratio = ferry / virsh;
            System.out.printf(Locale.ROOT, "  %-6s %8.2f %8.2f %9d %6.2f%n", name, virsh, ferry, addedMs, ratio);
            line.append(String.format(Locale.ROOT, " %1$s_virsh_s=%2$.2f %1$s_ferry_s=%3$.2f %1$s_added_ms=%4$d %1$s_ratio=%5$.2f",
                    name, virsh, ferry, addedMs, ratio));
        }
        System.out.println(line);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void awaitServerOn(HttpClient http, FerryCluster cluster, String token, String uuid, String host)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String expected = "\"OS-EXT-SRV-ATTR:host\":\"" + host + "\"";
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(cluster.gatewayUrl() + "/v2.1/servers/" + uuid))
                    .header("X-Auth-Token", token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && response.body().replace(" ", "").contains(expected)
                    && response.body().contains("\"ACTIVE\"")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway does not show " + uuid + " ACTIVE on " + host + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** The time of each instance's newest completed migration record (the conductor's own clock). */
    private static Thread watchCompleted(String bootstrap, Map<String, Long> completedAt,
                                         java.util.concurrent.atomic.AtomicBoolean watching) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "bench-libvirt-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.MIGRATIONS));
        return Thread.ofPlatform().daemon().start(() -> {
            try (consumer) {
                while (watching.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        if (FerryCodec.decode(record.value()) instanceof MigrationRecord r) {
                            if ("completed".equals(r.getStatus())) {
                                completedAt.put(r.getInstance().getUuid(), r.getUpdatedAt());
                            } else if ("failed".equals(r.getStatus()) || "error".equals(r.getStatus())
                                    || "cancelled".equals(r.getStatus())) {
                                System.err.println("bench libvirt: migration of " + r.getInstance().getUuid()
                                        + " ended " + r.getStatus() + ": " + r.getReason());
                            }
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}

package io.ferry.it;

import io.ferry.deploy.Rest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.agent.adapter.sim.SimHypervisorClient;
import io.ferry.agent.domain.Guest;
import io.ferry.conductor.domain.MigrationStatus;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.migration.MigrationRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The invariants every fault case checks, against the ground truth: the simulated hypervisor daemon for where
 * each VM runs, {@code ferry.migrations} for each migration's transitions, the agents' inventories for claims.
 */
final class FaultChecks {

    static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "error");

    /** The four invariants, in the order the summary counts them. */
    static final List<String> NAMES = List.of("terminal", "one host per VM", "no claim leaked", "no transition lost");

    private final RecordingConsumer recorder;
    private final SimHypervisorClient hypervisor;
    private final List<String> hosts;

    FaultChecks(RecordingConsumer recorder, SimHypervisorClient hypervisor, List<String> hosts) {
        this.recorder = recorder;
        this.hypervisor = hypervisor;
        this.hosts = List.copyOf(hosts);
    }

    /**
     * The fault suite's fleet: on 1 Gbit/s hosts of 64 GiB, two 2 GiB web guests per host and a 4 GiB
     * memory-stress guest on each host but the last.
     */
    static io.ferry.deploy.SimFleet fleet(List<String> hostNames) {
        List<io.ferry.deploy.SimFleet.Host> hosts = new ArrayList<>();
        for (int h = 0; h < hostNames.size(); h++) {
            List<io.ferry.deploy.SimFleet.Vm> vms = new ArrayList<>();
            for (int v = 1; v <= 2; v++) {
                vms.add(new io.ferry.deploy.SimFleet.Vm("web-" + (char) ('a' + h) + v, 2048, 1, 20, "m1.small", "web"));
            }
            if (h < hostNames.size() - 1) {
                vms.add(new io.ferry.deploy.SimFleet.Vm("stress-" + (char) ('a' + h), 4096, 2, 40, "m1.medium",
                        "memory-stress"));
            }
            hosts.add(new io.ferry.deploy.SimFleet.Host(hostNames.get(h), 32, 65536, 1000, vms));
        }
        return new io.ferry.deploy.SimFleet(hosts);
    }

    /** Where each VM runs now, by the hypervisors: instance uuid to the hosts that run it. */
    Map<String, List<String>> placement() {
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (String host : hosts) {
            for (Guest guest : hypervisor.guests(host)) {
                where.computeIfAbsent(guest.uuid(), u -> new ArrayList<>()).add(host);
            }
        }
        return where;
    }

    /** The guests on each host, by the hypervisors. */
    Map<String, List<Guest>> guestsByHost() {
        Map<String, List<Guest>> byHost = new LinkedHashMap<>();
        hosts.forEach(h -> byHost.put(h, hypervisor.guests(h)));
        return byHost;
    }

    /**
     * Starts three live migrations (destinations chosen by the scheduler) and returns their uuids: two web guests
     * from one host (the second waits queued behind the first: one outgoing migration per host) and a
     * memory-stress guest from another host, which dirties faster than a 1 Gbit/s link and so, with post-copy
     * permitted, switches to post-copy.
     */
    List<String> startThreeMigrations(Rest api) {
        Map<String, List<Guest>> byHost = guestsByHost();
        String source = hosts.stream().filter(h -> webGuests(byHost.get(h)).size() >= 2
                        && hosts.stream().anyMatch(o -> !o.equals(h) && stressGuest(byHost.get(o)).isPresent()))
                .findFirst().orElseThrow(() -> new AssertionError("no host with two web guests: " + byHost));
        String stressSource = hosts.stream().filter(h -> !h.equals(source) && stressGuest(byHost.get(h)).isPresent())
                .findFirst().orElseThrow();
        List<Guest> webs = webGuests(byHost.get(source)).subList(0, 2);
        List<String> movers = List.of(webs.get(0).uuid(), webs.get(1).uuid(),
                stressGuest(byHost.get(stressSource)).orElseThrow().uuid());
        Set<String> known = migrationUuids();
        List<String> migrations = new ArrayList<>();
        for (String instance : movers) {
            assertThat(api.post("/v2.1/servers/" + instance + "/action",
                    "{\"os-migrateLive\": {\"host\": null, \"block_migration\": \"auto\"}}",
                    "X-OpenStack-Nova-API-Version", "2.30").status()).as("live migration of %s accepted", instance)
                    .isEqualTo(202);
            migrations.add(awaitNewMigration(instance, known));
        }
        return migrations;
    }

    private static List<Guest> webGuests(List<Guest> guests) {
        return guests.stream().filter(g -> "web".equals(g.workload())).toList();
    }

    private static java.util.Optional<Guest> stressGuest(List<Guest> guests) {
        return guests.stream().filter(g -> "memory-stress".equals(g.workload())).findFirst();
    }

    /**
     * Runs {@code action} once, as soon as the migration's record in {@code status} is read (on the recorder's
     * thread, so a kill lands within milliseconds of the transition), or at once if it was read already; waits up
     * to {@code within} for it. Returns the migration's status seen when the action ran.
     */
    String onceReached(String migrationUuid, String status, Runnable action, Duration within) {
        return onceRecorded(migrationUuid, r -> r.getStatus().equals(status), action, within);
    }

    /** As {@link #onceReached}, when a record of the migration matches {@code matches}. */
    String onceRecorded(String migrationUuid, java.util.function.Predicate<MigrationRecord> matches, Runnable action,
                        Duration within) {
        java.util.concurrent.atomic.AtomicReference<String> fired = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable fire = () -> {
            synchronized (fired) {
                if (fired.get() == null) {
                    action.run();
                    fired.set(status(migrationUuid));
                }
            }
        };
        java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> hook = record -> {
            if (!record.topic().equals(io.ferry.schemas.Topics.MIGRATIONS) || fired.get() != null
                    || record.value() == null) {
                return;
            }
            try {
                if (io.ferry.schemas.codec.FerryCodec.decode(record.value()) instanceof MigrationRecord r
                        && r.getUuid().equals(migrationUuid) && matches.test(r)) {
                    fire.run();
                }
            } catch (RuntimeException e) {
                // not a migration record
            }
        };
        recorder.onRecord(hook);
        try {
            if (records(migrationUuid).stream().anyMatch(matches)) {
                fire.run();
            }
            await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> fired.get() != null);
            return fired.get();
        } finally {
            recorder.removeHook(hook);
        }
    }

    /**
     * Once the migration runs, asks the compute API to force it to complete (Nova's {@code force_complete}, 2.22):
     * with post-copy permitted the conductor switches it to post-copy, which a guest dirtying memory about as
     * fast as the link sends it would otherwise do only some of the time.
     */
    void forcePostCopy(Rest api, String migrationUuid) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                .until(() -> reached(migrationUuid, "running"));
        MigrationRecord running = latest(migrationUuid);
        // the gateway's read model may see "running" a moment after the topic does (it answers 400 until then)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            int status = api.post("/v2.1/servers/" + running.getInstance().getUuid() + "/migrations/"
                    + running.getId() + "/action", "{\"force_complete\": null}", "X-OpenStack-Nova-API-Version",
                    "2.22").status();
            assertThat(status).as("force_complete of %s", migrationUuid).isEqualTo(202);
        });
    }

    /**
     * Waits until the compute API shows every VM on the host its hypervisor runs it on (a restarted gateway
     * rebuilds its view from {@code ferry.host.events}).
     */
    void awaitApiAgrees(java.util.function.Supplier<Rest> api, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<String, String> truth = new HashMap<>();
            placement().forEach((uuid, where) -> truth.put(uuid, String.join(",", where)));
            Map<String, String> shown = new HashMap<>();
            Rest.Response answer = api.get().get("/v2.1/servers/detail?all_tenants=1");
            // a restarted gateway answers 503 until it has read its topics to where they ended when it started
            assertThat(answer.status()).as("server list status (%s)", answer.body()).isEqualTo(200);
            answer.body().get("servers").forEach(s ->
                    shown.put(s.get("id").asText(), s.path("OS-EXT-SRV-ATTR:host").asText()));
            assertThat(shown).as("hosts of the servers as the compute API shows them").isEqualTo(truth);
        });
    }

    /** Uuids of every migration recorded so far. */
    Set<String> migrationUuids() {
        return recorder.messages(MigrationRecord.class).stream().map(MigrationRecord::getUuid)
                .collect(Collectors.toSet());
    }

    /** Waits for the first record of a migration of {@code instance} that is not in {@code known}; its uuid. */
    String awaitNewMigration(String instance, Set<String> known) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (MigrationRecord r : recorder.messages(MigrationRecord.class)) {
                if (r.getInstance().getUuid().equals(instance) && !known.contains(r.getUuid())) {
                    found[0] = r.getUuid();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Every record of a migration, in arrival order (a restarted conductor may repeat one). */
    List<MigrationRecord> records(String migrationUuid) {
        return recorder.messages(MigrationRecord.class).stream().filter(r -> r.getUuid().equals(migrationUuid)).toList();
    }

    boolean reached(String migrationUuid, String status) {
        return records(migrationUuid).stream().anyMatch(r -> r.getStatus().equals(status));
    }

    MigrationRecord latest(String migrationUuid) {
        List<MigrationRecord> records = records(migrationUuid);
        return records.isEmpty() ? null : records.getLast();
    }

    String status(String migrationUuid) {
        MigrationRecord latest = latest(migrationUuid);
        return latest == null ? "none" : latest.getStatus();
    }

    /** Waits until every migration has reached a terminal status. */
    void awaitTerminal(List<String> migrations, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() ->
                migrations.stream().allMatch(m -> TERMINAL.contains(status(m))));
    }

    /** Outcome counts, e.g. {@code completed x2, error x1}. */
    String outcomes(List<String> migrations) {
        Map<String, Long> counts = new TreeMap<>(migrations.stream()
                .collect(Collectors.groupingBy(this::status, Collectors.counting())));
        return counts.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** 1: every migration is terminal; one that ended in error says where the VM is and what to do. */
    void assertTerminal(List<String> migrations) {
        for (String m : migrations) {
            MigrationRecord last = latest(m);
            assertThat(last).as("records of migration %s", m).isNotNull();
            assertThat(TERMINAL).as("status of migration %s", m).contains(last.getStatus());
            if (last.getStatus().equals("error")) {
                assertThat(last.getVmLocation()).as("where the VM of migration %s is", m).isNotBlank();
                assertThat(last.getOperatorAction()).as("what to do about migration %s", m).isNotBlank();
            }
        }
    }

    /** 2: every VM of {@code instances} runs on exactly one host, by the hypervisors. */
    void assertOneHostPerVm(Set<String> instances) {
        Map<String, List<String>> where = placement();
        for (String instance : instances) {
            assertThat(where.get(instance)).as("hosts running instance %s", instance).hasSize(1);
        }
        assertThat(where.keySet()).as("instances running anywhere").containsExactlyInAnyOrderElementsOf(instances);
    }

    /**
     * 3: each host's reported memory and vCPU use is the sum of the guests its hypervisor runs, and no reservation
     * for an incoming guest or outgoing job is left (waits for a fresh inventory of every host).
     */
    void assertNoClaimLeaked(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<String, List<Guest>> truth = guestsByHost();
            Map<String, HostInventory> latest = latestInventories();
            for (String host : hosts) {
                HostInventory inventory = latest.get(host);
                assertThat(inventory).as("inventory of %s", host).isNotNull();
                List<Guest> guests = truth.get(host);
                assertThat(inventory.getMemoryMbUsed()).as("memory used on %s", host)
                        .isEqualTo(guests.stream().mapToLong(Guest::memoryMb).sum());
                assertThat(inventory.getVcpusUsed()).as("vCPUs used on %s", host)
                        .isEqualTo(guests.stream().mapToInt(Guest::vcpus).sum());
                assertThat(inventory.getMigrationsIn()).as("incoming reservations left on %s", host).isZero();
                assertThat(inventory.getMigrationsOut()).as("outgoing jobs left on %s", host).isZero();
                assertThat(inventory.getInstances().stream().map(i -> i.getSpec().getUuid()).toList())
                        .as("instances reported on %s", host)
                        .containsExactlyInAnyOrderElementsOf(guests.stream().map(Guest::uuid).toList());
            }
        });
    }

    /**
     * 4: every transition of the migration is on {@code ferry.migrations}, in lifecycle order: sequences
     * 1, 2, 3... first seen in that order with none missing, one status per sequence (a repeated record is the same
     * transition), {@code queued} first, each step one the lifecycle allows, a terminal status last.
     */
    void assertNoTransitionLost(String migrationUuid) {
        List<MigrationRecord> records = records(migrationUuid);
        assertThat(records).as("records of %s", migrationUuid).isNotEmpty();
        Map<Long, String> bySequence = new LinkedHashMap<>();
        for (MigrationRecord r : records) {
            String before = bySequence.putIfAbsent(r.getSequence(), r.getStatus());
            assertThat(before == null || before.equals(r.getStatus()))
                    .as("migration %s has sequence %d as both %s and %s", migrationUuid, r.getSequence(), before,
                            r.getStatus()).isTrue();
        }
        List<Long> sequences = new ArrayList<>(bySequence.keySet());
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).as("transition %d of %s (seen: %s)", i + 1, migrationUuid, bySequence)
                    .isEqualTo(i + 1L);
        }
        List<String> statuses = new ArrayList<>(bySequence.values());
        assertThat(statuses.getFirst()).isEqualTo("queued");
        for (int i = 1; i < statuses.size(); i++) {
            assertThat(MigrationStatus.fromNovaName(statuses.get(i - 1))
                    .canMoveTo(MigrationStatus.fromNovaName(statuses.get(i))))
                    .as("%s: %s -> %s", migrationUuid, statuses.get(i - 1), statuses.get(i)).isTrue();
        }
        assertThat(TERMINAL).as("last status of %s", migrationUuid).contains(statuses.getLast());
    }

    private Map<String, HostInventory> latestInventories() {
        Map<String, HostInventory> latest = new HashMap<>();
        for (HostInventory inventory : recorder.messages(HostInventory.class)) {
            latest.merge(inventory.getHost(), inventory, (a, b) ->
                    b.getEnvelope().getEventTime() >= a.getEnvelope().getEventTime() ? b : a);
        }
        return latest;
    }

    /**
     * Runs the four checks; returns how many passed, and throws the first failure after counting them all, so a
     * failing case still gets its row in the summary.
     */
    int runAll(List<String> migrations, Set<String> instances, Runnable... extra) {
        List<Runnable> checks = new ArrayList<>(List.of(
                () -> assertTerminal(migrations),
                () -> assertOneHostPerVm(instances),
                () -> assertNoClaimLeaked(Duration.ofSeconds(30)),
                () -> migrations.forEach(this::assertNoTransitionLost)));
        checks.addAll(List.of(extra));
        return run(checks);
    }

    /** Runs {@code checks}, counting those that pass; the first failure is kept for {@link #rethrow}. */
    int run(List<Runnable> checks) {
        int passed = 0;
        AssertionError first = null;
        for (Runnable check : checks) {
            try {
                check.run();
                passed++;
            } catch (AssertionError | RuntimeException e) {
                if (first == null) {
                    first = e instanceof AssertionError a ? a : new AssertionError(e);
                }
            }
        }
        lastFailure = first;
        return passed;
    }

    private AssertionError lastFailure;

    /** The first failure of the last {@link #runAll}, if any. */
    void rethrow() {
        if (lastFailure != null) {
            throw lastFailure;
        }
    }
}

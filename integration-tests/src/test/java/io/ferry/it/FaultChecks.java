package io.ferry.it;

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

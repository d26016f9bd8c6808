package io.ferry.conductor.domain;

import static io.ferry.conductor.domain.Journeys.aQueuedMigration;
import static io.ferry.conductor.domain.Journeys.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.drain.DrainAdmission;
import io.ferry.conductor.domain.drain.DrainSettings;
import io.ferry.conductor.domain.drain.StreamRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A drained host's migrations start in plan order by the drain's NIC rule, not by the per-source limit. */
class DrainSlotsTest {

    private static final String HOST = "compute-a";
    private static final Bandwidth NIC = Bandwidth.ofMBps(1250);
    private static final StreamRule RULE = StreamRule.of(NIC, DrainSettings.defaults());
    private static final Bandwidth DATABASE = RULE.needed(Bandwidth.ofMBps(600));
    private static final Bandwidth IDLE = RULE.needed(Bandwidth.ofMBps(1));

    private final Journeys journeys = new Journeys();

    private static DrainAdmission admission(Map<String, Bandwidth> needsInOrder, Set<String> notRecorded) {
        Map<String, DrainAdmission.Ticket> tickets = new HashMap<>();
        int rank = 0;
        boolean gap = false;
        for (var e : needsInOrder.entrySet()) {
            tickets.put(e.getKey(), new DrainAdmission.Ticket("d-1", rank++, e.getValue(), gap));
            gap |= notRecorded.contains(e.getKey());
        }
        return new DrainAdmission(tickets, Map.of(HOST, RULE));
    }

    private static Map<String, Bandwidth> inOrder(Object... uuidsAndNeeds) {
        Map<String, Bandwidth> needs = new LinkedHashMap<>();
        for (int i = 0; i < uuidsAndNeeds.length; i += 2) {
            needs.put((String) uuidsAndNeeds[i], (Bandwidth) uuidsAndNeeds[i + 1]);
        }
        return needs;
    }

    @Test
    void startsTheDatabaseAloneAndTheIdleGuestsTogetherAfterIt() {
        // given the plan: the database first, then three idle guests; their commands arrived in another order
        DrainAdmission drain = admission(inOrder("db", DATABASE, "i-1", IDLE, "i-2", IDLE, "i-3", IDLE), Set.of());
        List<Migration> queued = List.of(aQueuedMigration("i-2", HOST, at(1)), aQueuedMigration("db", HOST, at(2)),
                aQueuedMigration("i-1", HOST, at(3)), aQueuedMigration("i-3", HOST, at(4)));

        // when
        MigrationSlots.Plan first = MigrationSlots.plan(queued, SlotLimits.defaults(), drain);

        // then
        assertThat(first.toStart()).extracting(Migration::uuid).containsExactly("db");
        assertThat(first.waiting().get("i-1").reason()).contains("waiting for the source NIC");

        // when the database's stream ended (post-migrating: it no longer uses the NIC)
        Migration dbDone = journeys.process.admit(queued.get(1), Set.of(), at(5)).migration()
                .moveTo(MigrationStatus.RUNNING, null, at(6)).moveTo(MigrationStatus.POST_MIGRATING, null, at(7));
        List<Migration> after = List.of(dbDone, queued.get(0), queued.get(2), queued.get(3));
        MigrationSlots.Plan second = MigrationSlots.plan(after, SlotLimits.defaults(), drain);

        // then the idle guests go together, beyond max_concurrent_live_migrations=1
        assertThat(second.toStart()).extracting(Migration::uuid).containsExactly("i-1", "i-2", "i-3");
    }

    @Test
    void keepsThePlansOrderUntilTheEarlierMigrationsAreRecorded() {
        // given the first migration's command has not arrived yet
        DrainAdmission drain = admission(inOrder("db", DATABASE, "i-1", IDLE), Set.of("db"));

        // when
        MigrationSlots.Plan plan = MigrationSlots.plan(List.of(aQueuedMigration("i-1", HOST, at(1))),
                SlotLimits.defaults(), drain);

        // then
        assertThat(plan.toStart()).isEmpty();
        assertThat(plan.waiting().get("i-1").reason()).contains("earlier migrations of drain d-1");
    }

    @Test
    void migrationsOutsideTheDrainKeepThePerSourceLimit() {
        // given a drain runs on compute-a, and compute-b has two ordinary requests
        DrainAdmission drain = admission(inOrder("i-1", IDLE), Set.of());
        List<Migration> queued = List.of(aQueuedMigration("i-1", HOST, at(1)),
                aQueuedMigration("b-1", "compute-b", at(2)), aQueuedMigration("b-2", "compute-b", at(3)));

        // when
        MigrationSlots.Plan plan = MigrationSlots.plan(queued, SlotLimits.defaults(), drain);

        // then
        assertThat(plan.toStart()).extracting(Migration::uuid).containsExactly("i-1", "b-1");
        assertThat(plan.waiting().get("b-2").reason()).contains("max_concurrent_live_migrations=1");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void neverStartsASetOfStreamsWhoseFairShareIsBelowAnyMembersNeededRate(long seed) {
        // given a drain of random guests
        Random random = new Random(seed);
        Map<String, Bandwidth> needs = new LinkedHashMap<>();
        List<Migration> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String uuid = "m-" + i;
            needs.put(uuid, RULE.needed(Bandwidth.ofMBps(random.nextInt(800))));
            all.add(aQueuedMigration(uuid, HOST, at(i)));
        }
        DrainAdmission drain = admission(needs, Set.of());
        for (int round = 0; round < 400; round++) {
            // when the slots start what they may, and some random streams end
            MigrationSlots.Plan plan = MigrationSlots.plan(all, SlotLimits.defaults(), drain);
            List<Migration> next = new ArrayList<>();
            for (Migration m : all) {
                boolean starts = plan.toStart().stream().anyMatch(s -> s.uuid().equals(m.uuid()));
                Migration now = starts ? journeys.process.admit(m, Set.of(), at(100 + round)).migration() : m;
                if (!starts && m.status() == MigrationStatus.PREPARING && random.nextInt(3) == 0) {
                    now = m.moveTo(MigrationStatus.FAILED, "ended", at(100 + round));
                }
                next.add(now);
            }
            all = next;

            // then
            List<Bandwidth> streaming = all.stream().filter(m -> m.status() == MigrationStatus.PREPARING)
                    .map(m -> needs.get(m.uuid())).toList();
            assertThat(RULE.admits(streaming)).as("seed %d round %d: %s", seed, round, streaming).isTrue();
        }
        assertThat(all).as("seed %d: every migration ran", seed)
                .allSatisfy(m -> assertThat(m.status()).isNotEqualTo(MigrationStatus.QUEUED));
    }
}

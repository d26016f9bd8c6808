package io.ferry.conductor.domain;

import static io.ferry.conductor.domain.Journeys.aQueuedMigration;
import static io.ferry.conductor.domain.Journeys.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which queued migrations start: limits per source, per destination and per cluster; first in, first out. */
class MigrationSlotsTest {

    private static Migration preparing(String uuid, String source) {
        return new Journeys().process.admit(aQueuedMigration(uuid, source, at(0)), Set.of(), at(0)).migration();
    }

    @Test
    void startsTheOldestQueuedMigrationOfAHostAndKeepsTheRestQueuedInOrder() {
        // given nothing runs, three requests from compute-a arrive in order
        List<Migration> all = List.of(aQueuedMigration("m-3", "compute-a", at(3)),
                aQueuedMigration("m-1", "compute-a", at(1)), aQueuedMigration("m-2", "compute-a", at(2)));

        // when
        MigrationSlots.Plan plan = MigrationSlots.plan(all, SlotLimits.defaults());

        // then
        assertThat(plan.toStart()).extracting(Migration::uuid).containsExactly("m-1");
        assertThat(plan.waiting().get("m-2").position()).isEqualTo(1);
        assertThat(plan.waiting().get("m-3").position()).isEqualTo(2);
        assertThat(plan.waiting().get("m-2").reason()).contains("max_concurrent_live_migrations=1");
    }

    @Test
    void aBusySourceHostDoesNotHoldBackAnotherHostsQueue() {
        // given compute-a runs one
        List<Migration> all = List.of(preparing("m-1", "compute-a"), aQueuedMigration("m-2", "compute-a", at(1)),
                aQueuedMigration("m-3", "compute-b", at(2)));

        // when
        MigrationSlots.Plan plan = MigrationSlots.plan(all, SlotLimits.defaults());

        // then
        assertThat(plan.toStart()).extracting(Migration::uuid).containsExactly("m-3");
        assertThat(plan.waiting()).containsOnlyKeys("m-2");
    }

    @Test
    void keepsEveryoneQueuedWhileTheClusterLimitIsReached() {
        // given parallel_migrations_per_cluster = 2, two running
        List<Migration> all = List.of(preparing("m-1", "compute-a"), preparing("m-2", "compute-b"),
                aQueuedMigration("m-3", "compute-c", at(1)));

        // when
        MigrationSlots.Plan plan = MigrationSlots.plan(all, new SlotLimits(1, 0, 2));

        // then
        assertThat(plan.toStart()).isEmpty();
        assertThat(plan.waiting().get("m-3").reason()).contains("parallel_migrations_per_cluster=2");
    }

    @Test
    void holdsAMigrationToAForcedDestinationAtItsInboundLimitAndReportsFullDestinations() {
        // given compute-z receives one already; a second is forced there
        Migration toZ = new Journeys().then(preparing("m-1", "compute-a"),
                new MigrationInput.DestinationClaimed("compute-z", List.of(), at(1)));
        Migration forced = Migration.queued(2, "m-2", aQueuedMigration().instance(), "compute-b", "compute-z", true,
                false, at(2));

        // when
        MigrationSlots.Plan plan = MigrationSlots.plan(List.of(toZ, forced), new SlotLimits(1, 1, 0));

        // then
        assertThat(plan.toStart()).isEmpty();
        assertThat(plan.waiting().get("m-2").reason()).contains("compute-z receives 1");
        assertThat(plan.fullDestinations()).containsExactly("compute-z");
    }
}

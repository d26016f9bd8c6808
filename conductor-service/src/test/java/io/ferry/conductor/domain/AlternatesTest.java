package io.ferry.conductor.domain;

import static io.ferry.conductor.domain.Journeys.ALTERNATE;
import static io.ferry.conductor.domain.Journeys.DEST;
import static io.ferry.conductor.domain.Journeys.SOURCE;
import static io.ferry.conductor.domain.Journeys.at;
import static io.ferry.conductor.domain.Journeys.done;
import static io.ferry.conductor.domain.Journeys.names;
import static io.ferry.conductor.domain.Journeys.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.MigrationInput.DestinationClaimed;
import io.ferry.conductor.domain.MigrationProcess.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the scheduler's destination refuses: its alternates, then the scheduler again, up to migrate_max_retries. */
class AlternatesTest {

    @Test
    void triesTheSchedulersAlternateWhenTheDestinationRefuses() {
        // given
        Journeys journeys = new Journeys();
        Migration m = journeys.preparingAt(DEST, List.of(ALTERNATE));

        // when
        Step step = journeys.step(m, refused(DEST, AgentStep.PREPARE_DESTINATION, "not enough free memory"));

        // then the refusing host is released and the alternate asked; the record says so
        assertThat(names(step.effects())).containsExactly("ROLLBACK_DESTINATION@" + DEST,
                "PREPARE_DESTINATION@" + ALTERNATE);
        assertThat(step.migration().status()).isEqualTo(MigrationStatus.PREPARING);
        assertThat(step.migration().destHost()).isEqualTo(ALTERNATE);
        assertThat(step.migration().triedHosts()).containsExactly(DEST);
        assertThat(step.records()).singleElement().satisfies(r ->
                assertThat(r.reason()).contains("refused by " + DEST).contains("not enough free memory")
                        .contains("trying alternate " + ALTERNATE));

        // and the alternate's yes carries on as usual
        Step yes = journeys.step(step.migration(), done(ALTERNATE, AgentStep.PREPARE_DESTINATION));
        assertThat(names(yes.effects())).containsExactly("CHECK_SOURCE@" + SOURCE);
        // and a late, duplicate refusal of the first host changes nothing
        assertThat(journeys.step(step.migration(), refused(DEST, AgentStep.PREPARE_DESTINATION, "again")).effects())
                .isEmpty();
    }

    @Test
    void asksTheSchedulerAgainIgnoringEveryRefusingHostOnceTheAlternatesAreUsedUp() {
        // given
        Journeys journeys = new Journeys();
        Migration m = journeys.preparingAt(DEST, List.of(ALTERNATE));
        m = journeys.then(m, refused(DEST, AgentStep.PREPARE_DESTINATION, "no"));

        // when
        Step step = journeys.step(m, refused(ALTERNATE, AgentStep.PREPARE_DESTINATION, "cpu incompatible"));

        // then
        assertThat(step.effects()).hasSize(2);
        Effect.SelectDestination select = (Effect.SelectDestination) step.effects().get(1);
        assertThat(select.ignoreHosts()).containsExactlyInAnyOrder(SOURCE, DEST, ALTERNATE);
        assertThat(step.migration().destHost()).isNull();

        // and when the scheduler offers a refusing host again, the migration fails naming every refusal
        Step again = journeys.step(step.migration(), new DestinationClaimed(DEST, List.of(), at(5)));
        assertThat(again.migration().status()).isEqualTo(MigrationStatus.FAILED);
        assertThat(again.migration().reason()).contains(DEST).contains(ALTERNATE);
    }

    @Test
    void failsAfterTheFirstRefusalWhenRetriesAreOff() {
        // given migrate_max_retries = 0
        Journeys journeys = new Journeys(LifecycleSettings.defaults().withMaxRetries(0));
        Migration m = journeys.preparingAt(DEST, List.of(ALTERNATE));

        // when
        Step step = journeys.step(m, refused(DEST, AgentStep.PREPARE_DESTINATION, "not enough free memory"));

        // then
        assertThat(step.migration().status()).isEqualTo(MigrationStatus.FAILED);
        assertThat(step.migration().reason()).contains("migrate_max_retries=0");
        assertThat(names(step.effects())).containsExactly("ROLLBACK_DESTINATION@" + DEST);
    }

    @Test
    void neverRetriesAForcedDestination() {
        // given
        Journeys journeys = new Journeys();
        Migration forced = Migration.queued(1, "m-f", Journeys.aQueuedMigration().instance(), SOURCE, DEST, true,
                false, at(0));
        Migration m = journeys.process.admit(forced, java.util.Set.of(), at(1)).migration();
        m = journeys.then(m, new DestinationClaimed(DEST, List.of(ALTERNATE), at(2)));

        // when
        Step step = journeys.step(m, refused(DEST, AgentStep.PREPARE_DESTINATION, "disabled"));

        // then
        assertThat(step.migration().status()).isEqualTo(MigrationStatus.FAILED);
    }
}

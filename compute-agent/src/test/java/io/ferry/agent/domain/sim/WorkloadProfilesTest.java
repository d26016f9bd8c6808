package io.ferry.agent.domain.sim;

import static io.ferry.agent.domain.sim.Fixtures.aFabric;
import static io.ferry.agent.domain.sim.Fixtures.aGuest;
import static io.ferry.agent.domain.sim.Fixtures.migrate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WorkloadProfilesTest {

    @Test
    void everyDocumentedProfileCanBeLookedUpByName() {
        // then
        assertThat(WorkloadProfiles.names()).containsExactly("idle", "web", "database", "memory-stress", "bursty");
        assertThat(WorkloadProfiles.names()).allMatch(n -> WorkloadProfiles.byName(n).isPresent());
        assertThat(WorkloadProfiles.byName("nope")).isEmpty();
        assertThatThrownBy(() -> WorkloadProfiles.named("nope")).hasMessageContaining("memory-stress");
    }

    @ParameterizedTest
    @ValueSource(strings = {"idle", "web", "database", "bursty"})
    void anEightGibGuestConvergesInPurePreCopy(String profile) {
        // given
        SimulatedHypervisor hv = aFabric();

        // when
        hv.start(migrate(aGuest(ByteSize.gib(8), WorkloadProfiles.named(profile))));
        boolean ended = hv.runUntilIdle(Duration.ofMinutes(5));

        // then
        assertThat(ended).isTrue();
        assertThat(hv.drainEnded().getFirst().outcome()).isInstanceOf(Outcome.Completed.class);
    }

    @Test
    void memoryStressNeverConvergesInPurePreCopy() {
        // given
        SimulatedHypervisor hv = aFabric();

        // when
        hv.start(migrate(aGuest(ByteSize.gib(8), WorkloadProfiles.named("memory-stress"))));
        boolean ended = hv.runUntilIdle(Duration.ofHours(1));

        // then
        assertThat(ended).isFalse();
    }

    @Test
    void burstyAlternatesItsDirtyRate() {
        // given
        DirtyPattern bursty = WorkloadProfiles.named("bursty").dirtying();

        // then
        assertThat(bursty.rateAt(0.5)).isEqualTo(900e6);
        assertThat(bursty.rateAt(2.5)).isEqualTo(20e6);
        assertThat(bursty.rateAt(5.5)).isEqualTo(900e6);
        assertThat(bursty.nextChangeAfter(0.5)).isEqualTo(2.0);
        assertThat(bursty.nextChangeAfter(2.0)).isEqualTo(5.0);
        assertThat(bursty.average().bytesPerSecond()).isEqualTo((900e6 * 2 + 20e6 * 3) / 5);
    }
}

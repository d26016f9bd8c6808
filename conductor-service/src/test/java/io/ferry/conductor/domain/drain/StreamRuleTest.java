package io.ferry.conductor.domain.drain;

import static io.ferry.conductor.domain.drain.DrainFixtures.TEN_GBIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.convergence.Bandwidth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StreamRuleTest {

    private final StreamRule rule = StreamRule.of(TEN_GBIT, DrainSettings.defaults());

    @Test
    void aGuestThatNeedsTheWholeLinkGoesAlone() {
        // given a database (600 MB/s, needs 1,200 MB/s) and an idle guest
        Bandwidth db = rule.needed(Bandwidth.ofMBps(600));
        Bandwidth idle = rule.needed(Bandwidth.ofMBps(1));

        // when / then
        assertThat(rule.admits(List.of(db))).isTrue();
        assertThat(rule.admits(List.of(db, idle))).isFalse();
    }

    @Test
    void aGuestDirtyingFasterThanTheLinkStillGetsTheWholeLinkAlone() {
        // given memory-stress: 1,500 MB/s on a 1,250 MB/s link
        Bandwidth stress = rule.needed(Bandwidth.ofMBps(1500));

        // when / then
        assertThat(stress).isEqualTo(TEN_GBIT);
        assertThat(rule.admits(List.of(stress))).isTrue();
    }

    @Test
    void idleGuestsShareTheLinkUpToTheStreamLimit() {
        Bandwidth idle = rule.needed(Bandwidth.ofMBps(1));
        assertThat(rule.admits(List.of(idle, idle, idle, idle))).isTrue();
        assertThat(rule.admits(List.of(idle, idle, idle, idle, idle))).isFalse();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void neverAdmitsASetWhoseFairShareIsBelowAnyMembersNeededRate(long seed) {
        Random random = new Random(seed);
        for (int trial = 0; trial < 500; trial++) {
            // given a random NIC, margin, limit and set of guests
            Bandwidth nic = Bandwidth.ofMBps(100 + random.nextInt(5000));
            StreamRule r = new StreamRule(nic, 1.0 + random.nextDouble() * 3, 1 + random.nextInt(8));
            List<Bandwidth> needs = new ArrayList<>();
            int n = 1 + random.nextInt(10);
            for (int i = 0; i < n; i++) {
                needs.add(r.needed(Bandwidth.ofBytesPerSecond((long) (random.nextDouble() * 2 * nic.bytesPerSecond()))));
            }

            // when
            boolean admitted = r.admits(needs);

            // then
            if (admitted) {
                Bandwidth share = r.fairShare(needs.size());
                assertThat(needs).as("seed %d trial %d", seed, trial).allSatisfy(need ->
                        assertThat(need).isLessThanOrEqualTo(share));
                assertThat(needs.size()).as("seed %d trial %d", seed, trial).isLessThanOrEqualTo(r.maxStreams());
            }
            assertThat(r.admits(List.of(needs.getFirst()))).as("seed %d: any one guest may go alone", seed).isTrue();
        }
    }
}

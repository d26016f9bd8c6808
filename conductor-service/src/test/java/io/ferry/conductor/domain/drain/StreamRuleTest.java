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

    @Test
    void aStreamMeasuredBelowTheNicGetsNoMoreThanItReachedAlone() {
        // given a source whose lone stream reached a third of its NIC
        Bandwidth third = Bandwidth.ofBytesPerSecond(TEN_GBIT.bytesPerSecond() / 3);
        StreamRule bound = new StreamRule(TEN_GBIT, 2.0, 4, third);

        // when / then: alone or with two others a stream gets that third, with four a quarter of the NIC
        assertThat(bound.oneStream()).isEqualTo(third);
        assertThat(bound.fairShare(1)).isEqualTo(third);
        assertThat(bound.fairShare(3)).isEqualTo(third);
        assertThat(bound.fairShare(4)).isEqualTo(Bandwidth.ofBytesPerSecond(TEN_GBIT.bytesPerSecond() / 4));
    }

    @Test
    void whenOneStreamCannotFillTheNicEvenAGuestThatNeedsAllOfAStreamSharesTheNicWithOthers() {
        // given a database (needs 1,200 MB/s) on a source whose lone stream reaches 416 MB/s
        StreamRule bound = new StreamRule(TEN_GBIT, 2.0, 4, Bandwidth.ofMBps(416));
        Bandwidth db = bound.needed(Bandwidth.ofMBps(600));
        Bandwidth idle = bound.needed(Bandwidth.ofMBps(1));

        // when / then: it needs all one stream gets, which it still gets beside two others, not beside three
        assertThat(db).isEqualTo(Bandwidth.ofMBps(416));
        assertThat(bound.admits(List.of(db))).isTrue();
        assertThat(bound.admits(List.of(db, idle, idle))).isTrue();
        assertThat(bound.admits(List.of(db, idle, idle, idle))).isFalse();
    }

    @Test
    void aLoneStreamMeasuredAtOrAboveTheNicChangesNothing() {
        // given
        StreamRule measured = new StreamRule(TEN_GBIT, 2.0, 4, Bandwidth.ofMBps(3000));

        // when / then
        for (int n = 1; n <= 5; n++) {
            assertThat(measured.fairShare(n)).isEqualTo(rule.fairShare(n));
        }
        assertThat(measured.needed(Bandwidth.ofMBps(600))).isEqualTo(rule.needed(Bandwidth.ofMBps(600)));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void neverAdmitsASetWhoseFairShareIsBelowAnyMembersNeededRate(long seed) {
        Random random = new Random(seed);
        for (int trial = 0; trial < 500; trial++) {
            // given a random NIC, margin, limit and set of guests
            Bandwidth nic = Bandwidth.ofMBps(100 + random.nextInt(5000));
            Bandwidth stream = random.nextBoolean() ? Bandwidth.ZERO
                    : Bandwidth.ofBytesPerSecond(random.nextLong(1, 2 * nic.bytesPerSecond()));
            StreamRule r = new StreamRule(nic, 1.0 + random.nextDouble() * 3, 1 + random.nextInt(8), stream);
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
                assertThat(share).as("seed %d trial %d: never more than one stream reaches", seed, trial)
                        .isLessThanOrEqualTo(r.oneStream());
            }
            assertThat(r.admits(List.of(needs.getFirst()))).as("seed %d: any one guest may go alone", seed).isTrue();
        }
    }
}

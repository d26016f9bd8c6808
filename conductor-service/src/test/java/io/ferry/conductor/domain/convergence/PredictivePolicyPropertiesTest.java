package io.ferry.conductor.domain.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules that must hold for every workload: random guests, links, dirty rates and settings from a
 * seed printed in the test name (re-run one by putting it into {@link #seeds()}).
 */
class PredictivePolicyPropertiesTest {

    private static final long BASE_SEED = 0x5EED_F3AAL;
    private static final Duration HORIZON = Duration.ofHours(6);

    static LongStream seeds() {
        return LongStream.range(0, 200).map(i -> BASE_SEED + i);
    }

    private record Case(Workload workload, ConvergenceSettings settings, double ratio) {
    }

    private static Case randomCase(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteSize memory = ByteSize.ofMiB(random.nextLong(512, 16 * 1024 + 1));
        Bandwidth bandwidth = Bandwidth.ofMBps(random.nextLong(100, 2_501));
        // keep away from the knife edge D = B, where any model is a coin toss
        double ratio = random.nextBoolean() ? random.nextDouble(0.0, 0.95) : random.nextDouble(1.1, 3.0);
        Bandwidth dirtyRate = Bandwidth.ofBytesPerSecond(Math.round(bandwidth.bytesPerSecond() * ratio));
        ConvergenceSettings settings = ConvergenceSettings.defaults()
                .withMaxDowntime(Duration.ofMillis(random.nextLong(200, 2_001)))
                .withPermitAutoConverge(random.nextInt(3) == 0)
                .withPermitPostCopy(random.nextInt(3) == 0);
        return new Case(Workload.constant("seed " + seed, memory, bandwidth, dirtyRate), settings, ratio);
    }

    /** A guest whose dirty rate jumps between two levels: what makes forecasts, and the ramp, move. */
    private static Case randomBurstyCase(long seed) {
        Case base = randomCase(seed);
        SplittableRandom random = new SplittableRandom(~seed);
        double b = base.workload().bandwidth().bytesPerSecond();
        double low = b * random.nextDouble(0.0, 0.9);
        double high = b * random.nextDouble(0.5, 2.0);
        double period = random.nextDouble(2.0, 60.0);
        double duty = random.nextDouble(0.1, 0.9);
        Workload bursty = new Workload("bursty seed " + seed, base.workload().memory(), base.workload().bandwidth(),
                t -> (t % period) < duty * period ? high : low);
        return new Case(bursty, base.settings(), Double.NaN);
    }

    /** Independent of the policy: can some pass end fit the allowed downtime before the timeout? */
    private static boolean physicallyConverges(Case c) {
        double m = c.workload().memory().bytes();
        double b = c.workload().bandwidth().bytesPerSecond();
        double cap = (c.settings().maxDowntime().toMillis() - c.settings().switchoverCost().toMillis()) / 1000.0;
        double timeout = (long) (800 * GuestFootprint.ofRam(c.workload().memory()).novaDataGb());
        double t = m / b;
        double pass = Math.min(m, m * c.ratio());
        for (int i = 0; i < 100_000 && t < timeout; i++) {
            if (pass / b <= cap) {
                return true;
            }
            t += pass / b;
            pass = Math.min(m, pass * c.ratio());
        }
        return false;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theDowntimeRampNeverDecreasesAndNeverExceedsTheMaximum(long seed) {
        Case c = seed % 2 == 0 ? randomCase(seed) : randomBurstyCase(seed);

        PreCopySimulator.Result result = PreCopySimulator.run(c.workload(), new PredictivePolicy(), c.settings(), HORIZON);

        List<Duration> limits = result.downtimeLimitsSet();
        SoftAssertions softly = new SoftAssertions();
        for (int i = 1; i < limits.size(); i++) {
            softly.assertThat(limits.get(i)).as("seed %d: limit %d after %s", seed, i, limits.get(i - 1))
                    .isGreaterThan(limits.get(i - 1));
        }
        softly.assertThat(limits).as("seed %d", seed)
                .allSatisfy(l -> assertThat(l.plus(c.settings().switchoverCost())).isLessThanOrEqualTo(c.settings().maxDowntime()));
        if (result.completed() && !result.postCopy() && !result.paused()) {
            softly.assertThat(result.downtime()).as("seed %d: real downtime; %s", seed, result)
                    .isLessThanOrEqualTo(c.settings().maxDowntime());
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void convergesWheneverTheModelSaysItPhysicallyCanAndOtherwiseGivesUpWithinThirtySeconds(long seed) {
        Case c = randomCase(seed);

        PreCopySimulator.Result result = PreCopySimulator.run(c.workload(), new PredictivePolicy(), c.settings(), HORIZON);

        if (physicallyConverges(c)) {
            assertThat(result.completed()).as("seed %d: %s", seed, result).isTrue();
            assertThat(result.decisionsOf(Decision.Abort.class)).as("seed %d", seed).isEmpty();
        } else if (!c.settings().liveMigrationPermitAutoConverge() && !c.settings().liveMigrationPermitPostCopy()) {
            assertThat(result.aborted()).as("seed %d: %s", seed, result).isTrue();
            assertThat(result.decisionsOf(Decision.Abort.class).getFirst().elapsed()).as("seed %d", seed)
                    .isLessThanOrEqualTo(Duration.ofSeconds(30));
        } else {
            assertThat(result.completed()).as("seed %d: throttling or post-copy finishes it; %s", seed, result).isTrue();
        }
    }
}

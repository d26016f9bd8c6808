package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.EndedJob;
import io.ferry.agent.domain.sim.HostName;
import io.ferry.agent.domain.sim.HostSpec;
import io.ferry.agent.domain.sim.MigrationRequest;
import io.ferry.agent.domain.sim.MigrationSettings;
import io.ferry.agent.domain.sim.Outcome;
import io.ferry.agent.domain.sim.SimulatedHypervisor;
import io.ferry.agent.domain.sim.SimulationSettings;
import io.ferry.agent.domain.sim.WorkloadProfiles;
import io.ferry.bench.PolicyBench.Case;
import io.ferry.bench.PolicyBench.Contender;
import io.ferry.bench.PolicyBench.Run;
import io.ferry.bench.PolicyBench.Variant;
import io.ferry.conductor.domain.LifecycleSettings;
import io.ferry.conductor.domain.convergence.ConvergenceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9's policy acceptance on the faithful simulator (compute-agent's {@link SimulatedHypervisor} and every
 * {@link WorkloadProfiles} profile), steered by the conductor's own process as {@link PolicyBench} does it. Simulated
 * time only: nothing here depends on how fast the machine is.
 */
class PolicyOnSimulatorTest {

    private static final ConvergenceSettings PREDICTIVE = ConvergenceSettings.defaults();
    /** The highest limit the predictive policy may set: max downtime minus its switchover estimate. */
    private static final Duration CEILING = PREDICTIVE.maxDowntime().minus(PREDICTIVE.switchoverCost());

    static Stream<Arguments> everyProfileSizeAndLink() {
        List<Arguments> all = new ArrayList<>();
        for (String profile : WorkloadProfiles.names()) {
            for (long gib : new long[] {2, 8, 32}) {
                for (long cap : new long[] {0, 120}) {
                    all.add(Arguments.of(new Case(profile, gib, cap)));
                }
            }
        }
        return all.stream();
    }

    /**
     * Independent of any policy: does the simulator alone, with the ceiling as a fixed max downtime, switch over
     * before Nova's completion timeout?
     */
    private static boolean physicallyConverges(Case c) {
        SimulatedHypervisor sim = new SimulatedHypervisor(SimulationSettings.defaults().withTrace(false));
        sim.addHost(HostSpec.of("a", io.ferry.agent.domain.sim.Bandwidth.gbitPerSecond(10), ByteSize.gib(1024)));
        sim.addHost(HostSpec.of("b", io.ferry.agent.domain.sim.Bandwidth.gbitPerSecond(10), ByteSize.gib(1024)));
        MigrationSettings settings = MigrationSettings.defaults().withMaxDowntime(CEILING)
                .withBandwidthCap(c.capMibps() > 0 ? io.ferry.agent.domain.sim.Bandwidth.mibPerSecond(c.capMibps())
                        : io.ferry.agent.domain.sim.Bandwidth.ZERO);
        sim.start(new MigrationRequest(c.guest(), new HostName("a"), new HostName("b"), settings));
        sim.runUntilIdle(Duration.ofSeconds((long) (800 * Math.max(c.ramGib(), 2))));
        List<EndedJob> ended = sim.drainEnded();
        return !ended.isEmpty() && ended.getFirst().outcome() instanceof Outcome.Completed;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyProfileSizeAndLink")
    void predictiveConvergesWheneverTheGuestPhysicallyCanAndOtherwiseSaysWhyEarly(Case c) {
        // when nothing but pre-copy is permitted
        Run run = PolicyBench.run(c, Variant.PLAIN, Contender.PREDICTIVE);

        // then it completes whenever a fixed limit under the ceiling would; otherwise it cancels, naming the figures
        if (physicallyConverges(c)) {
            assertThat(run.completed()).as("%s: %s", c.label(), run).isTrue();
            assertThat(run.downtimeMs()).isLessThanOrEqualTo(PREDICTIVE.maxDowntime().toMillis());
            return;
        }
        assertThat(run.completed()).as("%s: %s", c.label(), run).isFalse();
        assertThat(run.outcome()).isEqualTo("cancelled");
        assertThat(run.why()).contains("cannot converge: dirty rate").contains("bandwidth")
                .contains("neither auto-converge nor post-copy is permitted");
        // within 30 simulated seconds however long the first pass takes: the agent measures the guest's dirty rate
        // apart from the stream (calc-dirty-rate) as the migration starts, while QEMU's own comes only after a pass
        assertThat(run.seconds()).as("%s: %s", c.label(), run).isLessThanOrEqualTo(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyProfileSizeAndLink")
    void predictiveNeverExceedsTheMaximumDowntimeAndFinishesEveryGuestWhenPostCopyIsPermitted(Case c) {
        for (Variant variant : Variant.values()) {
            // when
            Run run = PolicyBench.run(c, variant, Contender.PREDICTIVE);

            // then no switchover ever took longer than the maximum, and no limit set exceeded the ceiling
            if (run.completed()) {
                assertThat(run.downtimeMs()).as("%s %s: %s", c.label(), variant, run)
                        .isLessThanOrEqualTo(PREDICTIVE.maxDowntime().toMillis());
            }
            assertThat(run.decisions()).filteredOn(d -> d.kind().equals("set-max-downtime"))
                    .allSatisfy(d -> assertThat(d.downtimeMs()).isLessThanOrEqualTo(CEILING.toMillis()));
            if (variant == Variant.POST_COPY) {
                assertThat(run.completed()).as("%s %s: %s", c.label(), variant, run).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0} GiB: a step every {1} s")
    @CsvSource({"1, 150", "4, 300", "8, 600"})
    void novaCompatibleModeSetsNovasStepsAtNovasTimesOnTheSimulator(long gib, long delaySeconds) {
        // given a guest that never converges and no completion timeout
        ConvergenceSettings nova = ConvergenceSettings.novaDefaults().withCompletionTimeout(Duration.ZERO);
        Case c = new Case(WorkloadProfiles.MEMORY_STRESS, gib, 0);

        // when
        Run run = PolicyBench.run(c, Variant.PLAIN, Contender.NOVA, nova);

        // then step 0 (50 ms) is the limit the migration starts with, and steps 1..10 come at the first reading
        // (one per simulated second) strictly after i x int(75 x data_gb) s: int(50 + 45 i) ms
        assertThat(LifecycleSettings.defaults().withConvergence(nova).initialDowntime()).isEqualTo(Duration.ofMillis(50));
        List<long[]> pairs = run.decisions().stream().filter(d -> d.kind().equals("set-max-downtime"))
                .map(d -> new long[] {Math.round(d.at()), d.downtimeMs()}).toList();
        List<long[]> expected = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            expected.add(new long[] {delaySeconds * i + 1, 50 + 45L * i});
        }
        assertThat(pairs).containsExactlyElementsOf(expected);
        assertThat(run.completed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyProfileSizeAndLink")
    void predictiveIsNeverSlowerThanNovaOrKubeVirtByMoreThanAReadingWhenBothComplete(Case c) {
        for (Variant variant : Variant.values()) {
            Run ours = PolicyBench.run(c, variant, Contender.PREDICTIVE);
            for (Contender other : List.of(Contender.NOVA, Contender.KUBEVIRT)) {
                Run theirs = PolicyBench.run(c, variant, other);
                if (theirs.completed()) {
                    assertThat(ours.completed()).as("%s %s vs %s: %s", c.label(), variant, other, ours).isTrue();
                    assertThat(ours.seconds()).as("%s %s vs %s", c.label(), variant, other)
                            .isLessThanOrEqualTo(theirs.seconds() + 1.0);
                }
            }
        }
    }
}

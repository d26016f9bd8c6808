package io.ferry.conductor.domain.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KubeVirtPolicyTest {

    private final ConvergencePolicy kubevirt = KubeVirtPolicy.withDefaults();
    private final ConvergenceSettings settings = ConvergenceSettings.defaults().withPolicy(PolicyKind.KUBEVIRT);

    @Test
    void theDataSizeIsDecimalGigabytesRoundedUp() {
        assertThat(GuestFootprint.ofRam(ByteSize.ofGiB(4)).kubeVirtDataGb()).isEqualTo(5);
        assertThat(GuestFootprint.ofRam(ByteSize.ofBytes(2_000_000_000L)).kubeVirtDataGb()).isEqualTo(2);
    }

    @Test
    void abortsWhenTheAcceptableCompletionTimeOf150SecondsPerGbExpires() {
        // given: 4 GiB = 5 GB, so 750 s
        PreCopySimulator.Result result = PreCopySimulator.run(Workload.memoryStress(), kubevirt, settings, Duration.ofSeconds(900));

        assertThat(result.decisionsOf(Decision.Abort.class)).singleElement().satisfies(a -> {
            assertThat(a.elapsed()).isEqualTo(Duration.ofSeconds(751));
            assertThat(((Decision.Abort) a.decision()).cause()).isEqualTo(Decision.AbortCause.COMPLETION_TIMEOUT);
        });
        assertThat(result.downtimeLimitsSet()).isEmpty();
    }

    @Test
    void switchesToPostCopyAtTheAcceptableCompletionTimeWhenPostCopyIsAllowed() {
        PreCopySimulator.Result result = PreCopySimulator.run(Workload.memoryStress(), kubevirt,
                settings.withPermitPostCopy(true), Duration.ofSeconds(900));

        assertThat(result.decisionsOf(Decision.SwitchToPostCopy.class)).singleElement()
                .satisfies(d -> assertThat(d.elapsed()).isEqualTo(Duration.ofSeconds(751)));
        assertThat(result.completed()).isTrue();
    }

    @Test
    void abortsAMigrationStuckForMoreThan150Seconds() {
        // given: remaining data stops falling after the first reading
        ConvergenceState state = kubevirt.start(GuestFootprint.ofRam(ByteSize.ofGiB(4)), PreCopySimulator.START, settings).state();
        state = kubevirt.decide(state, Readings.aReading().at(Duration.ofSeconds(1)).build(), settings).state();
        Outcome at151 = kubevirt.decide(state, Readings.aReading().at(Duration.ofSeconds(151)).build(), settings);

        // when
        Outcome at152 = kubevirt.decide(at151.state(), Readings.aReading().at(Duration.ofSeconds(152)).build(), settings);

        // then
        assertThat(at151.acts()).isFalse();
        assertThat(at152.decisions()).singleElement().isInstanceOfSatisfying(Decision.Abort.class,
                a -> assertThat(a.cause()).isEqualTo(Decision.AbortCause.STALLED));
    }

    @Test
    void anIdleGuestCompletesUnderTheHypervisorsDefaultDowntime() {
        PreCopySimulator.Result result = PreCopySimulator.run(Workload.idle(), kubevirt, settings, Duration.ofSeconds(100));

        assertThat(result.completed()).isTrue();
        assertThat(result.downtimeLimitsSet()).isEmpty();
    }

    @Test
    void theSettingsNameThePolicy() {
        assertThat(ConvergencePolicy.of(settings)).isEqualTo(KubeVirtPolicy.withDefaults());
        assertThat(ConvergencePolicy.of(ConvergenceSettings.defaults())).isInstanceOf(PredictivePolicy.class);
        assertThat(ConvergencePolicy.of(ConvergenceSettings.novaDefaults())).isInstanceOf(NovaCompatiblePolicy.class);
    }
}

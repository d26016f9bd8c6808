package io.ferry.conductor.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.convergence.ConvergenceSettings;
import io.ferry.conductor.domain.convergence.PolicyKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleSettingsTest {

    @Test
    void novaAndThePredictivePolicyStartAtNovasFirstStep() {
        // given Nova's defaults: 500 ms in 10 steps
        LifecycleSettings predictive = LifecycleSettings.defaults();
        LifecycleSettings nova = predictive.withConvergence(ConvergenceSettings.novaDefaults());

        // when / then
        assertThat(predictive.initialDowntime()).isEqualTo(Duration.ofMillis(50));
        assertThat(nova.initialDowntime()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void kubeVirtStartsWithQemusDefaultDowntimeAsKubeVirtNeverSetsOne() {
        // given
        LifecycleSettings kubeVirt = LifecycleSettings.defaults()
                .withConvergence(ConvergenceSettings.defaults().withPolicy(PolicyKind.KUBEVIRT));

        // when / then
        assertThat(kubeVirt.initialDowntime()).isEqualTo(Duration.ofMillis(300));
    }
}

package io.ferry.agent.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentMessagesTest {

    @Test
    void reportsTheHypervisorVersionAsNovaDoes() {
        assertThat(AgentMessages.novaVersion("7.2.0")).isEqualTo(7_002_000L);
        assertThat(AgentMessages.novaVersion("9.0")).isEqualTo(9_000_000L);
        assertThat(AgentMessages.novaVersion("7.2.19-rc1")).isEqualTo(7_002_019L);
        assertThat(AgentMessages.novaVersion(null)).isZero();
        assertThat(AgentMessages.novaVersion("unknown")).isZero();
    }
}

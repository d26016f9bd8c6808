package io.ferry.agent.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.domain.HostCapacity;
import io.ferry.agent.domain.HostLedger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** As Nova's libvirt driver does, a host whose hypervisor stops answering disables its compute service until it answers again. */
class HostAgentHypervisorConnectionTest {

    /** A hypervisor whose daemon the test stops and starts. */
    private static final class Daemon extends InertHypervisor {
        volatile Optional<String> problem = Optional.empty();

        @Override
        public Optional<String> connectionProblem() {
            return problem;
        }
    }

    private final Daemon daemon = new Daemon();
    private final HostAgent agent = new HostAgent("h1", "cell1",
            new HostLedger(new HostCapacity(16, 8192, 512, 100, "EPYC", 10000)), daemon, QuietAgentEvents.INSTANCE);

    @Test
    void disablesTheServiceWithNovasReasonWhileTheHypervisorDoesNotAnswerAndEnablesItAgainAfter() {
        // when the daemon stops answering
        daemon.problem = Optional.of("libvirt at qemu:///system does not answer: Cannot recv data");

        // then the next heartbeat's check disables the service with Nova's automatic reason
        assertThat(agent.checkHypervisor()).isTrue();
        assertThat(agent.enabled()).isFalse();
        assertThat(agent.disabledReason()).isEqualTo(
                "AUTO: Connection to libvirt lost: libvirt at qemu:///system does not answer: Cannot recv data");
        assertThat(agent.checkHypervisor()).as("already disabled").isFalse();

        // when it answers again, then the service is enabled again
        daemon.problem = Optional.empty();
        assertThat(agent.checkHypervisor()).isTrue();
        assertThat(agent.enabled()).isTrue();
        assertThat(agent.disabledReason()).isNull();
    }

    @Test
    void aServiceAnOperatorDisabledStaysDisabledWhenTheHypervisorAnswers() {
        // given
        agent.setServiceStatus(false, "maintenance", null);

        // when
        boolean changed = agent.checkHypervisor();

        // then
        assertThat(changed).isFalse();
        assertThat(agent.enabled()).isFalse();
        assertThat(agent.disabledReason()).isEqualTo("maintenance");
    }
}

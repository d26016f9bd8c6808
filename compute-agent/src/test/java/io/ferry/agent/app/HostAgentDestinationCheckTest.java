package io.ferry.agent.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.HostCapacity;
import io.ferry.agent.domain.HostLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A destination agent asks its hypervisor about an incoming guest's CPU before it reserves anything. */
class HostAgentDestinationCheckTest {

    private static final String CPU = "<cpu mode=\"custom\"><model>qemu64</model>"
            + "<feature policy=\"require\" name=\"avx512f\"/></cpu>";

    /** A hypervisor that lacks AVX-512, and remembers which CPU definitions it was asked about. */
    private static final class NoAvx512 extends InertHypervisor {
        final List<Optional<String>> asked = new ArrayList<>();

        @Override
        public Optional<String> destinationRefusal(Guest guest, Optional<String> guestCpu) {
            asked.add(guestCpu);
            return guestCpu.filter(cpu -> cpu.contains("avx512f"))
                    .map(cpu -> "Host CPU does not provide required features: avx512f");
        }
    }

    private final HostLedger ledger = new HostLedger(new HostCapacity(16, 8192, 512, 100, "EPYC", 10000));
    private final NoAvx512 hypervisor = new NoAvx512();
    private final HostAgent destination = new HostAgent("dest", "cell1", ledger, hypervisor, QuietAgentEvents.INSTANCE);

    private static Guest guest(String cpu) {
        return new Guest("uuid-1", "vm-1", "p", "u", "m1", 1024, 1, 0, null).withCpuDefinition(cpu);
    }

    @Test
    void refusesToPrepareForAGuestWhoseCpuItsHypervisorLacksAndReservesNothing() {
        // when
        StepResult result = destination.prepareDestination(guest(CPU));

        // then
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.REFUSED);
        assertThat(result.reason()).contains("avx512f");
        assertThat(hypervisor.asked).containsExactly(Optional.of(CPU));
        assertThat(ledger.migrationsIn()).isZero();
        assertThat(ledger.memoryMbUsed()).isZero();
    }

    @Test
    void preparesForAGuestItsHypervisorCanRunAndKeepsItsCpuOnceItArrives() {
        // given
        String baseline = "<cpu mode=\"custom\"><model>qemu64</model></cpu>";

        // when
        StepResult result = destination.prepareDestination(guest(baseline));

        // then it is reserved
        assertThat(result.outcome()).isEqualTo(StepResult.Outcome.DONE);
        assertThat(ledger.migrationsIn()).isEqualTo(1);

        // and once it arrives (the arrival command carries no CPU) it still runs with the definition it came with
        destination.postMigrateDestination(guest(null));
        assertThat(ledger.running("uuid-1")).hasValueSatisfying(g -> assertThat(g.cpuDefinition()).isEqualTo(baseline));
    }

    @Test
    void aCheckWithoutACpuDefinitionAsksOnlyAboutMemory() {
        assertThat(destination.checkDestination(guest(null)).outcome()).isEqualTo(StepResult.Outcome.DONE);
        assertThat(hypervisor.asked).containsExactly(Optional.empty());
    }
}

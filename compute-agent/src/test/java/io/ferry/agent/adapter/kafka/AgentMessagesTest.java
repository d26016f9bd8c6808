package io.ferry.agent.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ferry.agent.app.QuietAgentEvents;
import io.ferry.agent.app.HostAgent;
import io.ferry.agent.app.HypervisorDriver;
import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.HostCapacity;
import io.ferry.agent.domain.HostLedger;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.MigrationOrder;
import io.ferry.schemas.host.HostInventory;
import io.ferry.schemas.host.HostedInstance;
import io.ferry.schemas.migration.MigrationProgress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentMessagesTest {

    private static Guest guest(String workload) {
        return new Guest("uuid-1", "vm-1", "p", "u", "m1.large", 8192, 4, 80, workload);
    }

    @Test
    void theInventoryReportsEachGuestsMeasuredDirtyRateAndTheLoneStreamsBandwidth() {
        // given a host whose hypervisor measured the database guest (and not the other), and one stream that ran
        // alone at 416 MB/s
        Guest db = new Guest("uuid-db", "db-1", "p", "u", "m1.large", 8192, 4, 80, "database");
        Guest other = new Guest("uuid-vm", "vm-2", "p", "u", "m1.small", 2048, 1, 20, null);
        HostLedger ledger = new HostLedger(new HostCapacity(32, 65536, 512, 500, "Skylake", 10000));
        ledger.boot(db);
        ledger.boot(other);
        Measuring driver = new Measuring(Map.of("uuid-db", new DirtyRateSample(599_785_472L, 1_000, 5_000)));
        HostAgent agent = new HostAgent("compute-a", "cell1", ledger, driver, QuietAgentEvents.INSTANCE);
        agent.startMigration(new MigrationOrder("m-1", other, "compute-a", "compute-b", false,
                java.time.Duration.ofMillis(300), 0, false, false));
        driver.listener.progress(new JobReading(5_000, 4_000, 1, 2L << 30, 1L << 30, 1L << 30, 0, 416_000_000L, 300,
                -1, 0, JobReading.JobPhase.PRE_COPY));

        // when
        HostInventory inventory = AgentMessages.inventory(agent, 6_000);

        // then
        assertThat(inventory.getStreamBandwidthBytesPerSec()).isEqualTo(416_000_000L);
        assertThat(inventory.getInstances()).extracting(h -> h.getSpec().getName(), HostedInstance::getDirtyRateBytesPerSec)
                .containsExactlyInAnyOrder(tuple("db-1", 599_785_472L), tuple("vm-2", 0L));
    }

    /** A hypervisor that measured some guests' dirty rates; it keeps the listener of the job it was asked to run. */
    private static final class Measuring implements HypervisorDriver {
        private final Map<String, DirtyRateSample> measured;
        MigrationListener listener;

        Measuring(Map<String, DirtyRateSample> measured) {
            this.measured = measured;
        }

        @Override
        public Optional<DirtyRateSample> measuredDirtyRate(Guest guest) {
            return Optional.ofNullable(measured.get(guest.uuid()));
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void startMigration(MigrationOrder order, MigrationListener jobListener) {
            listener = jobListener;
        }

        @Override
        public boolean setMaxDowntime(String migrationUuid, java.time.Duration downtime) {
            return true;
        }

        @Override
        public boolean switchToPostCopy(String migrationUuid) {
            return true;
        }

        @Override
        public boolean forceComplete(String migrationUuid) {
            return true;
        }

        @Override
        public boolean abort(String migrationUuid) {
            return true;
        }

        @Override
        public boolean isRunning(String migrationUuid) {
            return listener != null;
        }
    }

    @Test
    void reportsTheHypervisorVersionAsNovaDoes() {
        assertThat(AgentMessages.novaVersion("7.2.0")).isEqualTo(7_002_000L);
        assertThat(AgentMessages.novaVersion("9.0")).isEqualTo(9_000_000L);
        assertThat(AgentMessages.novaVersion("7.2.19-rc1")).isEqualTo(7_002_019L);
        assertThat(AgentMessages.novaVersion(null)).isZero();
        assertThat(AgentMessages.novaVersion("unknown")).isZero();
    }

    @Test
    void publishesTheGuestsMeasuredDirtyRateWithTheReading() throws Exception {
        // given a reading carrying a calc-dirty-rate measurement, and one without
        JobReading measured = new JobReading(5_000, 4_000, 1, 8L << 30, 1L << 30, 7L << 30, 0, 1_250_000_000L, 300,
                -1, 0, JobReading.JobPhase.PRE_COPY, new DirtyRateSample(1_499_463_680L, 1_000, 1_000));
        JobReading plain = new JobReading(5_000, 4_000, 1, 8L << 30, 1L << 30, 7L << 30, 0, 1_250_000_000L, 300,
                -1, 0, JobReading.JobPhase.PRE_COPY);

        // when they go on the wire and back
        MigrationProgress sent = MigrationProgress.fromByteBuffer(
                AgentMessages.progress("a", "m-1", "i-1", measured, 5_000).toByteBuffer());
        MigrationProgress sentPlain = MigrationProgress.fromByteBuffer(
                AgentMessages.progress("a", "m-1", "i-1", plain, 5_000).toByteBuffer());

        // then
        assertThat(sent.getMeasuredDirtyRate().getBytesPerSec()).isEqualTo(1_499_463_680L);
        assertThat(sent.getMeasuredDirtyRate().getStartedAt()).isEqualTo(1_000);
        assertThat(sent.getMeasuredDirtyRate().getPeriodMs()).isEqualTo(1_000);
        assertThat(sentPlain.getMeasuredDirtyRate()).isNull();
    }
}

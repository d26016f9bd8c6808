package io.ferry.agent.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.JobReading;
import io.ferry.schemas.migration.MigrationProgress;
import org.junit.jupiter.api.Test;

class AgentMessagesTest {

    private static Guest guest(String workload) {
        return new Guest("uuid-1", "vm-1", "p", "u", "m1.large", 8192, 4, 80, workload);
    }

    @Test
    void reportsTheWorkloadProfilesAverageDirtyRateForDrainPlanning() {
        // given a database guest (600 MB/s) and a bursty one (900 MB/s for 2 s, 20 MB/s for 3 s)

        // when
        long database = AgentMessages.dirtyRateEstimate(guest("database"));
        long bursty = AgentMessages.dirtyRateEstimate(guest("bursty"));

        // then
        assertThat(database).isEqualTo(600_000_000L);
        assertThat(bursty).isEqualTo(372_000_000L);
    }

    @Test
    void reportsAnUnknownDirtyRateAsZero() {
        // given a guest without a profile, and one with a name no profile has

        // when / then
        assertThat(AgentMessages.dirtyRateEstimate(guest(null))).isZero();
        assertThat(AgentMessages.dirtyRateEstimate(guest("no-such-profile"))).isZero();
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

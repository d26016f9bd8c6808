package io.ferry.conductor.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.MeasuredDirtyRate;
import io.ferry.schemas.Envelopes;
import io.ferry.schemas.migration.DirtyRateMeasurement;
import io.ferry.schemas.migration.JobPhase;
import io.ferry.schemas.migration.MigrationProgress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConductorMessagesProgressTest {

    private static MigrationProgress.Builder aProgress() {
        return MigrationProgress.newBuilder().setEnvelope(Envelopes.of("m-1", null, 1_000, "compute-agent/a"))
                .setMigrationUuid("m-1").setInstanceUuid("i-1").setHost("a").setReadingTime(5_000).setIteration(1)
                .setMemoryTotalBytes(8L << 30).setMemoryRemainingBytes(6L << 30).setPhase(JobPhase.PRE_COPY);
    }

    @Test
    void readsTheGuestsMeasuredDirtyRateWhenTheAgentSentOne() {
        // given
        MigrationProgress progress = aProgress().setMeasuredDirtyRate(DirtyRateMeasurement.newBuilder()
                .setBytesPerSec(600_000_000L).setStartedAt(1_000).setPeriodMs(1_000).build()).build();

        // when
        MeasuredDirtyRate measured = ConductorMessages.reading(progress).measuredDirtyRate();

        // then
        assertThat(measured).isEqualTo(new MeasuredDirtyRate(Bandwidth.ofBytesPerSecond(600_000_000L),
                Instant.ofEpochMilli(1_000), Duration.ofSeconds(1)));
    }

    @Test
    void aReadingWithoutOrWithAMeaninglessMeasurementHasNone() {
        // given an older agent's reading, and one whose measurement has no period
        MigrationProgress none = aProgress().build();
        MigrationProgress noPeriod = aProgress().setMeasuredDirtyRate(DirtyRateMeasurement.newBuilder()
                .setBytesPerSec(600_000_000L).setStartedAt(1_000).setPeriodMs(0).build()).build();

        // when / then
        assertThat(ConductorMessages.reading(none).measuredDirtyRate()).isNull();
        assertThat(ConductorMessages.reading(noPeriod).measuredDirtyRate()).isNull();
    }
}

package io.ferry.agent.adapter.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.DirtyRateSample;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import io.ferry.agent.domain.sim.Bandwidth;
import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.Guest;
import io.ferry.agent.domain.sim.HostName;
import io.ferry.agent.domain.sim.HostSpec;
import io.ferry.agent.domain.sim.MigrationRequest;
import io.ferry.agent.domain.sim.MigrationSettings;
import io.ferry.agent.domain.sim.SimulationSettings;
import io.ferry.agent.domain.sim.WorkloadProfiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated driver's readings carry the guest's calc-dirty-rate: at start, then longer ones in the first pass. */
class SimulatedFabricDirtyRateTest {

    private static final double MIB = 1024 * 1024;
    private final AtomicLong nanos = new AtomicLong();
    private final ScheduledExecutorService neverTicks = Executors.newSingleThreadScheduledExecutor();
    private final SimulatedFabric fabric = new SimulatedFabric(SimulationSettings.defaults(), 1.0, Duration.ofDays(1),
            Duration.ofSeconds(1), neverTicks, nanos::get);
    private final List<JobReading> readings = new ArrayList<>();

    @AfterEach
    void stop() {
        fabric.close();
        neverTicks.shutdownNow();
    }

    @Test
    void readingsCarryTheMeasuredDirtyRateFromTheFirstSecondAndLongerMeasurementsWhileTheFirstPassRuns() {
        // given a 64 GiB memory-stress guest (1,500 MB/s over 4 GiB) on 10 Gbit/s: its first pass lasts ~50 s
        fabric.addHost(HostSpec.of("a", Bandwidth.gbitPerSecond(10), ByteSize.gib(128)));
        fabric.addHost(HostSpec.of("b", Bandwidth.gbitPerSecond(10), ByteSize.gib(128)));
        Guest guest = Guest.of("stress", ByteSize.gib(64), 0.1, WorkloadProfiles.named(WorkloadProfiles.MEMORY_STRESS));
        fabric.start("m-1", new MigrationRequest(guest, new HostName("a"), new HostName("b"), MigrationSettings.defaults()),
                MigrationSettings.DEFAULT_MAX_DOWNTIME, listener());

        // when 20 simulated seconds pass, ticking every 100 ms
        for (int tick = 1; tick <= 200; tick++) {
            nanos.set(tick * 100_000_000L);
            fabric.tick();
        }

        // then no reading before the first second carries a measurement; from then on every one does: 1, 2, 4, 8 s
        assertThat(readings).isNotEmpty();
        assertThat(readings.getFirst().measuredDirtyRate()).isNull();
        List<DirtyRateSample> samples = readings.stream().map(JobReading::measuredDirtyRate).filter(Objects::nonNull)
                .distinct().toList();
        assertThat(samples).extracting(DirtyRateSample::periodMillis).containsExactly(1000L, 2000L, 4000L, 8000L);
        assertThat(samples).extracting(DirtyRateSample::startedAtMillis).extracting(t -> t - fabric.epochMillis(Duration.ZERO))
                .containsExactly(0L, 1000L, 3000L, 7000L);
        // 1,500 MB/s while the window holds less than the 4 GiB hot set; then the hot set over the window
        long full = (long) (Math.floor(1.5e9 / MIB) * MIB);
        assertThat(samples).extracting(DirtyRateSample::bytesPerSecond)
                .containsExactly(full, full, (long) (1024 * MIB), (long) (512 * MIB));
        assertThat(readings.getLast().iteration()).isEqualTo(1);
        assertThat(readings.getLast().dirtyRateBytesPerSec()).isZero();

        // and they cross the simulated hypervisor daemon's wire unchanged
        JobReading last = readings.getLast();
        Map<String, String> wire = SimWire.reading("m-1", last);
        assertThat(SimWire.reading(wire)).isEqualTo(last);
    }

    private MigrationListener listener() {
        return new MigrationListener() {
            @Override
            public void progress(JobReading reading) {
                readings.add(reading);
            }

            @Override
            public void ended(JobEnd end) {
            }
        };
    }
}

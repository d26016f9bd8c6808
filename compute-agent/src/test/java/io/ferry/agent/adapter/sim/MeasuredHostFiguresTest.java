package io.ferry.agent.adapter.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ferry.agent.app.QuietAgentEvents;
import io.ferry.agent.app.HostAgent;
import io.ferry.agent.app.StepResult;
import io.ferry.agent.domain.Guest;
import io.ferry.agent.domain.HostCapacity;
import io.ferry.agent.domain.HostLedger;
import io.ferry.agent.domain.MigrationOrder;
import io.ferry.agent.domain.sim.Bandwidth;
import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.HostName;
import io.ferry.agent.domain.sim.HostSpec;
import io.ferry.agent.domain.sim.SimulationSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a simulated host measures for its inventory, on a hand-moved clock: its guests' dirty rates (calc-dirty-rate
 * over the model) and the bandwidth one migration stream from it reaches alone.
 */
class MeasuredHostFiguresTest {

    private static final double MIB = 1024 * 1024;
    private static final Bandwidth NIC = Bandwidth.gbitPerSecond(10);
    private static final Guest IDLE_1 = guest("idle-1", "idle");
    private static final Guest IDLE_2 = guest("idle-2", "idle");
    private static final Guest DB = guest("db-1", "database");

    private final AtomicLong nanos = new AtomicLong();
    private final ScheduledExecutorService neverTicks = Executors.newSingleThreadScheduledExecutor();
    private final SimulatedFabric fabric = new SimulatedFabric(SimulationSettings.defaults(), 1.0, Duration.ofDays(1),
            Duration.ofMillis(500), neverTicks, nanos::get);
    private final HostLedger ledger = new HostLedger(new HostCapacity(32, 65536, 512, 500, "Skylake", 10000));

    private static Guest guest(String name, String workload) {
        return new Guest("uuid-" + name, name, "p", "u", "m1.large", 8192, 4, 20, workload);
    }

    @AfterEach
    void stop() {
        fabric.close();
        neverTicks.shutdownNow();
    }

    private HostAgent sourceWithStreamCeiling(Bandwidth ceiling) {
        fabric.addHost(new HostSpec(HostName.of("compute-a"), NIC, ByteSize.gib(64), ceiling));
        fabric.addHost(HostSpec.of("compute-b", NIC, ByteSize.gib(64)));
        fabric.addHost(HostSpec.of("compute-c", NIC, ByteSize.gib(64)));
        ledger.boot(IDLE_1);
        ledger.boot(IDLE_2);
        ledger.boot(DB);
        return new HostAgent("compute-a", "cell1", ledger, new SimulatedDriver(fabric, Duration.ofMillis(30)), QuietAgentEvents.INSTANCE);
    }

    @Test
    void aLoneStreamBoundByItsCpuCeilingReportsTheCeilingNotTheNic() {
        // given a source whose one stream can push a third of its NIC
        Bandwidth third = Bandwidth.bytesPerSecond(NIC.bytesPerSecond() / 3);
        HostAgent source = sourceWithStreamCeiling(third);

        // when one guest streams alone for 5 s
        start(source, "m-1", IDLE_1, "compute-b");
        runFor(Duration.ofSeconds(5));

        // then
        assertThat((double) source.streamBandwidthBytesPerSec()).isCloseTo(third.bytesPerSecond(),
                within(third.bytesPerSecond() * 0.001));
    }

    @Test
    void aLoneStreamWithoutACeilingReportsTheNic() {
        // given
        HostAgent source = sourceWithStreamCeiling(Bandwidth.ZERO);

        // when
        start(source, "m-1", IDLE_1, "compute-b");
        runFor(Duration.ofSeconds(5));

        // then
        assertThat((double) source.streamBandwidthBytesPerSec()).isCloseTo(NIC.bytesPerSecond(),
                within(NIC.bytesPerSecond() * 0.001));
    }

    @Test
    void streamsSharingTheNicDoNotCount() {
        // given two streams from the source at once (each gets half the NIC)
        HostAgent source = sourceWithStreamCeiling(Bandwidth.ZERO);
        start(source, "m-1", IDLE_1, "compute-b");
        start(source, "m-2", IDLE_2, "compute-c");

        // when they stream together for 3 s
        runFor(Duration.ofSeconds(3));

        // then nothing is known of what one stream can do
        assertThat(source.streamBandwidthBytesPerSec()).isZero();
    }

    @Test
    void reportsEachGuestsMeasuredDirtyRate() {
        // given
        HostAgent source = sourceWithStreamCeiling(Bandwidth.ZERO);
        runFor(Duration.ofSeconds(10));

        // when
        Map<String, Long> rates = source.measuredDirtyRates();

        // then: calc-dirty-rate's whole MiB/s (an idle guest's 1 MB/s is below 1 MiB/s: 0, unknown)
        assertThat(rates).containsOnlyKeys(IDLE_1.uuid(), IDLE_2.uuid(), DB.uuid());
        assertThat(rates.get(DB.uuid())).isEqualTo((long) (Math.floor(600e6 / MIB) * MIB));
        assertThat(rates.get(IDLE_1.uuid())).isZero();
    }

    private static void start(HostAgent source, String migration, Guest guest, String destination) {
        StepResult started = source.startMigration(new MigrationOrder(migration, guest, "compute-a", destination,
                false, Duration.ofMillis(300), 0, false, false));
        assertThat(started.outcome()).isEqualTo(StepResult.Outcome.DONE);
    }

    /** Moves the clock in 100 ms steps, the fabric ticking at each. */
    private void runFor(Duration duration) {
        for (long i = 0; i < duration.toMillis() / 100; i++) {
            nanos.addAndGet(100_000_000L);
            fabric.tick();
        }
    }
}

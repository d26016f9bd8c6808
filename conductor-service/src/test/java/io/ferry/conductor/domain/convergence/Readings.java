package io.ferry.conductor.domain.convergence;

import java.time.Duration;

/** Builder of progress readings for tests: a 4 GiB guest half copied on a 10 GbE link. */
final class Readings {

    private Duration elapsed = Duration.ofSeconds(10);
    private long iteration = 2;
    private ByteSize memoryTotal = ByteSize.ofGiB(4);
    private ByteSize memoryRemaining = ByteSize.ofGiB(2);
    private Bandwidth dirtyRate = Bandwidth.ofMBps(100);
    private Bandwidth bandwidth = Workload.TEN_GBE;
    private Duration downtimeLimit = Duration.ofMillis(300);
    private int throttle;
    private MigrationPhase phase = MigrationPhase.PRE_COPY;
    private MeasuredDirtyRate measured;

    static Readings aReading() {
        return new Readings();
    }

    Readings at(Duration value) {
        elapsed = value;
        return this;
    }

    Readings inIteration(long value) {
        iteration = value;
        return this;
    }

    Readings withRemaining(ByteSize value) {
        memoryRemaining = value;
        return this;
    }

    Readings withDirtyRate(Bandwidth value) {
        dirtyRate = value;
        return this;
    }

    Readings withBandwidth(Bandwidth value) {
        bandwidth = value;
        return this;
    }

    Readings withThrottle(int value) {
        throttle = value;
        return this;
    }

    Readings inPhase(MigrationPhase value) {
        phase = value;
        return this;
    }

    /** A calc-dirty-rate result: {@code rate} over {@code period} from the start of the stream. */
    Readings withMeasuredDirtyRate(Bandwidth rate, Duration period) {
        measured = new MeasuredDirtyRate(rate, PreCopySimulator.START, period);
        return this;
    }

    Readings withMemoryTotal(ByteSize value) {
        memoryTotal = value;
        return this;
    }

    ProgressReading build() {
        return new ProgressReading(PreCopySimulator.START.plus(elapsed), elapsed, iteration, memoryTotal,
                memoryTotal.minus(memoryRemaining), memoryRemaining, ByteSize.ZERO, ByteSize.ZERO, ByteSize.ZERO,
                dirtyRate, bandwidth, downtimeLimit, Duration.ofMillis(100), throttle, phase, measured);
    }
}

package io.ferry.conductor.domain.convergence;

import java.util.function.DoubleUnaryOperator;

/**
 * A synthetic guest for the pre-copy model: memory size, link bandwidth and a dirty rate that may
 * vary with time (bytes per second as a function of seconds since the start).
 */
record Workload(String name, ByteSize memory, Bandwidth bandwidth, DoubleUnaryOperator dirtyRateAt) {

    static final Bandwidth TEN_GBE = Bandwidth.ofMBps(1_250);

    static Workload constant(String name, ByteSize memory, Bandwidth bandwidth, Bandwidth dirtyRate) {
        double d = dirtyRate.bytesPerSecond();
        return new Workload(name, memory, bandwidth, t -> d);
    }

    static Workload idle() {
        return constant("idle", ByteSize.ofGiB(2), TEN_GBE, Bandwidth.ofMBps(5));
    }

    static Workload web() {
        return constant("web", ByteSize.ofGiB(4), TEN_GBE, Bandwidth.ofMBps(100));
    }

    static Workload database() {
        return constant("database", ByteSize.ofGiB(8), TEN_GBE, Bandwidth.ofMBps(600));
    }

    /** Dirties memory twice as fast as the link can carry it. */
    static Workload memoryStress() {
        return constant("memory-stress", ByteSize.ofGiB(4), TEN_GBE, Bandwidth.ofMBps(2_500));
    }

    /** 3 s bursts at 1.6 GB/s every 10 s, 200 MB/s in between. */
    static Workload bursty() {
        return new Workload("bursty", ByteSize.ofGiB(4), TEN_GBE, t -> (t % 10.0) < 3.0 ? 1.6e9 : 2.0e8);
    }

    double ratioAt(double t) {
        return dirtyRateAt.applyAsDouble(t) / bandwidth.bytesPerSecond();
    }

    @Override
    public String toString() {
        return name;
    }
}

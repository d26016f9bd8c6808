package io.ferry.agent.domain.sim;

/** The mutable run-time state of one simulated host, owned by {@link SimulatedHypervisor}. */
final class HostState {

    final int index;
    final HostSpec spec;
    double nic;
    final double streamCeiling;
    long freeMemory;
    boolean up = true;
    boolean refusing;
    int linkDowns;
    int outStreams;
    int inStreams;

    HostState(int index, HostSpec spec) {
        this.index = index;
        this.spec = spec;
        this.nic = spec.nic().bytesPerSecond();
        this.streamCeiling = spec.streamCeiling().isZero() ? Double.POSITIVE_INFINITY
                : spec.streamCeiling().bytesPerSecond();
        this.freeMemory = spec.freeMemory().bytes();
    }

    HostName name() {
        return spec.name();
    }

    boolean linkUp() {
        return up && linkDowns == 0;
    }
}

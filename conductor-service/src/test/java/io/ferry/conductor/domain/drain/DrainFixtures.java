package io.ferry.conductor.domain.drain;

import io.ferry.conductor.domain.convergence.Bandwidth;
import io.ferry.conductor.domain.convergence.ByteSize;
import java.util.List;

/** Guests as the simulator's workload profiles describe them (dirty rates in decimal MB/s). */
final class DrainFixtures {

    static final Bandwidth TEN_GBIT = Bandwidth.ofMBps(1250);

    private DrainFixtures() {
    }

    static DrainCandidate idle(String name, long gib) {
        return DrainCandidate.of("uuid-" + name, name, ByteSize.ofGiB(gib), Bandwidth.ofMBps(1));
    }

    static DrainCandidate web(String name, long gib) {
        return DrainCandidate.of("uuid-" + name, name, ByteSize.ofGiB(gib), Bandwidth.ofMBps(40));
    }

    static DrainCandidate database(String name, long gib) {
        return DrainCandidate.of("uuid-" + name, name, ByteSize.ofGiB(gib), Bandwidth.ofMBps(600));
    }

    static DrainCandidate withPci(String name, long gib) {
        return new DrainCandidate("uuid-" + name, name, ByteSize.ofGiB(gib), Bandwidth.ofMBps(40),
                List.of("0000:3b:00.1 (SR-IOV VF)"), "active", false);
    }

    /** The benchmark's host: ten guests of mixed profiles, 48 GiB in all. */
    static List<DrainCandidate> mixedHost() {
        return List.of(database("db-1", 8), web("web-1", 4), web("web-2", 4), web("web-3", 8), idle("idle-1", 2),
                idle("idle-2", 2), idle("idle-3", 4), idle("idle-4", 4), web("web-4", 4), idle("idle-5", 8));
    }
}

package io.ferry.agent.domain.sim;

import java.time.Duration;
import java.util.List;

/** Test fixtures: a fabric of 10 Gbit/s hosts, guests, requests. */
final class Fixtures {

    static final Bandwidth TEN_GBIT = Bandwidth.gbitPerSecond(10);
    static final HostName SRC = HostName.of("src");
    static final HostName DST = HostName.of("dst");

    private Fixtures() {
    }

    /** Hosts "src" and "dst" (and any extra names) with 10 Gbit/s NICs and 256 GiB free; no setup time. */
    static SimulatedHypervisor aFabric(String... extraHosts) {
        return aFabric(SimulationSettings.defaults().withSetupTime(Duration.ZERO), extraHosts);
    }

    static SimulatedHypervisor aFabric(SimulationSettings settings, String... extraHosts) {
        SimulatedHypervisor hv = new SimulatedHypervisor(settings);
        hv.addHost(HostSpec.of("src", TEN_GBIT, ByteSize.gib(256)));
        hv.addHost(HostSpec.of("dst", TEN_GBIT, ByteSize.gib(256)));
        for (String name : extraHosts) {
            hv.addHost(HostSpec.of(name, TEN_GBIT, ByteSize.gib(256)));
        }
        return hv;
    }

    static Guest aGuest(ByteSize ram, Bandwidth dirtyRate) {
        return Guest.of("vm", ram, 0.0, Workload.uncapped(dirtyRate));
    }

    static Guest aGuest(ByteSize ram, Workload workload) {
        return Guest.of("vm", ram, 0.0, workload);
    }

    static MigrationRequest migrate(Guest guest) {
        return migrate(guest, MigrationSettings.defaults());
    }

    static MigrationRequest migrate(Guest guest, MigrationSettings settings) {
        return new MigrationRequest(guest, SRC, DST, settings);
    }

    static EndedJob onlyEnded(SimulatedHypervisor hv) {
        List<EndedJob> ended = hv.drainEnded();
        if (ended.size() != 1) {
            throw new AssertionError("expected one ended job, got " + ended);
        }
        return ended.getFirst();
    }

    static Outcome.Completed completed(EndedJob ended) {
        if (!(ended.outcome() instanceof Outcome.Completed c)) {
            throw new AssertionError("expected completion, got " + ended.outcome());
        }
        return c;
    }

    static List<Long> roundBytes(SimulatedHypervisor hv, JobId job) {
        return hv.trace().stream()
                .filter(e -> e.job().equals(job) && e.kind() == TraceEvent.Kind.SYNC)
                .map(TraceEvent::value).toList();
    }

    static double seconds(Duration d) {
        return Seconds.of(d);
    }
}

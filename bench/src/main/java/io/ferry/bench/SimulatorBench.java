package io.ferry.bench;

import io.ferry.agent.domain.sim.Bandwidth;
import io.ferry.agent.domain.sim.ByteSize;
import io.ferry.agent.domain.sim.Guest;
import io.ferry.agent.domain.sim.HostSpec;
import io.ferry.agent.domain.sim.HostName;
import io.ferry.agent.domain.sim.MigrationRequest;
import io.ferry.agent.domain.sim.MigrationSettings;
import io.ferry.agent.domain.sim.SimulatedHypervisor;
import io.ferry.agent.domain.sim.SimulationSettings;
import io.ferry.agent.domain.sim.WorkloadProfiles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

/**
 * Issue 4's speed figures, measured on this thread's CPU time: one 16 GiB migration simulated in deterministic mode
 * (target: under 10 ms of CPU), and 10,000 concurrent migrations advanced over simulated time (target: at least
 * 100 simulated seconds per CPU second, so they keep up with real time at 100x on one core).
 */
public final class SimulatorBench {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private SimulatorBench() {
    }

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        int concurrent = 10_000;
        Duration simulated = Duration.ofSeconds(quick ? 30 : 120);

        // warm up the JIT on a few small runs, then measure
        for (int i = 0; i < 20; i++) {
            single(ByteSize.gib(16));
        }
        double[] singles = new double[quick ? 20 : 100];
        for (int i = 0; i < singles.length; i++) {
            singles[i] = single(ByteSize.gib(16));
        }
        java.util.Arrays.sort(singles);
        double singleP50 = singles[singles.length / 2];
        double singleMax = singles[singles.length - 1];

        SimulatedHypervisor fleet = new SimulatedHypervisor(SimulationSettings.defaults().withTrace(false));
        int hosts = 1_000;
        for (int h = 0; h < hosts; h++) {
            fleet.addHost(HostSpec.of("h" + h, Bandwidth.gbitPerSecond(25), ByteSize.gib(1024)));
        }
        String[] profiles = {WorkloadProfiles.IDLE, WorkloadProfiles.WEB, WorkloadProfiles.DATABASE,
                WorkloadProfiles.MEMORY_STRESS, WorkloadProfiles.BURSTY};
        for (int i = 0; i < concurrent; i++) {
            startOne(fleet, i, hosts, profiles);
        }
        // advance second by second; every migration that ends is replaced at once, so 10,000 always run
        long before = CPU.getCurrentThreadCpuTime();
        int started = concurrent;
        int fewest = concurrent;
        for (long second = 1; second <= simulated.toSeconds(); second++) {
            fleet.advanceTo(Duration.ofSeconds(second));
            fewest = Math.min(fewest, fleet.activeJobs());
            for (int ended = fleet.drainEnded().size(); ended > 0; ended--) {
                startOne(fleet, started++, hosts, profiles);
            }
        }
        double fleetCpuSeconds = (CPU.getCurrentThreadCpuTime() - before) / 1e9;
        double speedup = simulated.toSeconds() / fleetCpuSeconds;
        int stillRunning = fewest;

        System.out.println("simulator speed (this thread's CPU time)");
        System.out.printf("  one 16 GiB 'database' migration, deterministic:  p50 %.2f ms CPU, max %.2f ms (%d runs)%n",
                singleP50, singleMax, singles.length);
        System.out.printf("  %,d concurrent migrations on %,d hosts:          %d s simulated in %.2f s CPU = %.0fx real time"
                + " (ended ones replaced each second; never fewer than %,d running)%n", concurrent, hosts, simulated.toSeconds(), fleetCpuSeconds,
                speedup, stillRunning);
        System.out.printf("bench simulator: single_16gib_cpu_ms_p50=%.2f single_16gib_cpu_ms_max=%.2f concurrent=%d min_running=%d "
                + "simulated_s=%d cpu_s=%.2f realtime_factor=%.0f target_factor=100 meets_target=%s%n",
                singleP50, singleMax, concurrent, fewest, simulated.toSeconds(), fleetCpuSeconds, speedup, speedup >= 100);
    }

    private static void startOne(SimulatedHypervisor fleet, int i, int hosts, String[] profiles) {
        Guest guest = Guest.of("vm" + i, ByteSize.gib(4 + (i % 4) * 4), 0.1,
                WorkloadProfiles.named(profiles[i % profiles.length]));
        fleet.start(new MigrationRequest(guest, new HostName("h" + (i % hosts)),
                new HostName("h" + ((i + 1) % hosts)), MigrationSettings.defaults().withAutoConverge(true)));
    }

    /** CPU milliseconds to simulate one migration of {@code ram} from start to end. */
    private static double single(ByteSize ram) {
        SimulatedHypervisor hv = new SimulatedHypervisor(SimulationSettings.defaults().withTrace(false));
        hv.addHost(HostSpec.of("src", Bandwidth.gbitPerSecond(10), ByteSize.gib(64)));
        hv.addHost(HostSpec.of("dst", Bandwidth.gbitPerSecond(10), ByteSize.gib(64)));
        long before = CPU.getCurrentThreadCpuTime();
        hv.start(new MigrationRequest(Guest.of("vm", ram, 0.1, WorkloadProfiles.named(WorkloadProfiles.DATABASE)),
                new HostName("src"), new HostName("dst"), MigrationSettings.defaults()));
        if (!hv.runUntilIdle(Duration.ofHours(1))) {
            throw new IllegalStateException("the 16 GiB database migration did not finish within an hour simulated");
        }
        return (CPU.getCurrentThreadCpuTime() - before) / 1e6;
    }
}

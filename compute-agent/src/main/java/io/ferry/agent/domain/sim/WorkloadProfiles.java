package io.ferry.agent.domain.sim;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named workload profiles simulated VMs are assigned in configuration. Rates are decimal
 * (1 MB/s = 10^6 bytes/s) and sized against a 10 Gbit/s migration link (B = 1,250 MB/s):
 *
 * <table>
 * <caption>Workload profiles (behaviour: an 8 GiB guest, 10 Gbit/s, 300 ms limit, 30 ms switchover, 200 ms setup)</caption>
 * <tr><th>name</th><th>dirty rate D</th><th>working set W</th><th>vCPU demand</th><th>pure pre-copy</th></tr>
 * <tr><td>idle</td><td>1 MB/s</td><td>64 MiB</td><td>0.05</td><td>1 live round, 7.1 s, ~36 ms down</td></tr>
 * <tr><td>web</td><td>40 MB/s</td><td>512 MiB</td><td>1.0</td><td>1 live round, 7.3 s, ~250 ms down</td></tr>
 * <tr><td>database</td><td>600 MB/s (about B/2)</td><td>6 GiB</td><td>2.0</td><td>5 live rounds, 13.3 s, ~205 ms down</td></tr>
 * <tr><td>memory-stress</td><td>1,500 MB/s (above B)</td><td>4 GiB</td><td>4.0</td><td>never converges</td></tr>
 * <tr><td>bursty</td><td>900 MB/s for 2 s, then 20 MB/s for 3 s</td><td>2 GiB</td><td>1.5</td><td>2 live rounds, 8.8 s, ~57 ms down</td></tr>
 * </table>
 */
public final class WorkloadProfiles {

    public static final String IDLE = "idle";
    public static final String WEB = "web";
    public static final String DATABASE = "database";
    public static final String MEMORY_STRESS = "memory-stress";
    public static final String BURSTY = "bursty";

    private static final Map<String, Workload> PROFILES = Map.of(
            IDLE, Workload.constant(Bandwidth.mbPerSecond(1), ByteSize.mib(64), 0.05),
            WEB, Workload.constant(Bandwidth.mbPerSecond(40), ByteSize.mib(512), 1.0),
            DATABASE, Workload.constant(Bandwidth.mbPerSecond(600), ByteSize.gib(6), 2.0),
            MEMORY_STRESS, Workload.constant(Bandwidth.mbPerSecond(1500), ByteSize.gib(4), 4.0),
            BURSTY, new Workload(new DirtyPattern.Alternating(
                    Bandwidth.mbPerSecond(900), Duration.ofSeconds(2),
                    Bandwidth.mbPerSecond(20), Duration.ofSeconds(3)), ByteSize.gib(2), 1.5));

    private WorkloadProfiles() {
    }

    /** The profile called {@code name}, if there is one. */
    public static Optional<Workload> byName(String name) {
        return Optional.ofNullable(PROFILES.get(name));
    }

    /** The profile called {@code name}; an unknown name is a configuration error. */
    public static Workload named(String name) {
        return byName(name).orElseThrow(
                () -> new IllegalArgumentException("no workload profile '" + name + "'; known: " + names()));
    }

    public static List<String> names() {
        return List.of(IDLE, WEB, DATABASE, MEMORY_STRESS, BURSTY);
    }
}

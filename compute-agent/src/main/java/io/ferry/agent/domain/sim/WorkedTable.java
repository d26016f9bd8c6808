package io.ferry.agent.domain.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Prints the worked pre-copy table of the compute-agent README: an 8 GiB guest (no zero pages),
 * 10 Gbit/s, a 300 ms downtime limit, 30 ms switchover cost, no setup time, no working-set cap; the
 * closed form ({@link PreCopyClosedForm}) next to what the simulator measures. The command to run it is in the
 * README.
 */
public final class WorkedTable {

    public static final ByteSize RAM = ByteSize.gib(8);
    public static final Bandwidth LINK = Bandwidth.gbitPerSecond(10);
    public static final Duration LIMIT = Duration.ofMillis(300);
    public static final Duration SWITCHOVER = Duration.ofMillis(30);
    public static final List<Bandwidth> DIRTY_RATES = List.of(
            Bandwidth.mbPerSecond(100), Bandwidth.mbPerSecond(600), Bandwidth.gbPerSecond(1), Bandwidth.gbPerSecond(1.3));
    /** How long a row that never converges is simulated before giving up. */
    public static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);

    /** One row: the prediction (empty: never converges) and the simulated result (empty: did not end). */
    public record Row(Bandwidth dirtyRate, boolean autoConverge, Optional<PreCopyClosedForm> closedForm,
                      Optional<Outcome.Completed> simulated) {
    }

    private WorkedTable() {
    }

    public static void main(String[] args) {
        System.out.print(render(rows()));
    }

    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Bandwidth d : DIRTY_RATES) {
            rows.add(row(d, false));
        }
        rows.add(row(Bandwidth.gbPerSecond(1.3), true));
        return rows;
    }

    static Row row(Bandwidth dirtyRate, boolean autoConverge) {
        Guest guest = Guest.of("worked", RAM, 0.0, Workload.uncapped(dirtyRate));
        Optional<PreCopyClosedForm> closed = autoConverge ? Optional.empty()
                : PreCopyClosedForm.predict(guest.firstRoundBytes(), LINK, dirtyRate, LIMIT, SWITCHOVER);
        return new Row(dirtyRate, autoConverge, closed, simulate(guest, autoConverge));
    }

    static Optional<Outcome.Completed> simulate(Guest guest, boolean autoConverge) {
        SimulatedHypervisor hv = new SimulatedHypervisor(
                SimulationSettings.defaults().withSetupTime(Duration.ZERO).withTrace(false));
        hv.addHost(HostSpec.of("src", LINK, ByteSize.gib(64)));
        hv.addHost(HostSpec.of("dst", LINK, ByteSize.gib(64)));
        MigrationSettings settings = MigrationSettings.defaults().withMaxDowntime(LIMIT)
                .withSwitchoverCost(SWITCHOVER).withAutoConverge(autoConverge);
        hv.start(new MigrationRequest(guest, HostName.of("src"), HostName.of("dst"), settings));
        hv.runUntilIdle(GIVE_UP_AFTER);
        return hv.drainEnded().stream().map(EndedJob::outcome)
                .filter(Outcome.Completed.class::isInstance).map(Outcome.Completed.class::cast).findFirst();
    }

    public static String render(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("8 GiB guest, z = 0, B = 10 Gbit/s (1,250 MB/s), L = 300 ms, switchover 30 ms, no W cap\n\n");
        out.append("| D (MB/s) | D/B | live rounds k | total time (s) | downtime (ms) | GiB sent |"
                + " simulated: rounds | total (s) | downtime (ms) | GiB sent |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            double d = row.dirtyRate().bytesPerSecond();
            String label = String.format(Locale.ROOT, "%,.0f%s", d / 1e6, row.autoConverge() ? " + auto-converge" : "");
            out.append(String.format(Locale.ROOT, "| %s | %.2f | ", label, d / LINK.bytesPerSecond()));
            out.append(row.closedForm().map(c -> String.format(Locale.ROOT, "%d | %.3f | %.1f | %.3f | ",
                    c.liveRounds(), Seconds.of(c.totalTime()), Seconds.of(c.downtime()) * 1000,
                    c.bytesSent() / (1L << 30)))
                    .orElse(row.autoConverge() ? "n/a | n/a | n/a | n/a | " : "never | never | - | - | "));
            out.append(row.simulated().map(s -> String.format(Locale.ROOT, "%d | %.3f | %.1f | %.3f |",
                    s.iterations() - 1, Seconds.of(s.totalTime()), Seconds.of(s.downtime()) * 1000,
                    s.dataSent().toGiB()))
                    .orElse(String.format(Locale.ROOT, "did not converge in %d s | - | - | - |",
                            GIVE_UP_AFTER.toSeconds())));
            out.append('\n');
        }
        return out.toString();
    }
}

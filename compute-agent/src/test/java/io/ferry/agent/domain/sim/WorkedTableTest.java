package io.ferry.agent.domain.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkedTableTest {

    @Test
    void simulatedRowsMatchTheClosedFormWithinOnePercent() {
        // when
        List<WorkedTable.Row> rows = WorkedTable.rows();

        // then
        for (WorkedTable.Row row : rows.subList(0, 3)) {
            PreCopyClosedForm closed = row.closedForm().orElseThrow();
            Outcome.Completed sim = row.simulated().orElseThrow();
            assertThat(sim.iterations() - 1).as("rounds at %s", row.dirtyRate()).isEqualTo(closed.liveRounds());
            assertThat(Seconds.of(sim.totalTime())).isCloseTo(Seconds.of(closed.totalTime()), withinPercentage(1));
            assertThat(Seconds.of(sim.downtime())).isCloseTo(Seconds.of(closed.downtime()), withinPercentage(1));
            assertThat((double) sim.dataSent().bytes()).isCloseTo(closed.bytesSent(), withinPercentage(1));
        }
        WorkedTable.Row hopeless = rows.get(3);
        assertThat(hopeless.closedForm()).isEmpty();
        assertThat(hopeless.simulated()).isEmpty();
    }

    @Test
    void tableFiguresAreThoseInTheReadme() {
        // when
        List<WorkedTable.Row> rows = WorkedTable.rows();

        // then: rounds, total time (s), downtime (ms), GiB sent, as printed in compute-agent/README.md
        assertThat(rows.subList(0, 3)).extracting(r -> r.closedForm().orElseThrow().liveRounds()).containsExactly(2, 5, 15);
        assertFigures(rows.get(0).closedForm().orElseThrow(), 7.496, 74.0, 8.691);
        assertFigures(rows.get(1).closedForm().orElseThrow(), 13.084, 205.1, 15.196);
        assertFigures(rows.get(2).closedForm().orElseThrow(), 33.423, 271.8, 38.874);
        assertThat(WorkedTable.render(rows)).contains("| 1,300 | 1.04 | never |");
    }

    private static void assertFigures(PreCopyClosedForm row, double totalSeconds, double downtimeMs, double gib) {
        assertThat(Seconds.of(row.totalTime())).isCloseTo(totalSeconds, withinPercentage(0.01));
        assertThat(Seconds.of(row.downtime()) * 1000).isCloseTo(downtimeMs, withinPercentage(0.05));
        assertThat(row.bytesSent() / (1L << 30)).isCloseTo(gib, withinPercentage(0.01));
    }
}

package io.ferry.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault suite's summary: one row per case (what was done, how many migrations, how they ended, how many
 * invariant checks passed). Each fault test class prints the table of every case run so far in this JVM at its end
 * and rewrites {@code target/fault-matrix.txt}, so after the suite the file holds the whole matrix.
 */
final class FaultReport {

    record Row(String suite, String fault, int migrations, String outcomes, int checksPassed, int checks) {
    }

    private static final List<Row> ROWS = new ArrayList<>();

    private FaultReport() {
    }

    static synchronized void add(Row row) {
        ROWS.add(row);
    }

    static synchronized String table() {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"suite", "case", "migrations", "outcomes", "invariant checks passed"});
        for (Row row : ROWS) {
            cells.add(new String[] {row.suite(), row.fault(), Integer.toString(row.migrations()), row.outcomes(),
                    row.checksPassed() + "/" + row.checks()});
        }
        int[] widths = new int[5];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            String[] line = cells.get(r);
            StringBuilder text = new StringBuilder("|");
            for (int i = 0; i < line.length; i++) {
                text.append(' ').append(String.format("%-" + widths[i] + "s", line[i])).append(" |");
            }
            out.append(text).append('\n');
            if (r == 0) {
                StringBuilder rule = new StringBuilder("|");
                for (int width : widths) {
                    rule.append("-".repeat(width + 2)).append('|');
                }
                out.append(rule).append('\n');
            }
        }
        long passed = ROWS.stream().filter(r -> r.checksPassed() == r.checks()).count();
        out.append("fault matrix: ").append(ROWS.size()).append(" cases, ").append(passed)
                .append(" with every invariant check passed\n");
        return out.toString();
    }

    /** Prints the table to stdout and writes it to {@code target/fault-matrix.txt}. */
    static synchronized void print() {
        String table = table();
        System.out.println();
        System.out.print(table);
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Files.writeString(target.resolve("fault-matrix.txt"), table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

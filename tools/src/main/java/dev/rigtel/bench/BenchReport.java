package dev.rigtel.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of a bench run as a Markdown table: part, figure, value, target and whether it is met. */
final class BenchReport {

    record Row(String part, String figure, String value, String target, String verdict) {}

    private final List<Row> rows = new ArrayList<>();

    synchronized void add(String part, String figure, String value) {
        rows.add(new Row(part, figure, value, "", ""));
    }

    synchronized void add(String part, String figure, String value, String target, boolean met) {
        rows.add(new Row(part, figure, value, target, met ? "met" : "MISSED"));
    }

    synchronized void print(PrintWriter out) {
        String[] head = {"part", "figure", "value", "target", ""};
        int[] width = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            // At least the rule's three dashes: a column nobody filled (no targets) is still a column.
            width[i] = Math.max(3, head[i].length());
        }
        for (Row r : rows) {
            String[] cells = cells(r);
            for (int i = 0; i < cells.length; i++) {
                width[i] = Math.max(width[i], cells[i].length());
            }
        }
        line(out, head, width);
        String[] rule = new String[head.length];
        for (int i = 0; i < head.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        line(out, rule, width);
        for (Row r : rows) {
            line(out, cells(r), width);
        }
        out.flush();
    }

    private static String[] cells(Row r) {
        return new String[] {r.part(), r.figure(), r.value(), r.target(), r.verdict()};
    }

    private static void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder s = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            s.append(' ')
                    .append(cells[i])
                    .append(" ".repeat(width[i] - cells[i].length()))
                    .append(" |");
        }
        out.println(s);
    }

    /** {@code 123,456} */
    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** {@code 0.87} */
    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** {@code 12.3 %} */
    static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f %%", value);
    }

    /** {@code 87 MB} (10^6 bytes) */
    static String megabytes(double bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    /** {@code 5.2 KB} (10^3 bytes) */
    static String kilobytes(double bytes) {
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
    }
}

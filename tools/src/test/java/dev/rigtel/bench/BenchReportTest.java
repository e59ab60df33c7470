package dev.rigtel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static List<String> print(BenchReport report) {
        StringWriter out = new StringWriter();
        report.print(new PrintWriter(out));
        return out.toString().lines().toList();
    }

    @Test
    void printsATableWhoseRowsHaveNoTargets() {
        BenchReport report = new BenchReport();
        report.add("storage", "raw 1 kHz samples on disk", "12.3 MB per rig-hour");

        List<String> lines = print(report);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).startsWith("| storage | raw 1 kHz samples on disk | 12.3 MB per rig-hour |");
        assertThat(lines).allSatisfy(l -> assertThat(l).hasSize(lines.get(0).length()));
    }

    @Test
    void marksEachTargetMetOrMissed() {
        BenchReport report = new BenchReport();
        report.add("history", "list day 1", "80 ms", "< 200 ms", true);
        report.add("history", "exposure", "2500 ms", "< 2 s", false);

        List<String> lines = print(report);

        assertThat(lines.get(2)).endsWith("| met    |");
        assertThat(lines.get(3)).endsWith("| MISSED |");
    }
}

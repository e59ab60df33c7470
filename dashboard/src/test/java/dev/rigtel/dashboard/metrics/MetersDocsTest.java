package dev.rigtel.dashboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meter table in dashboard/README.md is {@link DashboardMeters#CATALOG}, row for row. */
class MetersDocsTest {

    @Test
    void theReadmeListsEveryMeterAsDeclared() throws Exception {
        List<String> documented = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("| `rigtel.dashboard.")) {
                documented.add(line);
            }
        }
        List<String> declared = DashboardMeters.CATALOG.stream()
                .map(m -> ("| `" + m.name() + "` | " + m.type() + " | " + m.unit() + " | "
                                + String.join(
                                        ", ",
                                        m.tags().stream()
                                                .map(t -> "`" + t + "`")
                                                .toList()) + " | "
                                + m.meaning() + " |")
                        .replace("|  |", "| |"))
                .toList();

        assertThat(documented).containsExactlyElementsOf(declared);
    }
}

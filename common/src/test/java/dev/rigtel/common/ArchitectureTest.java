package dev.rigtel.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * common sits below the collector and the dashboard: it knows neither, and no InfluxDB (which only
 * the collector's store speaks). Only its http package may use Netty.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/dev/rigtel/common");

    private static List<String> offendingImports(Path dir, String... forbiddenPrefixes) throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    for (String prefix : forbiddenPrefixes) {
                        if (line.startsWith("import " + prefix) || line.startsWith("import static " + prefix)) {
                            offenders.add(file.getFileName() + ": " + line);
                        }
                    }
                }
            }
        }
        return offenders;
    }

    @Test
    void knowsNeitherTheCollectorNorTheDashboardNorInfluxdb() throws IOException {
        assertThat(Files.isDirectory(MAIN)).isTrue();
        assertThat(offendingImports(MAIN, "dev.rigtel.collector", "dev.rigtel.dashboard", "org.influxdb"))
                .isEmpty();
    }

    @Test
    void onlyTheHttpPackageUsesNetty() throws IOException {
        assertThat(offendingImports(MAIN.resolve("time"), "io.netty")).isEmpty();
        assertThat(offendingImports(MAIN.resolve("log"), "io.netty")).isEmpty();
    }
}

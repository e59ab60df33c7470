package dev.rigtel.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The plain-Java packages know nothing of Netty: only {@code http} and the composition root do. */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/dev/rigtel/dashboard");

    @Test
    void plainJavaPackagesNeverImportNetty() throws IOException {
        for (String pkg : List.of("live", "access", "api", "metrics")) {
            try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    assertThat(Files.readString(file)).as(file.toString()).doesNotContain("import io.netty");
                }
            }
        }
    }

    @Test
    void theLiveFeedNeverImportsTheHttpSide() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN.resolve("live"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain("dev.rigtel.dashboard.http");
            }
        }
    }
}

package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class E2eLogsTest {

    @TempDir
    Path dir;

    @Test
    void aHealthWaitThatTimesOutQuotesTheLastAnswerAndTheTailOfEveryLog() throws Exception {
        Path collectorLog = dir.resolve("collector.log");
        Files.writeString(
                collectorLog,
                IntStream.rangeClosed(1, 100).mapToObj(n -> "line " + n).collect(Collectors.joining("\n")));
        Path missing = dir.resolve("mosquitto.log");
        int nobody = FreePorts.freePort();

        assertThatThrownBy(() -> E2eLogs.awaitHealthy(
                        "the collector", nobody, null, Duration.ofMillis(500), List.of(collectorLog, missing)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the collector not healthy within 0 s")
                .hasMessageContaining("/health does not answer")
                .hasMessageContaining("last 60 lines of " + collectorLog)
                .hasMessageContaining("line 41\n")
                .hasMessageContaining("line 100")
                .hasMessageNotContaining("line 40\n")
                .hasMessageContaining(missing + ": missing");
    }

    @Test
    void aProcessThatExitedIsSaidToHaveExited() throws Exception {
        Process exited = new ProcessBuilder("sh", "-c", "exit 3").start();
        assertThat(exited.waitFor()).isEqualTo(3);

        assertThat(E2eLogs.health(FreePorts.freePort(), exited))
                .startsWith("process exited with 3; /health does not answer");
    }

    @Test
    void theLogFolderIsUnderTargetAndStartsEmpty() throws Exception {
        Path folder = E2eLogs.folder(E2eLogsTest.class, "theLogFolderIsUnderTargetAndStartsEmpty");
        Files.writeString(folder.resolve("old.log"), "from a previous run");

        Path again = E2eLogs.folder(E2eLogsTest.class, "theLogFolderIsUnderTargetAndStartsEmpty");

        assertThat(again).isEqualTo(folder);
        assertThat(again.toString()).contains("/target/e2e-logs/E2eLogsTest/");
        try (var files = Files.list(again)) {
            assertThat(files).isEmpty();
        }
    }
}

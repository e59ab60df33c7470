package dev.rigtel.collector.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Where the e2e tests' processes (the collector's jar, Mosquitto) write their logs, and the waits
 * that quote them: a wait that times out fails with the collector's last {@code /health} answer
 * and the tail of every log it was given, so a CI failure can be read without the machine.
 *
 * <p>The logs live under {@code target/e2e-logs/<test class>/<test method>/}, outside the test's
 * temporary folder, so they outlive the test and CI keeps them with the other artifacts.
 */
final class E2eLogs {

    /** Lines of each log quoted in a failure message. */
    static final int TAIL_LINES = 60;

    private E2eLogs() {}

    /** A fresh (emptied) folder for one test's logs, under {@code target/e2e-logs}. */
    static Path folder(Class<?> testClass, String testMethod) {
        Path folder = Path.of("target", "e2e-logs", testClass.getSimpleName(), testMethod)
                .toAbsolutePath();
        try {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> old = Files.list(folder)) {
                    for (Path f : old.collect(Collectors.toList())) {
                        Files.deleteIfExists(f);
                    }
                }
            }
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + folder, e);
        }
    }

    /** The last {@code lines} lines of a log, with its path; says so if it is missing or empty. */
    static String tail(Path log, int lines) {
        if (!Files.exists(log)) {
            return "--- " + log + ": missing";
        }
        try (Stream<String> all = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            List<String> kept = new ArrayList<>();
            all.forEach(line -> {
                kept.add(line);
                if (kept.size() > lines) {
                    kept.remove(0);
                }
            });
            return kept.isEmpty()
                    ? "--- " + log + ": empty"
                    : "--- last " + kept.size() + " lines of " + log + ":\n" + String.join("\n", kept);
        } catch (IOException | UncheckedIOException e) {
            return "--- " + log + ": unreadable (" + e + ")";
        }
    }

    /** The tails of several logs, one after the other. */
    static String tails(List<Path> logs) {
        return logs.stream().map(log -> tail(log, TAIL_LINES)).collect(Collectors.joining("\n"));
    }

    /**
     * Waits until the collector on {@code httpPort} answers {@code /health} with 200. On timeout it
     * fails with the last answer (which part is DEGRADED), whether the process is alive, and the
     * tails of {@code logs}.
     */
    static void awaitHealthy(String what, int httpPort, Process collector, Duration atMost, List<Path> logs) {
        try {
            await(what + " healthy on port " + httpPort)
                    .atMost(atMost)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Mosquitto.healthStatus(httpPort) == 200);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    what + " not healthy within " + atMost.toSeconds() + " s; " + health(httpPort, collector) + "\n"
                            + tails(logs),
                    e);
        }
    }

    /** The collector's last {@code /health} answer and whether its process is alive. */
    static String health(int httpPort, Process collector) {
        HttpResponse<String> last = Mosquitto.get(httpPort, "/health");
        String process = collector == null
                ? ""
                : collector.isAlive() ? "process alive; " : "process exited with " + collector.exitValue() + "; ";
        return process
                + (last == null
                        ? "/health does not answer"
                        : "/health answers " + last.statusCode() + ": "
                                + last.body().strip());
    }
}

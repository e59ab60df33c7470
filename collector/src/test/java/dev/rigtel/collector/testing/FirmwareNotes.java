package dev.rigtel.collector.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The example payloads of firmware-notes/, which are the contract the tests hold the code to. */
public final class FirmwareNotes {

    private FirmwareNotes() {}

    public static Path dir() {
        String configured = System.getProperty("rigtel.firmwareNotes");
        // Surefire runs in collector/; exec:java (the JMH benchmarks) in the repository root.
        Path dir = configured != null
                ? Path.of(configured)
                : Files.isDirectory(Path.of("../firmware-notes"))
                        ? Path.of("../firmware-notes")
                        : Path.of("firmware-notes");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("firmware-notes not found at " + dir.toAbsolutePath());
        }
        return dir;
    }

    public static byte[] example(String name) {
        try {
            return Files.readAllBytes(dir().resolve("examples").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File names under examples/{@code sub} ending in {@code suffix}, sorted. */
    public static List<String> examples(String sub, String suffix) {
        try (Stream<Path> files = Files.list(dir().resolve("examples").resolve(sub))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

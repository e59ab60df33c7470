package dev.rigtel.collector.source;

import dev.rigtel.collector.ingest.RigId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The rigs cluster mode subscribes to, each in its partition's session: those given with {@code
 * --source-rigs}, and those discovered at run time (their first status or online message seen by a
 * member's control session). Thread-safe; it only grows.
 */
public final class Roster {

    private final ConcurrentSkipListSet<String> rigs = new ConcurrentSkipListSet<>();

    public Roster(Set<String> initial) {
        rigs.addAll(initial);
    }

    /**
     * Parses {@code --source-rigs}: rig ids separated by commas, or {@code @FILE} with one per line
     * (blank lines and lines starting with {@code #} skipped). An empty spec is an empty roster.
     *
     * @throws IllegalArgumentException naming the first bad rig id and where it is
     */
    public static Set<String> parse(String spec) {
        Set<String> out = new TreeSet<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        String trimmed = spec.trim();
        if (trimmed.startsWith("@")) {
            Path file = Path.of(trimmed.substring(1));
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--source-rigs: cannot read " + file + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                add(out, line, file + " line " + (i + 1));
            }
            return out;
        }
        List<String> parts = new ArrayList<>(List.of(trimmed.split(",", -1)));
        for (int i = 0; i < parts.size(); i++) {
            add(out, parts.get(i).strip(), "item " + (i + 1));
        }
        return out;
    }

    private static void add(Set<String> out, String rig, String where) {
        String problem = RigId.problem(rig);
        if (problem != null) {
            throw new IllegalArgumentException("--source-rigs: " + where + ": '" + rig + "' " + problem);
        }
        out.add(rig);
    }

    /** Adds a rig; true if it was not known. */
    boolean add(String rig) {
        return rigs.add(rig);
    }

    boolean contains(String rig) {
        return rigs.contains(rig);
    }

    int size() {
        return rigs.size();
    }

    /** The rigs of {@code partition} among {@code partitions}, sorted. */
    List<String> of(int partition, int partitions) {
        List<String> out = new ArrayList<>();
        for (String rig : rigs) {
            if (Partitions.of(rig, partitions) == partition) {
                out.add(rig);
            }
        }
        return out;
    }
}

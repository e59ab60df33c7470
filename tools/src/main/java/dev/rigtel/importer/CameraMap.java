package dev.rigtel.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which rig each camera rode on: a text file of lines {@code serial,rig} (the camera's serial as the
 * file has it, {@code CASN}, e.g. {@code C3441324567890}; the rig's id). Blank lines and lines
 * starting with {@code #} are skipped; spaces around either value are trimmed; a header line {@code
 * serial,rig} is allowed.
 */
public record CameraMap(Map<String, String> rigBySerial) {

    public CameraMap {
        rigBySerial = Map.copyOf(rigBySerial);
    }

    public static CameraMap load(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** @throws IllegalArgumentException naming the line that is not {@code serial,rig} */
    static CameraMap parse(List<String> lines, String name) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.equalsIgnoreCase("serial,rig")) {
                continue;
            }
            String[] parts = line.split(",", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException(
                        name + " line " + (i + 1) + ": expected 'serial,rig', got '" + line + "'");
            }
            String serial = parts[0].strip();
            String previous = map.put(serial, parts[1].strip());
            if (previous != null && !previous.equals(parts[1].strip())) {
                throw new IllegalArgumentException(
                        name + " line " + (i + 1) + ": camera " + serial + " is mapped to " + previous + " already");
            }
        }
        return new CameraMap(map);
    }

    public Optional<String> rig(String serial) {
        return Optional.ofNullable(rigBySerial.get(serial));
    }
}

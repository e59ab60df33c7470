package dev.rigtel.gopro.markers;

import dev.rigtel.collector.motion.export.ClipMarkerExports;
import dev.rigtel.collector.motion.export.CutCandidateExports.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a clip's markers ({@link ClipMarkers}) as files, one per format, named after the clip:
 * {@code GX010123.edl} (Resolve marker EDL), {@code GX010123.cmx.edl} (CMX3600 with Avid {@code LOC}
 * comments), {@code GX010123.fcpxml}, {@code GX010123.avid.txt} (Avid locators) and {@code
 * GX010123.csv}. The content is {@link ClipMarkerExports}'.
 */
public final class ClipExports {

    /** The format names of {@code --format}, in the order they are written. */
    private static final Map<String, Format> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("edl", Format.RESOLVE_EDL);
        NAMES.put("cmx", Format.EDL);
        NAMES.put("fcpxml", Format.FCPXML);
        NAMES.put("avid", Format.AVID_LOCATORS);
        NAMES.put("csv", Format.CSV);
    }

    /** The formats written when none are named: Resolve marker EDL, FCPXML, Avid locators, CSV. */
    public static final Set<Format> DEFAULT_FORMATS =
            EnumSet.of(Format.RESOLVE_EDL, Format.FCPXML, Format.AVID_LOCATORS, Format.CSV);

    private ClipExports() {}

    /** The names {@link #formats} accepts: {@code edl, cmx, fcpxml, avid, csv}. */
    public static Collection<String> formatNames() {
        return NAMES.keySet();
    }

    /**
     * The formats named in {@code names} ({@code edl} is the Resolve marker EDL, {@code cmx} the
     * CMX3600 EDL with locators), case-insensitive.
     *
     * @throws IllegalArgumentException naming an unknown format
     */
    public static Set<Format> formats(Collection<String> names) {
        Set<Format> formats = EnumSet.noneOf(Format.class);
        for (String name : names) {
            Format f = NAMES.get(name.strip().toLowerCase(Locale.ROOT));
            if (f == null) {
                throw new IllegalArgumentException(
                        "unknown marker format '" + name + "'; known: " + String.join(", ", NAMES.keySet()));
            }
            formats.add(f);
        }
        return formats;
    }

    /** The file name of {@code format} for a clip written as {@code baseName}. */
    public static String fileName(String baseName, Format format) {
        switch (format) {
            case RESOLVE_EDL:
                return baseName + ".edl";
            case EDL:
                return baseName + ".cmx.edl";
            case FCPXML:
                return baseName + ".fcpxml";
            case AVID_LOCATORS:
                return baseName + ".avid.txt";
            case CSV:
                return baseName + ".csv";
            default:
                throw new IllegalArgumentException("unknown format " + format);
        }
    }

    /** Writes {@code markers} in {@code formats} to {@code dir}, named after the clip. */
    public static List<Path> write(ClipMarkers markers, Path dir, Set<Format> formats) throws IOException {
        return write(markers, dir, markers.clip().name(), formats);
    }

    /**
     * Writes {@code markers} in {@code formats} to {@code dir} as {@code baseName.*}, creating {@code
     * dir}; each file is written beside its name and moved over it, so a reader never sees half a
     * file. Returns the files in the order of {@link #formatNames()}.
     */
    public static List<Path> write(ClipMarkers markers, Path dir, String baseName, Set<Format> formats)
            throws IOException {
        Objects.requireNonNull(markers, "markers");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Format format : NAMES.values()) {
            if (!formats.contains(format)) {
                continue;
            }
            Path file = dir.resolve(fileName(baseName, format));
            Path partial = dir.resolve(file.getFileName() + ".partial");
            String text = ClipMarkerExports.export(format, markers.clip(), markers.candidates());
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written.add(file);
        }
        return written;
    }
}

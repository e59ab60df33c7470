package dev.rigtel.gopro.markers;

import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.export.ClipCandidate;
import dev.rigtel.collector.motion.export.CutCandidateExports.Format;
import dev.rigtel.gopro.clip.ClipTelemetry;
import dev.rigtel.gopro.clip.GoproFiles;
import dev.rigtel.gopro.clip.GoproReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code markers} command: reads GoPro clips, finds head turns and whip pans in each camera's
 * own gyro ({@link ClipMarkers}) and writes them as markers on each clip in its source timecode
 * ({@link ClipExports}), one file per clip and format. Prints one line per clip on stdout, warnings
 * on stderr. Exit code 0 when every clip was written, 1 when one could not be, 2 for bad options.
 */
@Command(
        name = "markers",
        mixinStandardHelpOptions = true,
        version = "rigtel markers 0.1.0",
        sortOptions = false,
        usageHelpWidth = 120,
        description = {
            "Finds head turns and whip pans in the gyro of each GoPro clip and writes them as cut markers on that"
                    + " clip, in its source timecode (its tmcd start; record-run from 00:00:00:00 when it has none):"
                    + " one file per clip and format in --out. Chapters of a recording (GX01nnnn, GX02nnnn, ...) are"
                    + " one clip. Video is never read, only the telemetry."
        },
        footer = {
            "",
            "Formats: edl = DaVinci Resolve marker EDL (CLIP.edl), cmx = CMX3600 EDL with Avid LOC comments"
                    + " (CLIP.cmx.edl), fcpxml = FCPXML 1.9 with the markers on the clip's asset (CLIP.fcpxml),"
                    + " avid = Avid Media Composer locators (CLIP.avid.txt), csv = CSV (CLIP.csv).",
            "Exit status: 0 every clip written, 1 a clip could not be read or written, 2 bad options."
        })
public final class MarkersMain implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(
            arity = "1..*",
            paramLabel = "FILES|DIRS",
            description = "GoPro files (.MP4, .360) or folders to search (all levels).")
    private List<Path> inputs;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder for the marker files (created if missing).")
    private Path out;

    @Option(
            names = "--format",
            split = ",",
            paramLabel = "FORMAT",
            defaultValue = "edl,fcpxml,avid,csv",
            description = "Comma-separated formats: edl, cmx, fcpxml, avid, csv (default: ${DEFAULT-VALUE}).")
    private List<String> formatNames;

    public static void main(String[] args) {
        System.exit(execute(args, null, null));
    }

    /** Parses and runs; returns the exit code. */
    static int execute(String[] args, PrintWriter stdout, PrintWriter stderr) {
        CommandLine cl = new CommandLine(new MarkersMain());
        if (stdout != null) {
            cl.setOut(stdout);
        }
        if (stderr != null) {
            cl.setErr(stderr);
        }
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Set<Format> formats;
        try {
            formats = ClipExports.formats(formatNames);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                throw new ParameterException(spec.commandLine(), "no such file or folder: " + input);
            }
        }
        List<GoproFiles.Clip> clips;
        try {
            clips = GoproFiles.clips(inputs);
        } catch (IOException e) {
            stderr.println("cannot list " + inputs + ": " + e.getMessage());
            stderr.flush();
            return 1;
        }
        if (clips.isEmpty()) {
            stderr.println("no GoPro clips (.MP4, .MOV, .360) in " + inputs);
            stderr.flush();
            return 1;
        }
        MotionConfig config = MotionConfig.defaults();
        Set<String> baseNames = new HashSet<>();
        int failed = 0;
        for (GoproFiles.Clip clip : clips) {
            try {
                ClipTelemetry telemetry = GoproReader.read(clip);
                ClipMarkers markers = ClipMarkers.of(telemetry, config);
                String baseName = uniqueName(markers.clip().name(), baseNames);
                List<Path> files = ClipExports.write(markers, out, baseName, formats);
                stdout.println(line(markers, files));
                for (String warning : markers.warnings()) {
                    stderr.println("warning: " + warning);
                }
            } catch (IOException | RuntimeException e) {
                failed++;
                stderr.println(clip.name() + ": no markers written: " + e.getMessage());
            }
            stdout.flush();
            stderr.flush();
        }
        return failed == 0 ? 0 : 1;
    }

    /** {@code GX010123  15:44:35:10  3 candidates, first 15:44:36:02  GX010123.edl ...}. */
    private static String line(ClipMarkers markers, List<Path> files) {
        List<ClipCandidate> candidates = markers.candidates();
        String first =
                candidates.isEmpty() ? "" : ", first " + candidates.get(0).timecode();
        return markers.clip().name() + "  " + markers.clip().start()
                + (markers.clip().recordRun() ? " (record run)" : "")
                + "  " + candidates.size() + (candidates.size() == 1 ? " candidate" : " candidates") + first + "  "
                + files.stream().map(f -> f.getFileName().toString()).collect(Collectors.joining(" "));
    }

    /** Two cameras on two cards often both have a {@code GX010001}: the second gets {@code -2}. */
    private static String uniqueName(String name, Set<String> used) {
        String candidate = name;
        for (int n = 2; !used.add(candidate); n++) {
            candidate = name + "-" + n;
        }
        return candidate;
    }
}

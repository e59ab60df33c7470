package dev.rigtel.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rigtel.common.time.Durations;
import dev.rigtel.gopro.clip.ClipTelemetry;
import dev.rigtel.gopro.clip.GoproFiles;
import dev.rigtel.gopro.clip.GoproReader;
import dev.rigtel.gopro.clip.SensorStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./rigtel import}: reads the telemetry of GoPro clips where the files are (the DIT cart),
 * and sends each clip's accelerometer and gyroscope to the collector ({@code POST /api/import}) as a
 * user with role import. Video never leaves the machine: only the {@code moov} and the GPMF samples
 * are read. Shows progress on stderr and ends with a summary per clip on stdout (a table, or JSON
 * with {@code --json}). Exit code 0 when every clip was imported, 1 when some failed, 2 for bad
 * options. A clip without a timecode track, or every clip with {@code --align}, is placed by
 * cross-correlating its gyro with the rig's live gyro ({@link GyroAligner}) and refused when that is
 * not conclusive.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        version = "rigtel import 0.1.0",
        sortOptions = false,
        usageHelpWidth = 120,
        description = {
            "Imports the cameras' own IMU telemetry (GoPro GPMF) from MP4 files or folders into the collector:"
                    + " each clip's samples land on its rig, on the production timeline (the clip's timecode on the"
                    + " shooting date), attributed to the take and the rig's wearer, with the same motion analytics"
                    + " as live data. Only telemetry is sent, never video. Re-importing stores the same points once;"
                    + " an interrupted import resumes where the collector has the clip."
        },
        footer = {
            "",
            "Environment: RIGTEL_COLLECTOR, RIGTEL_USER, RIGTEL_PASSWORD stand for --collector, --user, --password.",
            "Camera map: lines 'serial,rig' (e.g. C3441324567890,rig-01); '#' starts a comment.",
            "Exit status: 0 all clips imported, 1 some clips failed, 2 bad options."
        })
public final class ImportMain implements Callable<Integer> {

    /** Samples per request: about 55 KB of JSON, within the collector's 64 KiB request limit. */
    static final int BATCH_SAMPLES = 800;

    static final int MAX_BODY_BYTES = 60_000;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILES|DIRS", description = "GoPro MP4 files, or folders to search.")
    List<Path> paths;

    @Option(
            names = "--date",
            paramLabel = "YYYY-MM-DD",
            description = "The shooting date of the clips' timecode. Default: each file's creation date.")
    String date;

    @Option(names = "--rig", description = "The rig every clip's camera rode on.")
    String rig;

    @Option(names = "--camera-map", paramLabel = "FILE", description = "Lines 'serial,rig': each camera's rig.")
    Path cameraMap;

    @Option(
            names = "--align",
            description = "The clips' timecode runs free (not jammed): place each clip by cross-correlating its"
                    + " gyro with the rig's live IMU instead. Clips without a timecode track are always aligned.")
    boolean align;

    @Option(
            names = "--align-window",
            paramLabel = "DURATION",
            defaultValue = "10m",
            description = "How far from the file's creation time to search for the clip (e.g. 10m, 90s)."
                    + " Default: ${DEFAULT-VALUE}.")
    String alignWindow;

    @Option(
            names = "--take",
            paramLabel = "ID",
            description = "Place the clip's first frame at this take's start (its roll) instead of its timecode:"
                    + " for a clip that cannot be aligned. One clip per run.")
    String take;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean jsonOutput;

    @Option(
            names = "--collector",
            paramLabel = "URL",
            description = "The collector's HTTP address. Default: RIGTEL_COLLECTOR, else http://127.0.0.1:8080.")
    String collector;

    @Option(names = "--user", description = "A collector user with role import. Default: RIGTEL_USER.")
    String user;

    @Option(
            names = "--password",
            description =
                    "Its password (visible in the process list: prefer RIGTEL_PASSWORD). Default: RIGTEL_PASSWORD.")
    String password;

    /** Longest {@code --align-window}: a 2 h search of a 12 min clip is still a few seconds. */
    static final long MAX_ALIGN_WINDOW_NANOS = 60 * 60 * 1_000_000_000L;

    /** What one {@code GET /api/import/rig-samples} may span. */
    static final long RIG_GYRO_CHUNK_NANOS = 15 * 60 * 1_000_000_000L;

    static final String NOT_ALIGNED = "not aligned: name the take or pass --rig/--date with a jammed timecode";

    private long alignWindowNanos;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean tty;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    ImportMain(Map<String, String> env, PrintStream out, PrintStream err, boolean tty) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.tty = tty;
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err, System.console() != null, args));
    }

    /** Runs the command; returns its exit code. */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err, boolean tty, String... args) {
        CommandLine line = new CommandLine(new ImportMain(env, out, err, tty));
        line.setOut(new java.io.PrintWriter(out, true));
        line.setErr(new java.io.PrintWriter(err, true));
        return line.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (rig != null && cameraMap != null) {
            throw usage("give --rig or --camera-map, not both");
        }
        if (rig == null && cameraMap == null) {
            throw usage("name the rig: --rig R, or --camera-map FILE of 'serial,rig' lines");
        }
        Optional<LocalDate> shootingDay;
        try {
            shootingDay = Optional.ofNullable(date).map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            throw usage("--date: YYYY-MM-DD, not '" + date + "'");
        }
        CameraMap map;
        try {
            map = cameraMap == null ? null : CameraMap.load(cameraMap);
        } catch (IOException | IllegalArgumentException e) {
            throw usage("--camera-map: " + e.getMessage());
        }
        String url = first(collector, env.get("RIGTEL_COLLECTOR"), "http://127.0.0.1:8080");
        String username = first(user, env.get("RIGTEL_USER"), null);
        String secret = first(password, env.get("RIGTEL_PASSWORD"), null);
        if (username == null || secret == null) {
            throw usage(
                    "a collector user with role import is needed: --user/--password or RIGTEL_USER/RIGTEL_PASSWORD");
        }
        long windowNanos;
        try {
            windowNanos = Durations.parse(alignWindow).toNanos();
        } catch (IllegalArgumentException e) {
            throw usage("--align-window: " + e.getMessage());
        }
        if (windowNanos <= 0 || windowNanos > MAX_ALIGN_WINDOW_NANOS) {
            throw usage("--align-window: more than 0, at most 60m");
        }
        this.alignWindowNanos = windowNanos;
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw usage("--collector: not a URL: " + url);
        }
        List<GoproFiles.Clip> clips;
        try {
            clips = GoproFiles.clips(paths);
        } catch (IOException e) {
            throw usage("cannot list " + paths + ": " + e.getMessage());
        }
        if (clips.isEmpty()) {
            throw usage("no GoPro clips (MP4, MOV, 360) in " + paths);
        }
        if (take != null && align) {
            throw usage("give --take or --align, not both");
        }
        if (take != null && clips.size() != 1) {
            throw usage("--take places one clip; " + clips.size() + " clips given");
        }
        Progress progress = new Progress(clips.size());
        CollectorClient client = new CollectorClient(new ObjectMapper(), base, username, secret);
        List<ClipReport> reports = new ArrayList<>();
        for (GoproFiles.Clip clip : clips) {
            ClipReport report = importClip(clip, shootingDay, map, client, progress);
            reports.add(report);
            progress.clipDone(report);
        }
        progress.finish();
        print(reports);
        return reports.stream().anyMatch(ClipReport::failed) ? 1 : 0;
    }

    private ClipReport importClip(
            GoproFiles.Clip clip,
            Optional<LocalDate> shootingDay,
            CameraMap map,
            CollectorClient client,
            Progress progress)
            throws InterruptedException {
        ClipTelemetry telemetry;
        try {
            telemetry = GoproReader.read(clip);
        } catch (IOException | RuntimeException e) {
            return failed(clip, null, null, null, null, "cannot read: " + e.getMessage());
        }
        progress.read(telemetry.bytesRead());
        String clipId = clipId(telemetry);
        String clipRig =
                rig != null ? rig : telemetry.cameraSerial().flatMap(map::rig).orElse(null);
        Optional<LocalDate> day =
                shootingDay.or(() -> telemetry.creationTime().map(t -> LocalDate.ofInstant(t, ZoneOffset.UTC)));
        if (clipRig == null) {
            return failed(
                    clip,
                    telemetry,
                    clipId,
                    day.orElse(null),
                    null,
                    "camera " + telemetry.cameraSerial().orElse("(no serial)") + " is not in the camera map");
        }
        if (day.isEmpty()) {
            return failed(clip, telemetry, clipId, null, clipRig, "no shooting date: give --date");
        }
        try {
            CollectorClient.Answer known = client.progress(clipId);
            if (known.status() != 200) {
                return failed(clip, telemetry, clipId, day.get(), clipRig, "collector: " + known.error());
            }
            ZoneId zone = ZoneId.of(known.body().get("timezone").asText());
            if (known.body().get("complete").asBoolean()
                    && clipRig.equals(known.body().path("rig").asText())) {
                return report(
                        clip, telemetry, clipId, day.get(), clipRig, known.body(), "already-imported", null, null);
            }
            ClipSamples samples;
            Aligned aligned = null;
            try {
                if (take != null) {
                    aligned = onTake(telemetry, day.get(), zone, client);
                    if (aligned.error() != null) {
                        return report(
                                clip, telemetry, clipId, day.get(), clipRig, null, "failed", aligned.error(), aligned);
                    }
                    samples = ClipSamples.aligned(telemetry, aligned.firstFrameNanos());
                } else if (align || telemetry.timecode().isEmpty()) {
                    aligned = align(telemetry, clipRig, day.get(), zone, client);
                    if (aligned.error() != null) {
                        return report(
                                clip, telemetry, clipId, day.get(), clipRig, null, "failed", aligned.error(), aligned);
                    }
                    samples = ClipSamples.aligned(telemetry, aligned.firstFrameNanos());
                } else {
                    samples = ClipSamples.of(telemetry, day.get(), zone);
                }
            } catch (IllegalArgumentException e) {
                return failed(clip, telemetry, clipId, day.get(), clipRig, e.getMessage());
            }
            JsonNode last = send(
                    clipId,
                    telemetry,
                    clipRig,
                    samples,
                    known.body().get("samples").asLong(),
                    client,
                    progress);
            return report(clip, telemetry, clipId, day.get(), clipRig, last, "imported", null, aligned);
        } catch (RefusedException e) {
            return failed(clip, telemetry, clipId, day.get(), clipRig, e.getMessage());
        } catch (IOException e) {
            return failed(clip, telemetry, clipId, day.get(), clipRig, "cannot reach the collector: " + e);
        }
    }

    /**
     * An alignment's outcome for the report.
     *
     * @param firstFrameNanos where the alignment put the clip's first frame (UTC ns)
     * @param offsetMillis that minus where the timecode (or the creation time) put it; null if no peak
     * @param error why the clip is not imported, or null
     */
    private record Aligned(long firstFrameNanos, Long offsetMillis, ClipReport.Confidence confidence, String error) {}

    /**
     * Places a clip by its gyro: fetches the rig's live gyro from {@code --align-window} before the
     * file's creation time to as long after the clip's end, and cross-correlates ({@link GyroAligner}).
     */
    private Aligned align(ClipTelemetry telemetry, String clipRig, LocalDate day, ZoneId zone, CollectorClient client)
            throws IOException, InterruptedException, RefusedException {
        Optional<SensorStream> gyro = telemetry.stream("GYRO").filter(s -> s.axes() == 3 && s.samples() > 0);
        if (gyro.isEmpty()) {
            return new Aligned(0, null, null, "no GYRO stream to align on; " + NOT_ALIGNED);
        }
        if (telemetry.creationTime().isEmpty()) {
            return new Aligned(0, null, null, "no creation time to search around; " + NOT_ALIGNED);
        }
        long approx = creationNanos(telemetry, zone).orElseThrow();
        long assumed = assumedFirstFrame(telemetry, day, zone).orElseThrow();
        long bin = 1_000_000_000L / GyroAligner.RATE_HZ;
        long from = Math.floorDiv(approx - alignWindowNanos, bin) * bin;
        long to = approx + telemetry.durationNanos() + alignWindowNanos;
        int bins = (int) ((to - from + bin - 1) / bin);
        double[] rigTrace = new double[bins];
        java.util.Arrays.fill(rigTrace, Double.NaN);
        for (long start = from; start < to; start += RIG_GYRO_CHUNK_NANOS) {
            long end = Math.min(to, start + RIG_GYRO_CHUNK_NANOS);
            CollectorClient.Answer answer = client.rigGyro(clipRig, start, end);
            if (answer.status() != 200) {
                throw new RefusedException("collector: rig samples: " + answer.error());
            }
            int offset = (int) ((start - from) / bin);
            JsonNode values = answer.body().path("gyro_dps");
            for (int i = 0; i < values.size() && offset + i < bins; i++) {
                if (!values.get(i).isNull()) {
                    rigTrace[offset + i] = values.get(i).asDouble();
                }
            }
        }
        SensorStream g = gyro.get();
        GyroAligner.Alignment found =
                GyroAligner.align(rigTrace, from, GyroAligner.magnitudeTrace(g.sampleNanos(), g.values()));
        ClipReport.Confidence confidence = new ClipReport.Confidence(
                Math.round(found.correlation() * 1000) / 1000.0,
                Math.round(Math.min(found.peakRatio(), 99) * 100) / 100.0);
        Long offsetMillis = found.correlation() > 0 ? Math.round((found.firstFrameNanos() - assumed) / 1e6) : null;
        return new Aligned(found.firstFrameNanos(), offsetMillis, confidence, found.accepted() ? null : NOT_ALIGNED);
    }

    /** Places a clip's first frame on {@code --take}'s start. */
    private Aligned onTake(ClipTelemetry telemetry, LocalDate day, ZoneId zone, CollectorClient client)
            throws IOException, InterruptedException, RefusedException {
        CollectorClient.Answer answer = client.take(take);
        if (answer.status() == 404) {
            return new Aligned(0, null, null, "no take " + take + " on the collector");
        }
        if (answer.status() != 200) {
            throw new RefusedException("collector: take " + take + ": " + answer.error());
        }
        long start = answer.body().get("start_ns").asLong();
        Long offset = assumedFirstFrame(telemetry, day, zone)
                .map(a -> Math.round((start - a) / 1e6))
                .orElse(null);
        return new Aligned(start, offset, null, null);
    }

    /** Where the clip's timecode on the day, or else its creation time, puts its first frame. */
    private static Optional<Long> assumedFirstFrame(ClipTelemetry telemetry, LocalDate day, ZoneId zone) {
        return telemetry
                .timecode()
                .map(tc -> ClipSamples.timecodeFirstFrameNanos(tc, day, zone))
                .or(() -> creationNanos(telemetry, zone));
    }

    /**
     * The file's creation time on the production timeline: GoPro writes its local clock as if it were
     * UTC, so it is read as a wall-clock time in the zone.
     */
    private static Optional<Long> creationNanos(ClipTelemetry telemetry, ZoneId zone) {
        return telemetry
                .creationTime()
                .map(t ->
                        LocalDateTime.ofInstant(t, ZoneOffset.UTC).atZone(zone).toEpochSecond() * 1_000_000_000L);
    }

    /** Sends the clip's samples from {@code from} on; returns the collector's last answer. */
    private JsonNode send(
            String clipId,
            ClipTelemetry telemetry,
            String clipRig,
            ClipSamples samples,
            long from,
            CollectorClient client,
            Progress progress)
            throws IOException, InterruptedException, RefusedException {
        int n = samples.samples();
        int next = (int) Math.min(from, n);
        int size = BATCH_SAMPLES;
        int resumes = 0;
        progress.clip(n, next);
        while (true) {
            int end = Math.min(n, next + size);
            byte[] body = json.writeValueAsBytes(batch(clipId, telemetry, clipRig, samples, next, end, end == n));
            if (body.length > MAX_BODY_BYTES && end - next > 1) {
                size = Math.max(1, size / 2);
                continue;
            }
            CollectorClient.Answer answer = client.post(body);
            if (answer.status() == 409 && resumes++ < 3) {
                // Not where the collector is (it restarted, or another cart sent part): ask, go on from there.
                CollectorClient.Answer known = client.progress(clipId);
                next = known.status() == 200
                        ? (int) Math.min(n, known.body().get("samples").asLong())
                        : 0;
                continue;
            }
            if (answer.status() != 200) {
                throw new RefusedException("collector refused samples " + next + ".." + end + ": " + answer.error());
            }
            progress.sent(end - next);
            next = end;
            if (end == n) {
                return answer.body();
            }
        }
    }

    private static Map<String, Object> batch(
            String clipId, ClipTelemetry t, String clipRig, ClipSamples s, int from, int to, boolean last) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clip", clipId);
        body.put("camera_model", t.cameraModel().orElse(null));
        body.put("camera_serial", t.cameraSerial().orElse(null));
        body.put("rig", clipRig);
        body.put("first_frame_ns", s.firstFrameNanos());
        body.put("first", from);
        body.put("last", last);
        body.put("accel_full_scale_g", s.accelFullScaleG());
        body.put("gyro_full_scale_dps", s.gyroFullScaleDps());
        body.put("t_ns", Arrays.copyOfRange(s.utcNanos(), from, to));
        body.put("accel_mps2", Arrays.copyOfRange(s.accelMps2(), 3 * from, 3 * to));
        body.put("gyro_dps", Arrays.copyOfRange(s.gyroDps(), 3 * from, 3 * to));
        body.put("clip_name", t.clipName());
        body.put("timecode", t.timecode().map(tc -> tc.startLabel()).orElse(null));
        return body;
    }

    /**
     * Deterministic, so a re-import finds the clip: camera serial, first file name, {@code tmcd}
     * start (characters the collector does not take in an id become {@code -}).
     */
    static String clipId(ClipTelemetry t) {
        String raw = t.cameraSerial().orElse("noserial")
                + "_" + t.clipName()
                + "_" + t.timecode().map(tc -> tc.startLabel()).orElse("notc");
        String id = raw.replaceAll("[^A-Za-z0-9._:-]", "-");
        return id.length() > 128 ? id.substring(0, 128) : id;
    }

    private ClipReport report(
            GoproFiles.Clip clip,
            ClipTelemetry t,
            String clipId,
            LocalDate day,
            String clipRig,
            JsonNode answer,
            String status,
            String error,
            Aligned aligned) {
        List<ClipReport.Take> takes = new ArrayList<>();
        long samples = 0;
        if (answer != null) {
            samples = answer.path("samples").asLong();
            for (JsonNode take : answer.path("takes")) {
                takes.add(new ClipReport.Take(
                        take.path("takeId").asText(),
                        take.path("name").asText(),
                        take.path("wearer").isNull()
                                ? null
                                : take.path("wearer").asText(null),
                        take.path("samples").asLong(),
                        take.path("summary").asText()));
            }
        }
        Map<String, Integer> streams = new LinkedHashMap<>();
        List<String> warnings = List.of();
        String camera = null;
        String serial = null;
        double duration = 0;
        String timecode = null;
        if (t != null) {
            for (SensorStream s : t.streams()) {
                streams.merge(s.fourcc(), s.samples(), Integer::sum);
            }
            warnings = t.warnings();
            camera = t.cameraModel().orElse(null);
            serial = t.cameraSerial().orElse(null);
            duration = t.durationNanos() / 1e9;
            timecode = t.timecode()
                    .map(tc -> tc.startLabel() + " @ " + String.format(Locale.ROOT, "%.3f", tc.framesPerSecond()))
                    .orElse(null);
        }
        return new ClipReport(
                clipId,
                clip.chapters().get(0).getFileName().toString(),
                camera,
                serial,
                duration,
                streams,
                timecode,
                day == null ? null : day.toString(),
                clipRig,
                takes,
                samples,
                status,
                error,
                warnings,
                aligned == null ? null : aligned.offsetMillis(),
                aligned == null ? null : aligned.confidence());
    }

    private ClipReport failed(
            GoproFiles.Clip clip, ClipTelemetry t, String clipId, LocalDate day, String clipRig, String error) {
        return report(clip, t, clipId == null ? clip.name() : clipId, day, clipRig, null, "failed", error, null);
    }

    private void print(List<ClipReport> reports) throws IOException {
        if (jsonOutput) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("clips", reports);
            doc.put("imported", reports.stream().filter(r -> !r.failed()).count());
            doc.put("failed", reports.stream().filter(ClipReport::failed).count());
            out.println(json.writeValueAsString(doc));
            return;
        }
        out.print(SummaryTable.of(reports));
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static String first(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : fallback;
    }

    /** A refusal by the collector that ends the clip. */
    private static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message, null, false, false);
        }
    }

    /** Progress on stderr: a bar redrawn in place on a terminal, a line per clip otherwise. */
    private final class Progress {
        private final int files;
        private final long started = System.nanoTime();
        private int done;
        private long bytes;
        private long sent;
        private int clipSamples;
        private int clipSent;
        private long lastDraw;

        Progress(int files) {
            this.files = files;
        }

        void read(long bytesRead) {
            bytes += bytesRead;
            draw(false);
        }

        void clip(int samples, int from) {
            clipSamples = samples;
            clipSent = from;
        }

        void sent(int samples) {
            sent += samples;
            clipSent += samples;
            draw(false);
        }

        void clipDone(ClipReport report) {
            done++;
            clipSamples = 0;
            clipSent = 0;
            if (tty) {
                draw(true);
            } else {
                err.printf(
                        Locale.ROOT,
                        "[%d/%d] %s: %s, %d samples%s%n",
                        done,
                        files,
                        report.file(),
                        report.status(),
                        report.samples(),
                        report.error() == null ? "" : " (" + report.error() + ")");
            }
        }

        void finish() {
            if (tty) {
                err.println();
            }
        }

        private void draw(boolean force) {
            if (!tty) {
                return;
            }
            long now = System.nanoTime();
            if (!force && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            double fraction = (done + (clipSamples == 0 ? 0 : (double) clipSent / clipSamples)) / files;
            double elapsed = (now - started) / 1e9;
            String eta = fraction <= 0 ? "--:--" : clock(elapsed / fraction - elapsed);
            int width = 24;
            int filled = (int) Math.round(fraction * width);
            err.printf(
                    Locale.ROOT,
                    "\r[%s%s] %d/%d files, %.1f MB read, %,d samples, ETA %s ",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    done,
                    files,
                    bytes / 1e6,
                    sent,
                    eta);
        }

        private static String clock(double seconds) {
            long s = Math.max(0, Math.round(seconds));
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }
}

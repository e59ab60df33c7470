package dev.rigtel.gopro.clip;

import dev.rigtel.gopro.gpmf.GpmfDecoder;
import dev.rigtel.gopro.gpmf.GpmfFormatException;
import dev.rigtel.gopro.gpmf.StreamBlock;
import dev.rigtel.gopro.mp4.Mp4Movie;
import dev.rigtel.gopro.mp4.Mp4Source;
import dev.rigtel.gopro.mp4.SampleTable;
import dev.rigtel.gopro.mp4.Track;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads a clip's telemetry: the GPMF track of each chapter file, decoded, timed and joined into one
 * {@link ClipTelemetry}.
 *
 * <p>Reads only what it needs with positional reads: box headers, the {@code moov}, the {@code tmcd}
 * sample and the GPMF payloads (about 6 KB a second); never the video.
 *
 * <p>Errors that lose part of a clip (a corrupt payload, an {@code mdat} cut short, a chapter without
 * telemetry) become warnings naming the file, the payload and the byte offset; the rest is read. A file
 * that is no MP4 at all, or has no {@code moov}, is an exception.
 *
 * <p>Aligning a camera whose timecode runs free with a rig IMU (cross-correlating the gyros) is not done
 * here; {@link SensorStream#sampleNanos} from the first frame is what such an alignment would shift.
 */
public final class GoproReader {

    private static final Set<String> IDENTITY_KEYS = Set.of("MINF", "CASN");

    private GoproReader() {}

    /** Reads a clip that {@link GoproFiles#clips} found. */
    public static ClipTelemetry read(GoproFiles.Clip clip) throws IOException {
        return read(clip.name(), clip.chapters());
    }

    /** Reads one recording from its chapter files, in order; the clip is named after the first. */
    public static ClipTelemetry read(List<Path> chapterFiles) throws IOException {
        if (chapterFiles.isEmpty()) {
            throw new IllegalArgumentException("no files");
        }
        return read(GoproFiles.stem(chapterFiles.get(0)), chapterFiles);
    }

    /**
     * Reads a raw GPMF payload file ({@code .raw}, as in gpmf-parser's samples): one payload, which
     * like the reference parser this takes to last one second from the first frame.
     */
    public static ClipTelemetry readRaw(Path rawPayload) throws IOException {
        byte[] bytes = Files.readAllBytes(rawPayload);
        Joiner joiner = new Joiner();
        joiner.payload(rawPayload, 0, 0, bytes, bytes.length, 0, 1.0);
        return new ClipTelemetry(
                GoproFiles.stem(rawPayload),
                List.of(rawPayload),
                joiner.model,
                joiner.serial,
                Optional.empty(),
                Optional.empty(),
                1_000_000_000L,
                joiner.streams(0),
                joiner.warnings,
                bytes.length);
    }

    private static ClipTelemetry read(String name, List<Path> chapterFiles) throws IOException {
        Joiner joiner = new Joiner();
        Optional<Instant> created = Optional.empty();
        Optional<ClipTimecode> timecode = Optional.empty();
        double chapterStart = 0;
        double videoStart = 0;
        long durationNanos = 0;
        long bytesRead = 0;
        byte[] buffer = new byte[64 << 10];
        for (int c = 0; c < chapterFiles.size(); c++) {
            Path file = chapterFiles.get(c);
            try (Mp4Source source = Mp4Source.open(file)) {
                Mp4Movie movie = source.movie();
                for (String w : movie.warnings()) {
                    joiner.warnings.add(file.getFileName() + ": " + w);
                }
                Optional<String> serialBefore = joiner.serial;
                identity(joiner, movie, file);
                if (c == 0) {
                    created = movie.creationTime();
                    timecode = source.timecode().map(ClipTimecode::of);
                    if (timecode.isEmpty()) {
                        joiner.warnings.add(file.getFileName() + ": no tmcd track; samples have no source timecode");
                    }
                    videoStart = movie.video()
                            .map(v -> (double) v.editOffset() / movie.timescale())
                            .orElse(0.0);
                } else if (serialBefore.isPresent() && !serialBefore.equals(joiner.chapterSerial)) {
                    joiner.warnings.add(file.getFileName() + ": camera " + joiner.chapterSerial.orElse("unknown")
                            + ", the clip's first chapter is camera " + serialBefore.get()
                            + "; not a chapter of the same recording?");
                }
                joiner.chapterSerial = Optional.empty();
                Optional<Track> gpmf = movie.gpmf();
                if (gpmf.isEmpty()) {
                    joiner.warnings.add(file.getFileName() + ": no GPMF telemetry track (meta / gpmd)");
                } else {
                    buffer = payloads(joiner, source, movie, gpmf.get(), c, chapterStart, buffer);
                }
                double movieSeconds = (double) movie.duration() / movie.timescale();
                chapterStart += movieSeconds;
                durationNanos += movie.durationNanos();
                bytesRead += source.bytesRead();
            }
        }
        return new ClipTelemetry(
                name,
                chapterFiles,
                joiner.model,
                joiner.serial,
                created,
                timecode,
                durationNanos,
                joiner.streams(videoStart),
                joiner.warnings,
                bytesRead);
    }

    /** Reads and decodes every payload of one chapter; returns the (maybe grown) buffer. */
    private static byte[] payloads(
            Joiner joiner,
            Mp4Source source,
            Mp4Movie movie,
            Track track,
            int chapter,
            double chapterStart,
            byte[] buffer)
            throws IOException {
        SampleTable table = track.samples();
        int count = table.count();
        if (count == 0 || track.timescale() == 0) {
            joiner.warnings.add(source.file().getFileName() + ": the GPMF track has no samples");
            return buffer;
        }
        // GetPayloadTime of GPMF_mp4reader.c: payloads spaced by the track's mean sample duration, the
        // last one ending with the track, shifted by the track's edit list.
        double total = (double) table.totalDuration() / track.timescale();
        double mean = total / count;
        double shift = chapterStart + (double) track.editOffset() / movie.timescale();
        for (int i = 0; i < count; i++) {
            int size = table.sizes()[i] & ~3; // every GPMF payload is 32-bit aligned
            if (size > buffer.length) {
                buffer = new byte[Math.max(size, buffer.length * 2)];
            }
            long offset = table.offsets()[i];
            try {
                source.read(offset, buffer, size);
            } catch (EOFException e) {
                joiner.warnings.add(source.file().getFileName() + ": payload " + i + " at byte " + offset
                        + " runs past the end of the file (" + movie.fileBytes() + " bytes): " + i + " of " + count
                        + " payloads read; the recording was cut short");
                break;
            }
            double in = i * mean + shift;
            double out = Math.min((i + 1) * mean, total) + shift;
            joiner.payload(source.file(), chapter, i, buffer, size, in, out, offset);
        }
        return buffer;
    }

    private static void identity(Joiner joiner, Mp4Movie movie, Path file) {
        byte[] global = movie.userData().get("GPMF");
        if (global == null) {
            return;
        }
        try {
            Map<String, String> texts = GpmfDecoder.texts(global, global.length, IDENTITY_KEYS);
            if (joiner.model.isEmpty() && texts.containsKey("MINF")) {
                joiner.model = Optional.of(texts.get("MINF"));
            }
            if (texts.containsKey("CASN")) {
                joiner.chapterSerial = Optional.of(texts.get("CASN"));
                if (joiner.serial.isEmpty()) {
                    joiner.serial = joiner.chapterSerial;
                }
            }
        } catch (GpmfFormatException e) {
            joiner.warnings.add(file.getFileName() + ": udta/GPMF: " + e.getMessage());
        }
    }

    /** Gathers the payloads of all chapters, stream by stream. */
    private static final class Joiner {
        final List<String> warnings = new ArrayList<>();
        final Map<String, Accumulator> streams = new LinkedHashMap<>();
        final Set<String> seen = new java.util.HashSet<>();
        Optional<String> model = Optional.empty();
        Optional<String> serial = Optional.empty();
        Optional<String> chapterSerial = Optional.empty();
        int payloadIndex;
        int lastChapter;
        String checkedKey;

        void payload(Path file, int chapter, int index, byte[] bytes, int length, double in, double out) {
            payload(file, chapter, index, bytes, length, in, out, 0);
        }

        void payload(Path file, int chapter, int index, byte[] bytes, int length, double in, double out, long offset) {
            int payload = payloadIndex++;
            List<String> decodeWarnings = new ArrayList<>();
            List<StreamBlock> blocks;
            try {
                blocks = GpmfDecoder.decode(bytes, length, decodeWarnings);
            } catch (GpmfFormatException e) {
                warnings.add(file.getFileName() + ": payload " + index + " at byte " + (offset + e.byteOffset())
                        + " is corrupt, skipped: " + e.getMessage());
                return;
            }
            for (String w : decodeWarnings) {
                // once per file and problem: a FACE stream of varying size would otherwise warn every second
                if (seen.add(file + "\0" + w)) {
                    warnings.add(file.getFileName() + ": payload " + index + " (and any later like it): " + w);
                }
            }
            if (index == 0) {
                identityFromTelemetry(bytes, length);
            }
            OptionalLong base = OptionalLong.empty();
            for (StreamBlock b : blocks) {
                if (b.fourcc().equals("SHUT") && b.timestampMicros().isPresent()) {
                    base = b.timestampMicros();
                    break;
                }
            }
            for (StreamBlock b : blocks) {
                String key = b.deviceId() + "/" + b.fourcc();
                Accumulator acc = streams.computeIfAbsent(key, k -> new Accumulator(b));
                if (chapter != lastChapter && key.equals(checkedKey)) {
                    continuity(file, acc, b);
                }
                if (checkedKey == null && b.totalSamples().isPresent()) {
                    checkedKey = key;
                }
                acc.add(b, payload, in, out, base, file, warnings);
            }
            lastChapter = chapter;
        }

        private void continuity(Path file, Accumulator acc, StreamBlock first) {
            OptionalLong before = acc.lastTotal;
            if (before.isPresent() && first.totalSamples().isPresent()) {
                long expected = before.getAsLong();
                long got = first.totalSamples().getAsLong() - first.samples();
                if (got != expected) {
                    warnings.add(file.getFileName() + ": " + first.fourcc() + " TSMP continues at " + got
                            + ", the chapter before ended at " + expected
                            + "; not the next chapter of this recording?");
                }
            }
        }

        private void identityFromTelemetry(byte[] bytes, int length) {
            try {
                Map<String, String> texts = GpmfDecoder.texts(bytes, length, Set.of("MINF", "CASN", "DVNM"));
                if (model.isEmpty()) {
                    String m = texts.getOrDefault("MINF", texts.get("DVNM"));
                    if (m != null && !m.equals("Camera")) {
                        model = Optional.of(m);
                    }
                }
                if (serial.isEmpty() && texts.containsKey("CASN")) {
                    serial = Optional.of(texts.get("CASN"));
                }
            } catch (GpmfFormatException e) {
                // decode() walked this payload already
            }
        }

        List<SensorStream> streams(double videoStartSeconds) {
            List<SensorStream> out = new ArrayList<>();
            for (Accumulator acc : streams.values()) {
                SensorStream s = acc.finish(videoStartSeconds, warnings);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    /** One stream's values and per-payload observations, growing payload by payload. */
    private static final class Accumulator {
        final String fourcc;
        final String deviceId;
        final String name;
        final String units;
        final int axes;
        final double fullScale;
        final double temperatureC;
        final List<SampleClock.Observation> observations = new ArrayList<>();
        final List<Integer> rows = new ArrayList<>();
        double[] values = new double[1024];
        int size;
        OptionalLong lastTotal = OptionalLong.empty();

        Accumulator(StreamBlock first) {
            this.fourcc = first.fourcc();
            this.deviceId = first.deviceId();
            this.name = first.streamName();
            this.units = units(first.units());
            this.axes = first.axes();
            this.fullScale = first.fullScale();
            this.temperatureC = first.temperatureC();
        }

        void add(
                StreamBlock b,
                int payload,
                double in,
                double out,
                OptionalLong base,
                Path file,
                List<String> warnings) {
            observations.add(new SampleClock.Observation(
                    payload, in, out, b.samples(), b.totalSamples(), b.timestampMicros(), base, b.timeOffsetSeconds()));
            lastTotal = b.totalSamples();
            int n = 0;
            if (b.values().length > 0 && b.axes() == axes && axes > 0) {
                n = b.values().length / axes;
                if (size + b.values().length > values.length) {
                    values = Arrays.copyOf(values, Math.max(size + b.values().length, values.length * 2));
                }
                System.arraycopy(b.values(), 0, values, size, b.values().length);
                size += b.values().length;
            } else if (b.values().length > 0) {
                warnings.add(file.getFileName() + ": " + fourcc + " changes from " + axes + " to " + b.axes()
                        + " values a sample; those samples are left out");
            }
            rows.add(n);
        }

        SensorStream finish(double videoStartSeconds, List<String> warnings) {
            if (axes == 0 || size == 0) {
                return null;
            }
            SampleClock.Rate rate = SampleClock.rate(observations);
            boolean usable = rate.rateHz() > 0 && Double.isFinite(rate.rateHz());
            if (!usable) {
                warnings.add(fourcc + ": no sample rate could be computed; samples spread over their payloads");
            }
            long[] nanos = new long[size / axes];
            SampleClock.Observation first = observations.get(0);
            long startSamples =
                    first.totalSamples().isPresent() ? first.totalSamples().getAsLong() - first.samples() : 0;
            long counted = 0;
            int at = 0;
            for (int i = 0; i < observations.size(); i++) {
                SampleClock.Observation o = observations.get(i);
                long k0 = o.totalSamples().isPresent() && first.totalSamples().isPresent()
                        ? o.totalSamples().getAsLong() - o.samples() - startSamples
                        : counted;
                for (int r = 0; r < rows.get(i); r++) {
                    double t = usable
                            ? rate.firstSampleSeconds() + (k0 + r) / rate.rateHz()
                            : o.inSeconds() + (o.outSeconds() - o.inSeconds()) * r / rows.get(i);
                    nanos[at++] = Math.round((t - videoStartSeconds) * 1e9);
                }
                counted += o.samples();
            }
            return new SensorStream(
                    fourcc,
                    deviceId,
                    name,
                    units,
                    axes,
                    Arrays.copyOf(values, size),
                    nanos,
                    usable ? rate.rateHz() : Double.NaN,
                    fullScale,
                    temperatureC);
        }

        private static String units(List<String> units) {
            if (units.isEmpty()) {
                return "";
            }
            boolean same = units.stream().allMatch(u -> u.equals(units.get(0)));
            return same ? units.get(0) : String.join(",", units);
        }
    }
}

package dev.rigtel.gopro.markers;

import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.MotionSink;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.motion.export.ClipCandidate;
import dev.rigtel.collector.motion.export.ClipInfo;
import dev.rigtel.collector.motion.export.CutCandidate;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import dev.rigtel.gopro.clip.ClipTelemetry;
import dev.rigtel.gopro.clip.ClipTimecode;
import dev.rigtel.gopro.clip.SensorStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The cut candidates of one camera clip from the camera's own gyro: the head turns and whip pans
 * (DOMAIN.md section 3) that {@link RigMotion} finds in the clip's {@code GYRO} and {@code ACCL}
 * streams, each placed on the clip's frame in its source timecode.
 *
 * <p>How:
 *
 * <ul>
 *   <li>The clip's timecode is its {@code tmcd} start and rate ({@link ClipTimecode}); a candidate is
 *       on {@code start + round(onset from the first frame x rate)} ({@link ClipCandidate#at}). A clip
 *       without a {@code tmcd} track gets record-run timecode from {@code 00:00:00:00} at the rate of
 *       its {@code SHUT} stream (one sample per video frame), else at {@link #FALLBACK_RATE}, and a
 *       warning. A rate no editor's marker format here counts at (100, 119.88, 240 fps) is an {@link
 *       IllegalArgumentException}: its markers would land on the wrong frames.
 *   <li>Each {@code GYRO} sample (rad/s, converted to deg/s) goes to a {@link RigMotion} with the
 *       accelerometer interpolated to its time, in nanoseconds from the clip's first frame. The
 *       vertical comes from the filter, which the accelerometer corrects. Where the camera writes a
 *       {@code GRAV} stream (gravity without the wearer's own acceleration) that points the same way
 *       as the accelerometer on average (within {@value #GRAV_AGREEMENT_DEG} deg), the filter is fed
 *       {@code GRAV} instead; some cameras write {@code GRAV} in other axes than {@code ACCL} (the MAX
 *       does), and then it is not used. {@code CORI} is not used.
 *   <li>A turn whose frame is outside the clip is dropped with a warning.
 * </ul>
 *
 * @param clip the clip as the exports need it
 * @param candidates the candidates in clip order
 * @param vertical where the vertical came from: {@code "GRAV"}, {@code "ACCL"} or {@code ""} when the
 *     clip had no gyro or accelerometer
 * @param warnings what the reader said about the clip, then what this said (no timecode, no gyro, ...)
 */
public record ClipMarkers(ClipInfo clip, List<ClipCandidate> candidates, String vertical, List<String> warnings) {

    /** The rate of record-run timecode for a clip with neither {@code tmcd} nor {@code SHUT}. */
    public static final FrameRate FALLBACK_RATE = FrameRate.FPS_29_97;

    /** Largest angle between mean {@code GRAV} and mean {@code ACCL} for {@code GRAV} to be used. */
    static final double GRAV_AGREEMENT_DEG = 20;

    private static final double DEG_PER_RAD = 180 / Math.PI;

    public ClipMarkers {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(vertical, "vertical");
        candidates = List.copyOf(candidates);
        warnings = List.copyOf(warnings);
    }

    /**
     * Finds the cut candidates of {@code telemetry} with the head-turn settings of {@code config}.
     *
     * @throws IllegalArgumentException if the clip's timecode counts at a rate the marker formats do
     *     not know
     */
    public static ClipMarkers of(ClipTelemetry telemetry, MotionConfig config) {
        Objects.requireNonNull(config, "config");
        List<String> warnings = new ArrayList<>(telemetry.warnings());
        ClipInfo clip = clipInfo(telemetry, warnings);
        Optional<SensorStream> gyro = telemetry.stream("GYRO");
        Optional<SensorStream> accl = telemetry.stream("ACCL");
        if (gyro.isEmpty() || accl.isEmpty()) {
            warnings.add(telemetry.clipName() + ": no " + (gyro.isEmpty() ? "GYRO" : "ACCL")
                    + " stream, so no cut candidates");
            return new ClipMarkers(clip, List.of(), "", warnings);
        }
        Optional<SensorStream> grav = telemetry.stream("GRAV").filter(g -> agrees(g, accl.get()));
        SensorStream up = grav.orElse(accl.get());
        double upScale = grav.isPresent() ? RigMotion.G0 : 1;
        double gyroScale = gyroDpsPerUnit(gyro.get());

        Turns turns = new Turns();
        RigMotion motion = new RigMotion(config);
        SensorStream g = gyro.get();
        long[] times = g.sampleNanos();
        Interpolator a = new Interpolator(up);
        for (int i = 0; i < g.samples(); i++) {
            a.at(times[i]);
            motion.accept(
                    times[i],
                    a.x * upScale,
                    a.y * upScale,
                    a.z * upScale,
                    g.value(i, 0) * gyroScale,
                    g.value(i, 1) * gyroScale,
                    g.value(i, 2) * gyroScale,
                    turns);
        }
        motion.flush(turns);

        List<ClipCandidate> candidates = new ArrayList<>();
        int outside = 0;
        for (MotionEvent e : turns.events) {
            long frame = ClipCandidate.nearestFrame(clip, e.onsetNanos());
            if (frame < 0 || frame >= clip.durationFrames()) {
                outside++;
                continue;
            }
            candidates.add(ClipCandidate.at(
                    clip,
                    e.onsetNanos(),
                    MotionEvent.LEFT.equals(e.direction()) ? CutCandidate.LEFT : CutCandidate.RIGHT,
                    e.peak(),
                    e.angleDeg(),
                    e.type() == MotionEvent.Type.WHIP_PAN));
        }
        if (outside > 0) {
            warnings.add(telemetry.clipName() + ": " + outside + " turn(s) outside the clip's frames dropped");
        }
        return new ClipMarkers(clip, candidates, up.fourcc(), warnings);
    }

    /**
     * The clip's name, file and source timecode; adds a warning to {@code warnings} when the timecode
     * is record-run.
     *
     * @throws IllegalArgumentException if the timecode counts at a rate the marker formats do not know
     */
    public static ClipInfo clipInfo(ClipTelemetry telemetry, List<String> warnings) {
        String name = telemetry.clipName();
        String fileName = telemetry.files().isEmpty()
                ? name
                : telemetry.files().get(0).getFileName().toString();
        FrameRate rate;
        boolean dropFrame;
        Timecode start;
        boolean recordRun;
        if (telemetry.timecode().isPresent()) {
            ClipTimecode tc = telemetry.timecode().get();
            rate = editorRate(tc.rateNumerator(), tc.rateDenominator(), tc.countingBase())
                    .orElseThrow(() -> new IllegalArgumentException(name + ": its timecode counts at "
                            + tc.rateNumerator() + "/" + tc.rateDenominator()
                            + " fps, a rate the marker formats here do not count at"));
            dropFrame = tc.dropFrame() && rate.dropFrameAllowed();
            start = Timecode.fromFrameNumber(tc.startFrame(), rate, dropFrame);
            recordRun = false;
        } else {
            Optional<SensorStream> shut = telemetry.stream("SHUT").filter(s -> s.rateHz() > 0);
            if (shut.isPresent()) {
                double fps = shut.get().rateHz();
                rate = nearestRate(fps)
                        .orElseThrow(() -> new IllegalArgumentException(String.format(
                                Locale.ROOT,
                                "%s: no timecode track, and its frame rate (%.3f fps, from SHUT) is not one the"
                                        + " marker formats here count at",
                                name,
                                fps)));
                warnings.add(name + ": no timecode track; markers in record-run timecode from 00:00:00:00 at "
                        + rate.label() + " fps (the SHUT stream's rate)");
            } else {
                rate = FALLBACK_RATE;
                warnings.add(name + ": no timecode track and no SHUT stream; markers in record-run timecode from"
                        + " 00:00:00:00 at an assumed " + rate.label() + " fps");
            }
            dropFrame = false;
            start = Timecode.fromFrameNumber(0, rate, false);
            recordRun = true;
        }
        long frames = Math.max(1, framesIn(telemetry.durationNanos(), rate));
        return new ClipInfo(name, fileName, ClipInfo.reelFor(name), rate, dropFrame, start, frames, recordRun);
    }

    /** Whole frames in {@code nanos}, rounded to the nearest, from the exact rational rate. */
    static long framesIn(long nanos, FrameRate rate) {
        long perFrameScaled = rate.denominator() * 1_000_000_000L;
        return Math.floorDiv(Math.multiplyExact(nanos, rate.numerator()) * 2 + perFrameScaled, 2 * perFrameScaled);
    }

    /** The editor rate that is exactly {@code num / den} and counts {@code base} frames a second. */
    static Optional<FrameRate> editorRate(long num, long den, int base) {
        for (FrameRate r : FrameRate.values()) {
            if (r.numerator() * den == r.denominator() * num && r.countingBase() == base) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The editor rate within 0.1 % of {@code fps} (a regressed rate is not exact). */
    static Optional<FrameRate> nearestRate(double fps) {
        for (FrameRate r : FrameRate.values()) {
            if (Math.abs(r.framesPerSecond() - fps) <= 0.001 * r.framesPerSecond()) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** GoPro writes the gyro in rad/s; a stream that says deg/s is taken as it is. */
    private static double gyroDpsPerUnit(SensorStream gyro) {
        return gyro.units().toLowerCase(Locale.ROOT).startsWith("deg") ? 1 : DEG_PER_RAD;
    }

    /** Whether the mean of {@code grav} and the mean of {@code accl} point within the agreement angle. */
    static boolean agrees(SensorStream grav, SensorStream accl) {
        if (grav.axes() < 3 || grav.samples() == 0 || accl.samples() == 0) {
            return false;
        }
        double[] g = mean(grav);
        double[] a = mean(accl);
        double dot = g[0] * a[0] + g[1] * a[1] + g[2] * a[2];
        double norms =
                Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]) * Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        return norms > 0 && dot / norms >= Math.cos(Math.toRadians(GRAV_AGREEMENT_DEG));
    }

    private static double[] mean(SensorStream s) {
        double[] sum = new double[3];
        for (int i = 0; i < s.samples(); i++) {
            for (int axis = 0; axis < 3; axis++) {
                sum[axis] += s.value(i, axis);
            }
        }
        return sum;
    }

    /** The head turns and whip pans among what {@link RigMotion} reports. */
    private static final class Turns implements MotionSink {
        final List<MotionEvent> events = new ArrayList<>();

        @Override
        public void rollup(Rollup r) {}

        @Override
        public void event(MotionEvent e) {
            if (e.type() == MotionEvent.Type.HEAD_TURN || e.type() == MotionEvent.Type.WHIP_PAN) {
                events.add(e);
            }
        }
    }

    /**
     * A 3-axis stream linearly interpolated at increasing times; held at its first and last sample
     * outside them.
     */
    private static final class Interpolator {
        private final SensorStream s;
        private final long[] t;
        private int next;
        double x;
        double y;
        double z;

        Interpolator(SensorStream s) {
            this.s = s;
            this.t = s.sampleNanos();
        }

        void at(long nanos) {
            while (next < t.length && t[next] <= nanos) {
                next++;
            }
            if (next == 0 || next == t.length) {
                int i = next == 0 ? 0 : t.length - 1;
                set(i, i, 0);
                return;
            }
            int i = next - 1;
            long span = t[next] - t[i];
            set(i, next, span <= 0 ? 0 : (double) (nanos - t[i]) / span);
        }

        private void set(int i, int j, double f) {
            x = s.value(i, 0) + f * (s.value(j, 0) - s.value(i, 0));
            y = s.value(i, 1) + f * (s.value(j, 1) - s.value(i, 1));
            z = s.value(i, 2) + f * (s.value(j, 2) - s.value(i, 2));
        }
    }
}

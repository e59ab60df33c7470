package dev.rigtel.gopro.markers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.export.ClipCandidate;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import dev.rigtel.gopro.Fixtures;
import dev.rigtel.gopro.clip.ClipTelemetry;
import dev.rigtel.gopro.clip.ClipTimecode;
import dev.rigtel.gopro.clip.GoproReader;
import dev.rigtel.gopro.clip.SensorStream;
import dev.rigtel.gopro.gpmf.GpmfEncoder;
import dev.rigtel.gopro.mp4.SyntheticGoproFile;
import dev.rigtel.gopro.mp4.SyntheticGoproFile.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipMarkersTest {

    /** Samples per payload; a payload lasts 1.001 s, so sample k is at k x 5.005 ms. */
    static final int PER_PAYLOAD = 200;

    static final double SAMPLE_SECONDS = 1.001 / PER_PAYLOAD;

    /** GYRO raw counts per rad/s (SCAL 939) and ACCL per m/s^2 (SCAL 418), as the synthetic HERO writes. */
    private static final double GYRO_SCAL = 939;

    private static final double ACCL_SCAL = 418;

    @TempDir
    Path dir;

    /**
     * A HERO-like payload: the camera level (ACCL +z up, 1 g) and turning about +z at {@code yawDps(k)}
     * deg/s for recording sample {@code k}.
     */
    static byte[] payload(long samplesBefore, IntToDoubleFunction yawDps) {
        short[] accl = new short[PER_PAYLOAD * 3];
        short[] gyro = new short[PER_PAYLOAD * 3];
        for (int i = 0; i < PER_PAYLOAD; i++) {
            int k = (int) samplesBefore + i;
            accl[3 * i + 2] = (short) Math.round(9.80665 * ACCL_SCAL);
            gyro[3 * i + 2] = (short) Math.round(Math.toRadians(yawDps.applyAsDouble(k)) * GYRO_SCAL);
        }
        return GpmfEncoder.nest(
                "DEVC",
                GpmfEncoder.u32("DVID", 1),
                GpmfEncoder.text("DVNM", "HERO9 Black"),
                GpmfEncoder.nest(
                        "STRM",
                        GpmfEncoder.u32("TSMP", samplesBefore + PER_PAYLOAD),
                        GpmfEncoder.text("STNM", "Accelerometer"),
                        GpmfEncoder.text("SIUN", "m/s\u00b2"),
                        GpmfEncoder.klv("SCAL", 's', 2, 1, new byte[] {0x01, (byte) 0xa2}),
                        GpmfEncoder.shorts("ACCL", 3, accl)),
                GpmfEncoder.nest(
                        "STRM",
                        GpmfEncoder.u32("TSMP", samplesBefore + PER_PAYLOAD),
                        GpmfEncoder.text("STNM", "Gyroscope"),
                        GpmfEncoder.text("SIUN", "rad/s"),
                        GpmfEncoder.klv("SCAL", 's', 2, 1, new byte[] {0x03, (byte) 0xab}),
                        GpmfEncoder.shorts("GYRO", 3, gyro)));
    }

    /** {@code seconds} payloads of a level camera turning at {@code yawDps(sample)}. */
    static List<byte[]> payloads(int seconds, IntToDoubleFunction yawDps) {
        List<byte[]> payloads = new ArrayList<>();
        for (int p = 0; p < seconds; p++) {
            payloads.add(payload((long) p * PER_PAYLOAD, yawDps));
        }
        return payloads;
    }

    /** {@code dps} from sample {@code from} for {@code millis} ms, still otherwise. */
    static IntToDoubleFunction turn(int from, int millis, double dps) {
        int samples = (int) Math.round(millis / 1000.0 / SAMPLE_SECONDS);
        return k -> k >= from && k < from + samples ? dps : 0;
    }

    /** A GoPro file written by {@link SyntheticGoproFile}: tmcd 15:44:35:10 at 29.97 NDF unless changed. */
    static Path clipWith(Path dir, String name, Spec spec) throws Exception {
        Path file = dir.resolve(name);
        SyntheticGoproFile.write(file, spec);
        return file;
    }

    @Test
    void headTurnLandsOnTheFrameOfItsOnsetInTheClipsSourceTimecode() throws Exception {
        // 200 deg/s for 300 ms from sample 300 (1.5015 s): a 60 deg turn to the left (positive about up).
        Path file = clipWith(dir, "GX010001.MP4", Spec.of(payloads(4, turn(300, 300, 200))));

        ClipMarkers markers = ClipMarkers.of(GoproReader.read(List.of(file)), MotionConfig.defaults());

        assertThat(markers.clip().name()).isEqualTo("GX010001");
        assertThat(markers.clip().fileName()).isEqualTo("GX010001.MP4");
        assertThat(markers.clip().start()).hasToString("15:44:35:10");
        assertThat(markers.clip().recordRun()).isFalse();
        assertThat(markers.vertical()).isEqualTo("ACCL");
        assertThat(markers.warnings()).isEmpty();
        ClipCandidate c = markers.candidates().get(0);
        assertThat(markers.candidates()).hasSize(1);
        // The onset is where the 15 Hz low-passed rate passes 110 deg/s: 1.5015 s + about 10 ms, frame
        // 45.3 at 29.97; 15:44:35:10 + 45 frames.
        assertThat(c.offsetNanos() / 1e9).isCloseTo(1.5015, within(0.015));
        assertThat(c.timecode()).hasToString("15:44:36:25");
        assertThat(c.direction()).isEqualTo("left");
        assertThat(c.whipPan()).isFalse();
        assertThat(c.peakDps()).isCloseTo(200, within(5.0));
        assertThat(c.angleDeg()).isCloseTo(60, within(6.0));
    }

    @Test
    void fastTurnToTheRightIsAWhipPan() throws Exception {
        // -400 deg/s for 200 ms from sample 600 (3.003 s): frame 90.0, 15:44:35:10 + 90 = 15:44:38:10.
        Path file = clipWith(dir, "GX010002.MP4", Spec.of(payloads(5, turn(600, 200, -400))));

        ClipMarkers markers = ClipMarkers.of(GoproReader.read(List.of(file)), MotionConfig.defaults());

        assertThat(markers.candidates()).singleElement().satisfies(c -> {
            assertThat(c.timecode()).hasToString("15:44:38:10");
            assertThat(c.direction()).isEqualTo("right");
            assertThat(c.whipPan()).isTrue();
            assertThat(c.angleDeg()).isCloseTo(80, within(8.0));
        });
    }

    @Test
    void clipWithoutTimecodeCountsRecordRunFromMidnightAndSaysSo() throws Exception {
        Path file = clipWith(
                dir,
                "GX010003.MP4",
                Spec.of(payloads(4, turn(300, 300, 200))).withTimecode(OptionalLong.empty(), false));

        ClipMarkers markers = ClipMarkers.of(GoproReader.read(List.of(file)), MotionConfig.defaults());

        assertThat(markers.clip().recordRun()).isTrue();
        assertThat(markers.clip().start()).isEqualTo(Timecode.parse("00:00:00:00", FrameRate.FPS_29_97, false));
        // the reader's warning, then this one
        assertThat(markers.warnings())
                .hasSize(2)
                .last()
                .asString()
                .contains("GX010003: no timecode track", "record-run", "00:00:00:00", "29.97");
        // frame 45 from 00:00:00:00
        assertThat(markers.candidates()).singleElement().satisfies(c -> assertThat(c.timecode())
                .hasToString("00:00:01:15"));
    }

    @Test
    void recordRunTakesTheRateOfTheShutterStream() {
        ClipTelemetry pal = telemetry(Optional.empty(), List.of(stream("SHUT", 1, 25, 50)));

        List<String> warnings = new ArrayList<>();
        assertThat(ClipMarkers.clipInfo(pal, warnings).rate()).isEqualTo(FrameRate.FPS_25);
        assertThat(warnings).singleElement().asString().contains("25 fps (the SHUT stream's rate)");
    }

    @Test
    void refusesATimecodeRateNoMarkerFormatCountsAt() {
        ClipTelemetry hfr = telemetry(
                Optional.of(new ClipTimecode("10:00:00:00", 120_000, 1001, false, 4_320_000, 120)), List.of());

        assertThatThrownBy(() -> ClipMarkers.of(hfr, MotionConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("120000/1001");
    }

    @Test
    void usesGravityForTheVerticalOnlyWhereItPointsLikeTheAccelerometer() {
        SensorStream accl = stream("ACCL", 3, 200, 400, 0, 0, 9.8);
        assertThat(ClipMarkers.agrees(stream("GRAV", 3, 30, 60, 0.05, 0, 0.99), accl))
                .isTrue();
        // the MAX writes GRAV in other axes than ACCL: (0.02, 0.99, 0.12) against (0.99, 0.03, 0.13)
        assertThat(ClipMarkers.agrees(stream("GRAV", 3, 30, 60, 0, 0.99, 0.12), accl))
                .isFalse();
        assertThat(ClipMarkers.agrees(stream("GRAV", 3, 30, 60, 0, 0, -1), accl))
                .isFalse();

        ClipTelemetry level = telemetry(
                Optional.empty(),
                List.of(
                        stream("ACCL", 3, 200, 400, 0, 0, 9.8),
                        stream("GYRO", 3, 200, 400, 0, 0, 0),
                        stream("GRAV", 3, 30, 60, 0, 0, 1)));
        assertThat(ClipMarkers.of(level, MotionConfig.defaults()).vertical()).isEqualTo("GRAV");
    }

    @Test
    void clipWithoutGyroHasNoCandidatesAndAWarning() {
        ClipTelemetry noGyro = telemetry(Optional.empty(), List.of(stream("ACCL", 3, 200, 400, 0, 0, 9.8)));

        ClipMarkers markers = ClipMarkers.of(noGyro, MotionConfig.defaults());

        assertThat(markers.candidates()).isEmpty();
        assertThat(markers.warnings()).anySatisfy(w -> assertThat(w).contains("no GYRO stream"));
    }

    @Test
    void maxFixtureHasNoTurnAtTheDefaultThresholdsAndItsSlowestTurnLandsOnItsFrame() throws Exception {
        ClipTelemetry max = GoproReader.read(List.of(Fixtures.path("max-heromode.mp4")));

        ClipMarkers markers = ClipMarkers.of(max, MotionConfig.defaults());

        // The camera is handheld and never turns faster than about 100 deg/s about any axis.
        assertThat(markers.candidates()).isEmpty();
        assertThat(markers.clip().start()).hasToString("15:44:35:10");
        assertThat(markers.clip().durationFrames()).isEqualTo(315);
        assertThat(markers.clip().reel()).isEqualTo("max-hero");
        assertThat(markers.vertical()).isEqualTo("ACCL");
        assertThat(markers.warnings()).isEmpty();

        MotionConfig sensitive = MotionConfig.defaults().toBuilder()
                .turnStartDps(40)
                .turnEndDps(15)
                .turnMinAngleDeg(3)
                .whipPanPeakDps(80)
                .build();
        List<ClipCandidate> slow = ClipMarkers.of(max, sensitive).candidates();
        assertThat(slow).isNotEmpty();
        for (ClipCandidate c : slow) {
            long frame = Math.round(c.offsetNanos() * 30_000 / 1001e9);
            assertThat(c.timecode()).isEqualTo(markers.clip().start().plusFrames(frame));
        }
        assertThat(slow.get(0).timecode()).hasToString("15:44:45:15");
    }

    private static ClipTelemetry telemetry(Optional<ClipTimecode> tc, List<SensorStream> streams) {
        return new ClipTelemetry(
                "GX010009",
                List.of(Path.of("GX010009.MP4")),
                Optional.of("HERO9 Black"),
                Optional.empty(),
                Optional.empty(),
                tc,
                2_000_000_000L,
                streams,
                List.of(),
                0);
    }

    /** {@code n} samples at {@code rateHz} from time 0, every sample {@code value}. */
    private static SensorStream stream(String fourcc, int axes, double rateHz, int n, double... value) {
        double[] values = new double[n * axes];
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            nanos[i] = Math.round(i * 1e9 / rateHz);
            for (int a = 0; a < axes; a++) {
                values[i * axes + a] = value.length == 0 ? 0 : value[a];
            }
        }
        return new SensorStream(fourcc, "1", fourcc, "", axes, values, nanos, rateHz, Double.NaN, Double.NaN);
    }
}

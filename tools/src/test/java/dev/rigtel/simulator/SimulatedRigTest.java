package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.ingest.ImuBatch;
import dev.rigtel.collector.ingest.MessageKind;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.RigStatus;
import dev.rigtel.collector.ingest.TimecodeReport;
import dev.rigtel.collector.ingest.json.TimecodeJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatedRigTest {

    private static final WireMapper WIRE = WireMapper.create();
    private static final PayloadDecoder DECODER = new PayloadDecoder(WIRE, 4000);
    private static final Instant RUN_START = Instant.parse("2025-03-14T14:03:27.123456789Z");

    private static SimulatedRig rig(SimulatorOptions options, int rigNumber) {
        return new SimulatedRig(options, rigNumber, SimulatedRig.bootId(options.seed(), rigNumber, 99), WIRE);
    }

    private static SimulatorOptions.Builder options() {
        return SimulatorOptions.builder().rigs(2);
    }

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void imuBatchesDecodeWithTheRightSamplesTimesAndValues(PayloadEncoding encoding) throws Exception {
        SimulatedRig rig = rig(options().encoding(encoding).build(), 2);
        RigMessage message = rig.imuBatch(3);

        assertThat(message.topic()).isEqualTo("rigtel/v1/rig-02/imu");
        assertThat(message.payload()[0] == '{').isEqualTo(encoding == PayloadEncoding.JSON);
        ImuBatch batch = DECODER.imu(rig.rigId(), message.payload());
        assertThat(batch.seq()).isEqualTo(3);
        assertThat(batch.boot()).isEqualTo(rig.boot()).matches("[0-9a-f]{8}");
        assertThat(batch.sampleCount()).isEqualTo(50);
        long firstIndex = 150;
        for (int j = 0; j < 50; j++) {
            assertThat(batch.deviceNanos()[j]).isEqualTo(rig.deviceStartNanos() + (firstIndex + j) * 1_000_000);
            double[] expected = rig.motion().sample(firstIndex + j);
            for (int k = 0; k < 6; k++) {
                if (encoding == PayloadEncoding.PACKED) {
                    // int16 counts: within half a count of the motion, and exactly what the rig says it sent.
                    double halfCount = (k < 3 ? 16 * 9.80665 : 2000) / 32768.0 / 2;
                    assertThat(batch.values()[j * 6 + k])
                            .isCloseTo(expected[k], org.assertj.core.data.Offset.offset(halfCount))
                            .isEqualTo(message.samples()[j][k]);
                } else {
                    assertThat(batch.values()[j * 6 + k]).isEqualTo(expected[k]);
                }
            }
        }
        assertThat(message.firstSampleDeviceNanos()).isEqualTo(batch.deviceNanos()[0]);
        assertThat(message.lastSampleDeviceNanos()).isEqualTo(batch.lastDeviceNanos());
        assertThat(rig.imuBatchDueNanos(3)).isEqualTo(200_000_000);
    }

    @Test
    void deviceClockStartsAfter5To60SecondsOfUptime() {
        for (int n = 1; n <= 13; n++) {
            assertThat(rig(options().rigs(13).build(), n).deviceStartNanos())
                    .isBetween(5_000_000_000L, 60_000_000_000L)
                    .isEqualTo(rig(options().rigs(13).build(), n).deviceStartNanos());
        }
    }

    @Test
    void batchesFollowEachOtherWithoutGapOrOverlapAtAnOddRate() throws Exception {
        // 833 Hz: dt_ns = 1200480 is not a whole number of microseconds.
        SimulatedRig rig = rig(
                options().sampleRateHz(833).batchLength(Duration.ofMillis(20)).build(), 1);
        List<Long> times = new ArrayList<>();
        for (long k = 0; k < 500; k++) {
            ImuBatch batch = DECODER.imu(rig.rigId(), rig.imuBatch(k).payload());
            assertThat(batch.seq()).isEqualTo(k);
            for (long t : batch.deviceNanos()) {
                times.add(t);
            }
        }
        // 500 batches of 20 ms = 10 s: the samples at i * 1200480 ns below 10 s, each within 1 us of its
        // exact time. 8330 * 1200480 ns = 9.9999984 s, so there are 8331.
        assertThat(times).hasSize(8331);
        for (int i = 0; i < times.size(); i++) {
            long exact = rig.deviceStartNanos() + i * 1_200_480L;
            assertThat(times.get(i)).isBetween(exact - 999, exact);
            if (i > 0) {
                assertThat(times.get(i)).isGreaterThan(times.get(i - 1));
            }
        }
    }

    static Stream<Arguments> timecodeRates() {
        List<Arguments> rates = new ArrayList<>();
        for (FrameRate rate : FrameRate.values()) {
            rates.add(Arguments.of(rate, false, PayloadEncoding.JSON));
            rates.add(Arguments.of(rate, false, PayloadEncoding.CBOR));
            if (rate.dropFrameAllowed()) {
                rates.add(Arguments.of(rate, true, PayloadEncoding.JSON));
                rates.add(Arguments.of(rate, true, PayloadEncoding.CBOR));
            }
        }
        return rates.stream();
    }

    @ParameterizedTest
    @MethodSource("timecodeRates")
    void timecodeReportsCarryValidLabelsPairedWithTheFramesDeviceTime(
            FrameRate rate, boolean dropFrame, PayloadEncoding encoding) throws Exception {
        SimulatorOptions options = options()
                .timecodeRate(rate)
                .timecodeDropFrame(dropFrame)
                .encoding(encoding)
                .timecodeInterval(Duration.ofMillis(1000))
                .build();
        SimulatedRig rig = rig(options, 1);
        long frameNanos = rate.denominator() * 1_000_000_000L / rate.numerator() + 1;
        for (long k = 0; k < 30; k++) {
            RigMessage message = rig.timecodeReport(k, RUN_START);
            assertThat(message.topic()).isEqualTo("rigtel/v1/rig-01/timecode");
            TimecodeReport report = DECODER.timecode(rig.rigId(), message.payload());
            assertThat(report.seq()).isEqualTo(k);
            assertThat(report.timecode().rate()).isEqualTo(rate);
            assertThat(report.timecode().dropFrame()).isEqualTo(dropFrame);
            assertThat(report.shootingDate()).contains(LocalDate.of(2025, 3, 14));

            Instant wall = RUN_START.plusSeconds(k);
            long timeOfDayNanos = (wall.getEpochSecond() % 86_400) * 1_000_000_000L + wall.getNano();
            long frameStartNanos = report.timecode().realTimeNanos();
            assertThat(frameStartNanos).isLessThanOrEqualTo(timeOfDayNanos).isGreaterThan(timeOfDayNanos - frameNanos);
            long expectedDeviceNanos = rig.deviceStartNanos() + k * 1_000_000_000L - (timeOfDayNanos - frameStartNanos);
            assertThat(report.deviceNanos()).isBetween(expectedDeviceNanos - 999, expectedDeviceNanos);
        }
    }

    /** Frame {@code j} of a decoded report: its label on its date, as the collector expands them. */
    private static DatedTimecode frame(TimecodeReport report, int j) {
        return new DatedTimecode(report.shootingDate().orElseThrow(), report.timecode()).plusFrames(j);
    }

    private static long frameDeviceNanos(TimecodeReport report, int j) {
        return j == 0 ? report.deviceNanos() : report.nextDeviceNanos()[j - 1];
    }

    /**
     * What frame {@code j} of report {@code k} must carry: the device time at which the frame began
     * in true time, plus that frame's jitter, truncated to the microsecond.
     */
    private static long expectedDeviceNanos(SimulatedRig rig, Instant runStart, DatedTimecode frame, long k, int j) {
        long runStartNanos = runStart.getEpochSecond() * 1_000_000_000L + runStart.getNano();
        long elapsed = frame.utcNanos(ZoneOffset.UTC) - runStartNanos;
        return Math.floorDiv(rig.deviceNanosAt(elapsed) + rig.timecodeJitterNanos(k, j), 1000) * 1000;
    }

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void batchedTimecodeReportsPairConsecutiveFramesNoneMissingOrRepeated(PayloadEncoding encoding) throws Exception {
        SimulatorOptions options = options()
                .encoding(encoding)
                .timecodeFrames(5)
                .timecodeInterval(Duration.ofMillis(200))
                .build();
        SimulatedRig rig = rig(options, 1);
        DatedTimecode previousFirst = null;
        long previousLastDevice = 0;
        for (long k = 0; k < 50; k++) {
            RigMessage message = rig.timecodeReport(k, RUN_START);
            TimecodeReport report = DECODER.timecode(rig.rigId(), message.payload());
            assertThat(report.seq()).isEqualTo(k);
            assertThat(report.frameCount()).isEqualTo(5);
            // The last frame began at or before the report's moment, and is the newest that did.
            Instant moment = RUN_START.plusMillis(200 * k);
            assertThat(frame(report, 4).timecode())
                    .as("report %d ends with the frame of its moment", k)
                    .isEqualTo(SimulatedRig.TimecodeFrame.beganAtOrBefore(moment, FrameRate.FPS_25, false)
                            .timecode());
            if (previousFirst != null) {
                assertThat(frame(report, 0)).isEqualTo(previousFirst.plusFrames(5));
                assertThat(report.deviceNanos() - previousLastDevice).isBetween(39_999_000L, 40_001_000L);
            }
            for (int j = 0; j < 5; j++) {
                assertThat(frameDeviceNanos(report, j))
                        .as("report %d frame %d", k, j)
                        .isEqualTo(expectedDeviceNanos(rig, RUN_START, frame(report, j), k, j));
                if (j > 0) {
                    assertThat(frameDeviceNanos(report, j) - frameDeviceNanos(report, j - 1))
                            .isBetween(39_999_000L, 40_001_000L);
                }
            }
            previousFirst = frame(report, 0);
            previousLastDevice = report.lastDeviceNanos();
        }
    }

    static Stream<Arguments> batchedCountings() {
        return Stream.of(
                // Drop-frame: 30 frames of 29.97 last 1001 ms; minute 1 has no ;00 and ;01.
                Arguments.of(
                        FrameRate.FPS_29_97, true, 30, 1001, "2025-03-14T14:00:57.3Z", "14:00:59;29", "14:01:00;02"),
                // Midnight: the labels wrap and the date moves on inside one report.
                Arguments.of(FrameRate.FPS_25, false, 5, 200, "2025-03-14T23:59:59.5Z", "23:59:59:24", "00:00:00:00"));
    }

    @ParameterizedTest
    @MethodSource("batchedCountings")
    void batchedTimecodeReportsCountAsTheGeneratorDoes(
            FrameRate rate,
            boolean dropFrame,
            int frames,
            int intervalMillis,
            String start,
            String before,
            String after)
            throws Exception {
        Instant runStart = Instant.parse(start);
        SimulatorOptions options = options()
                .timecodeRate(rate)
                .timecodeDropFrame(dropFrame)
                .timecodeFrames(frames)
                .timecodeInterval(Duration.ofMillis(intervalMillis))
                .clockDriftPpm(40)
                .clockJitterMicros(300)
                .build();
        SimulatedRig rig = rig(options, 1);
        List<DatedTimecode> labels = new ArrayList<>();
        List<Long> deviceNanos = new ArrayList<>();
        for (long k = 0; k < 8; k++) {
            TimecodeReport report = DECODER.timecode(
                    rig.rigId(), rig.timecodeReport(k, runStart).payload());
            assertThat(report.frameCount()).isEqualTo(frames);
            for (int j = 0; j < frames; j++) {
                DatedTimecode frame = frame(report, j);
                assertThat(frameDeviceNanos(report, j))
                        .as("report %d frame %d (%s)", k, j, frame)
                        .isEqualTo(expectedDeviceNanos(rig, runStart, frame, k, j));
                labels.add(frame);
                deviceNanos.add(frameDeviceNanos(report, j));
            }
        }
        int crossing = -1;
        for (int i = 1; i < labels.size(); i++) {
            assertThat(labels.get(i)).isEqualTo(labels.get(i - 1).plusFrames(1));
            if (labels.get(i - 1).timecode().toString().equals(before)) {
                crossing = i;
            }
        }
        assertThat(crossing).as("the reports pass %s", before).isPositive();
        assertThat(labels.get(crossing).timecode().toString()).isEqualTo(after);
        if (!dropFrame) {
            assertThat(labels.get(crossing).shootingDate())
                    .isEqualTo(labels.get(0).shootingDate().plusDays(1));
        }
    }

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void oneFrameTimecodeReportsAreAsBefore(PayloadEncoding encoding) throws Exception {
        SimulatorOptions options = options()
                .encoding(encoding)
                .clockDriftPpm(15)
                .clockJitterMicros(300)
                .timecodeInterval(Duration.ofMillis(40))
                .build();
        SimulatedRig rig = rig(options, 2);
        for (long k = 0; k < 20; k++) {
            long elapsed = k * 40_000_000L;
            SimulatedRig.TimecodeFrame frame =
                    SimulatedRig.TimecodeFrame.beganAtOrBefore(RUN_START.plusNanos(elapsed), FrameRate.FPS_25, false);
            long device = rig.deviceNanosAt(elapsed - frame.nanosSinceStart()) + rig.timecodeJitterNanos(k);
            TimecodeJson before = new TimecodeJson(
                    PayloadDecoder.CONTRACT_VERSION,
                    k,
                    rig.boot(),
                    frame.timecode().toString(),
                    "25",
                    false,
                    Math.floorDiv(device, 1000),
                    frame.date().toString(),
                    null);
            byte[] payload = rig.timecodeReport(k, RUN_START).payload();
            assertThat(payload).isEqualTo(encoding.encode(WIRE, before));
            assertThat(DECODER.timecode(rig.rigId(), payload).frameCount()).isEqualTo(1);
            assertThat(rig.timecodeJitterNanos(k, 0)).isEqualTo(rig.timecodeJitterNanos(k));
        }
        String json = new String(
                rig(options().build(), 2).timecodeReport(3, RUN_START).payload());
        assertThat(json).doesNotContain("next_us").contains("\"tc\":\"14:03:30:03\"");
    }

    @Test
    void eachFrameOfABatchedReportHasItsOwnJitter() {
        SimulatedRig rig = rig(
                options()
                        .timecodeFrames(5)
                        .timecodeInterval(Duration.ofMillis(200))
                        .clockJitterMicros(500)
                        .build(),
                1);
        List<Long> jitters = new ArrayList<>();
        for (int j = 0; j < 5; j++) {
            jitters.add(rig.timecodeJitterNanos(7, j));
        }
        assertThat(jitters).doesNotHaveDuplicates().allMatch(nanos -> Math.abs(nanos) < 5 * 500_000);
        assertThat(jitters.get(0)).isEqualTo(rig.timecodeJitterNanos(7));
    }

    @Test
    void timecodeMatchesAHandComputedLabel() {
        // 14:03:27.123456789 at 25 fps: frame 3 of second 14:03:27 began at .120.
        SimulatedRig.TimecodeFrame frame =
                SimulatedRig.TimecodeFrame.beganAtOrBefore(RUN_START, FrameRate.FPS_25, false);
        assertThat(frame.timecode().toString()).isEqualTo("14:03:27:03");
        assertThat(frame.nanosSinceStart()).isEqualTo(3_456_789);

        // 17982 frames of 29.97 (the 10:00;00 label in DF) last 17982 * 1001 / 30000 = 599.9994 s, so at
        // 00:10:00.000 frame 17982 began 600 us ago.
        Instant tenPast = Instant.parse("2025-03-14T00:10:00Z");
        SimulatedRig.TimecodeFrame df = SimulatedRig.TimecodeFrame.beganAtOrBefore(tenPast, FrameRate.FPS_29_97, true);
        assertThat(df.timecode()).isEqualTo(Timecode.fromFrameNumber(17982, FrameRate.FPS_29_97, true));
        assertThat(df.timecode().toString()).isEqualTo("00:10:00;00");
        assertThat(df.nanosSinceStart()).isEqualTo(600_000);
        assertThat(df.date()).isEqualTo(LocalDate.of(2025, 3, 14));
    }

    @ParameterizedTest
    @EnumSource(PayloadEncoding.class)
    void statusReportsDecodeWithPlausibleValues(PayloadEncoding encoding) throws Exception {
        SimulatedRig rig = rig(options().encoding(encoding).build(), 1);
        RigStatus first = DECODER.status(rig.rigId(), rig.status(0).payload());
        RigStatus later = DECODER.status(rig.rigId(), rig.status(120).payload());

        assertThat(rig.status(0).topic()).isEqualTo("rigtel/v1/rig-01/status");
        assertThat(first.seq()).isZero();
        assertThat(first.deviceNanos()).isEqualTo(rig.deviceStartNanos());
        assertThat(first.batteryPercent().getAsDouble()).isBetween(80.0, 100.0);
        assertThat(later.batteryPercent().getAsDouble())
                .isLessThan(first.batteryPercent().getAsDouble());
        assertThat(first.batteryVolts().getAsDouble()).isBetween(3.3, 4.2);
        assertThat(first.temperatureCelsius().getAsDouble()).isBetween(30.0, 45.0);
        assertThat(first.wifiRssiDbm().getAsInt()).isBetween(-90, -40);
        assertThat(first.recording()).contains(true);
        assertThat(first.imuRateHz().getAsDouble()).isEqualTo(1000.0);
        assertThat(first.accelRangeG().getAsInt()).isEqualTo(16);
        assertThat(first.gyroRangeDps().getAsInt()).isEqualTo(2000);
        assertThat(first.firmware()).contains("sim-1.0");
        assertThat(later.deviceNanos()).isEqualTo(rig.deviceStartNanos() + 600_000_000_000L);
    }

    @Test
    void everyProfileDecodesAtTheHighestRate() throws Exception {
        for (MotionProfile profile : MotionProfile.values()) {
            SimulatedRig rig = rig(
                    options()
                            .profile(profile)
                            .sampleRateHz(4000)
                            .batchLength(Duration.ofSeconds(1))
                            .build(),
                    1);
            for (long k = 0; k < 10; k++) {
                RigMessage message = rig.imuBatch(k);
                assertThat(message.payload().length).isLessThan(262_144);
                assertThat(DECODER.imu(rig.rigId(), message.payload()).sampleCount())
                        .isEqualTo(4000);
            }
        }
    }

    @Test
    void bootIdsDifferBetweenRunsAndRigs() {
        assertThat(SimulatedRig.bootId(42, 1, 1))
                .matches("[0-9a-f]{8}")
                .isNotEqualTo(SimulatedRig.bootId(42, 1, 2))
                .isNotEqualTo(SimulatedRig.bootId(42, 2, 1))
                .isEqualTo(SimulatedRig.bootId(42, 1, 1));
        assertThat(rig(options().build(), 1).imuBatch(0).kind()).isEqualTo(MessageKind.IMU);
        assertThat(new RigId("rig-01")).isEqualTo(rig(options().build(), 1).rigId());
    }
}

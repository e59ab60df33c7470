package dev.rigtel.collector.timecode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ClockAlignerTest {

    private static final Logger log = LoggerFactory.getLogger(ClockAlignerTest.class);

    private static final ZoneId ZONE = ZoneId.of("Europe/London");
    private static final LocalDate SHOOTING_DAY = LocalDate.of(2024, 6, 14);
    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final double JITTER_SIGMA_NANOS = 200_000; // on the reported t_us
    private static final Duration TAKE = Duration.ofMinutes(7);
    /** Receipt lags the frame by network and queueing; only silence detection looks at it. */
    private static final long RECEIVE_LAG_NANOS = 30 * MILLI;

    /**
     * A rig's device clock against production time: {@code production = productionAtZero + b *
     * (device - deviceAtZero)} with {@code b = 1 + driftPpm * 1e-6}, the convention of {@link
     * ClockState#driftPpm()} (positive: the device clock runs slow).
     */
    private record SimulatedClock(double driftPpm, long deviceAtZero, long productionAtZero) {

        long productionAt(long deviceNanos) {
            long d = deviceNanos - deviceAtZero;
            return productionAtZero + d + Math.round(d * driftPpm * 1e-6);
        }

        long deviceAt(long productionNanos) {
            long p = productionNanos - productionAtZero;
            return deviceAtZero + p - Math.round(p * (driftPpm * 1e-6) / (1 + driftPpm * 1e-6));
        }

        static SimulatedClock random(double driftPpm, DatedTimecode start, Random random) {
            long deviceAtBoot = (1 + random.nextInt(3600)) * SECOND + random.nextInt(1_000_000_000);
            return new SimulatedClock(driftPpm, deviceAtBoot, start.utcNanos(ZONE));
        }
    }

    /** Max and RMS of |mapped - true| in nanoseconds over the checked device times. */
    private static final class Errors {
        double maxNanos;
        double sumSquares;
        int count;

        void add(long errorNanos) {
            maxNanos = Math.max(maxNanos, Math.abs(errorNanos));
            sumSquares += (double) errorNanos * errorNanos;
            count++;
        }

        double rmsNanos() {
            return Math.sqrt(sumSquares / count);
        }

        @Override
        public String toString() {
            return String.format(
                    "max %.1f us, rms %.1f us over %d device times", maxNanos / 1e3, rmsNanos() / 1e3, count);
        }
    }

    /** One report: the frame at {@code tc} began at {@code deviceNanos} (t_us * 1000). */
    private record Report(long deviceNanos, long trueDeviceNanos, long tcNanos, long nowNanos) {}

    /**
     * Reports of a take: every {@code framesPerReport}-th frame from {@code start}, t_us with gaussian
     * jitter and truncated to the microsecond as a rig sends it.
     */
    private static List<Report> reports(
            SimulatedClock clock,
            DatedTimecode start,
            Duration length,
            int framesPerReport,
            double jitterNanos,
            Random random) {
        FrameRate rate = start.timecode().rate();
        long frames = length.toNanos() * rate.numerator() / (rate.denominator() * SECOND);
        List<Report> reports = new ArrayList<>();
        for (long k = 0; k < frames; k += framesPerReport) {
            long tc = start.plusFrames(k).utcNanos(ZONE);
            long trueDevice = clock.deviceAt(tc);
            long jittered = trueDevice + Math.round(random.nextGaussian() * jitterNanos);
            long reported = Math.floorDiv(jittered, 1000) * 1000;
            reports.add(new Report(reported, trueDevice, tc, tc + RECEIVE_LAG_NANOS));
        }
        return reports;
    }

    private static DatedTimecode takeStart(FrameRate rate, boolean df, Random random) {
        long frame = random.nextInt((int) (Timecode.framesPerDay(rate, df) / 2)) + Timecode.framesPerDay(rate, df) / 4;
        return new DatedTimecode(SHOOTING_DAY, Timecode.fromFrameNumber(frame, rate, df));
    }

    /**
     * Feeds the reports and, from {@code settleNanos} into the take, checks the mapping at four device
     * times from each report up to the next (where the IMU samples between reports fall) against
     * {@code truth}.
     */
    private static Errors feed(
            ClockAligner aligner,
            List<Report> reports,
            long settleNanos,
            LongUnaryOperator truth,
            List<ClockAlert> alerts) {
        Errors errors = new Errors();
        long takeStart = reports.get(0).tcNanos();
        for (int i = 0; i < reports.size(); i++) {
            Report report = reports.get(i);
            alerts.addAll(aligner.observe(report.deviceNanos(), report.tcNanos(), report.nowNanos()));
            if (report.tcNanos() - takeStart < settleNanos || i + 1 == reports.size()) {
                continue;
            }
            long interval = reports.get(i + 1).trueDeviceNanos() - report.trueDeviceNanos();
            for (int j = 0; j < 4; j++) {
                long device = report.trueDeviceNanos() + j * interval / 4;
                errors.add(aligner.toProductionNanos(device).orElseThrow() - truth.applyAsLong(device));
            }
        }
        return errors;
    }

    static Stream<Arguments> takes() {
        return Stream.of(
                Arguments.of(FrameRate.FPS_25, false, 40.0, 1),
                Arguments.of(FrameRate.FPS_25, false, -40.0, 1),
                Arguments.of(FrameRate.FPS_25, false, 40.0, 25),
                Arguments.of(FrameRate.FPS_25, false, -40.0, 25),
                Arguments.of(FrameRate.FPS_59_94, true, 40.0, 1),
                Arguments.of(FrameRate.FPS_59_94, true, -40.0, 60),
                Arguments.of(FrameRate.FPS_23_976, false, -40.0, 1),
                Arguments.of(FrameRate.FPS_23_976, false, 40.0, 24),
                Arguments.of(FrameRate.FPS_29_97, true, 25.0, 1),
                Arguments.of(FrameRate.FPS_29_97, false, -10.0, 30));
    }

    @ParameterizedTest(name = "{0} df={1} {2} ppm, a report every {3} frames")
    @MethodSource("takes")
    void keepsAJitteryDriftingRigWithinAMillisecondOverATake(
            FrameRate rate, boolean df, double driftPpm, int framesPerReport) {
        Random random = new Random(Double.hashCode(driftPpm) * 31L + framesPerReport * 7L + rate.ordinal());
        DatedTimecode start = takeStart(rate, df, random);
        SimulatedClock clock = SimulatedClock.random(driftPpm, start, random);
        ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), rate);
        List<ClockAlert> alerts = new ArrayList<>();

        Errors errors = feed(
                aligner,
                reports(clock, start, TAKE, framesPerReport, JITTER_SIGMA_NANOS, random),
                10 * SECOND,
                clock::productionAt,
                alerts);

        ClockState state = aligner.state();
        log.info(
                "{} fps{} {} ppm, report every {} frames: {}; drift {} ppm, residual rms {} us, {} pairs, {} outliers",
                rate.label(),
                df ? " DF" : "",
                driftPpm,
                framesPerReport,
                errors,
                String.format("%.3f", state.driftPpm()),
                String.format("%.1f", state.residualRmsNanos() / 1e3),
                state.pairsInFit(),
                state.outliersRejected());
        assertThat(errors.maxNanos).as("max alignment error, ns").isLessThan(1_000_000);
        assertThat(state.lock()).isEqualTo(LockState.LOCKED);
        // The sample RMS of 60 pairs (one a second) scatters by about 10 %.
        assertThat(state.residualRmsNanos()).isBetween(150_000.0, framesPerReport == 1 ? 250_000.0 : 300_000.0);
        // A 60 s window of reports with 200 us jitter fixes the slope to 0.3 ppm (1 sigma) at every
        // frame, but only to 1.5 ppm at one report a second (200 us / (60 s * sqrt(60 / 12))).
        assertThat(state.driftPpm()).isCloseTo(driftPpm, within(framesPerReport == 1 ? 1.0 : 5.0));
        // DRIFT when a once-synced rig would be half a frame off within a 7-minute take.
        boolean drifts = Math.abs(driftPpm) * 1e-6 * TAKE.toSeconds() * rate.framesPerSecond() >= 0.5;
        assertThat(alerts)
                .extracting(ClockAlert::type)
                .containsExactlyElementsOf(drifts ? List.of(ClockAlert.Type.DRIFT) : List.of());
    }

    @Test
    void aLongerWindowPinsTheDriftOfARigReportingOncePerSecond() {
        Random random = new Random(7);
        DatedTimecode start = takeStart(FrameRate.FPS_25, false, random);
        SimulatedClock clock = SimulatedClock.random(40, start, random);
        ClockAligner aligner =
                new ClockAligner(AlignerOptions.defaults().withWindow(Duration.ofMinutes(5)), FrameRate.FPS_25);

        Errors errors = feed(
                aligner,
                reports(clock, start, TAKE, 25, JITTER_SIGMA_NANOS, random),
                10 * SECOND,
                clock::productionAt,
                new ArrayList<>());

        log.info(
                "25 fps 40 ppm, report every 25 frames, 5 min window: {}; drift {} ppm",
                errors,
                String.format("%.3f", aligner.state().driftPpm()));
        assertThat(errors.maxNanos).isLessThan(1_000_000);
        assertThat(aligner.state().driftPpm()).isCloseTo(40, within(1.0));
    }

    @Test
    void mapsPerfectDataToTheNanosecondAtRealEpochValues() {
        DatedTimecode start = new DatedTimecode(SHOOTING_DAY, Timecode.parse("14:03:27;12", FrameRate.FPS_29_97, true));
        SimulatedClock clock = new SimulatedClock(37.5, 987_654_321_987L, start.utcNanos(ZONE));
        ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_29_97);
        long last = 0;
        for (long k = 0; k < 30 * 120; k++) {
            long tc = start.plusFrames(k).utcNanos(ZONE);
            last = clock.deviceAt(tc);
            aligner.observe(last, tc, tc);
        }
        Errors errors = new Errors();
        for (long device = last - 60 * SECOND; device < last + 300 * SECOND; device += SECOND / 3) {
            errors.add(aligner.toProductionNanos(device).orElseThrow() - clock.productionAt(device));
        }
        log.info("perfect 37.5 ppm data, 60 s back to 5 min ahead: max {} ns", errors.maxNanos);
        assertThat(errors.maxNanos).isLessThanOrEqualTo(5);
        assertThat(aligner.state().driftPpm()).isCloseTo(37.5, within(1e-3));
    }

    @Test
    void hasNoMappingUntilItLocks() {
        ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        assertThat(aligner.toProductionNanos(SECOND)).isEmpty();
        assertThat(aligner.toProductionNanos(SECOND, 42)).isEqualTo(42);
        assertThat(aligner.state().lock()).isEqualTo(LockState.UNLOCKED);
        assertThat(aligner.state().lastReportNanos()).isEqualTo(Long.MIN_VALUE);
        long tc0 = 1_718_370_000L * SECOND;
        for (int k = 0; k < 7; k++) {
            assertThat(aligner.observe(SECOND + k * 40 * MILLI, tc0 + k * 40 * MILLI, tc0 + k * 40 * MILLI))
                    .isEmpty();
            assertThat(aligner.hasFit()).isFalse();
        }
        aligner.observe(SECOND + 7 * 40 * MILLI, tc0 + 7 * 40 * MILLI, tc0 + 7 * 40 * MILLI);
        assertThat(aligner.state().lock()).isEqualTo(LockState.LOCKED);
        assertThat(aligner.toProductionNanos(2 * SECOND)).hasValue(tc0 + SECOND);
        assertThat(aligner.toProductionNanos(2 * SECOND, 42)).isEqualTo(tc0 + SECOND);
    }

    static Stream<Arguments> jumps() {
        return Stream.of(
                // +10 s at every frame; a re-jam to another hour (and 7 frames) at one report a second;
                // a re-jam 12 ms (0.3 frames) off, under the one-frame jump threshold.
                Arguments.of(1, 10 * SECOND, 250.0),
                Arguments.of(25, -(3600 * SECOND) + 7 * 40 * MILLI, -89_993.0),
                Arguments.of(1, 12 * MILLI, 0.3));
    }

    @ParameterizedTest(name = "a report every {0} frames, jump {1} ns")
    @MethodSource("jumps")
    void detectsATimecodeJumpOnceAndFollowsItWithinTheConfirmations(
            int framesPerReport, long jumpNanos, double jumpFrames) {
        Random random = new Random(11);
        DatedTimecode start = takeStart(FrameRate.FPS_25, false, random);
        SimulatedClock clock = SimulatedClock.random(40, start, random);
        ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        List<Report> reports = reports(clock, start, TAKE, framesPerReport, JITTER_SIGMA_NANOS, random);
        long jumpAt = reports.get(0).tcNanos() + 2 * 60 * SECOND;
        List<ClockAlert> alerts = new ArrayList<>();
        Errors after = new Errors();
        int confirmations = Math.abs(jumpFrames) < 1
                ? ClockAligner.STEP_CONFIRMATIONS
                : AlignerOptions.defaults().jumpConfirmations();
        int reportsSinceJump = 0;
        for (int i = 0; i < reports.size() - 1; i++) {
            Report report = reports.get(i);
            boolean jumped = report.tcNanos() >= jumpAt;
            long shift = jumped ? jumpNanos : 0;
            alerts.addAll(aligner.observe(report.deviceNanos(), report.tcNanos() + shift, report.nowNanos()));
            if (jumped) {
                reportsSinceJump++;
            }
            if (!aligner.hasFit()) {
                continue;
            }
            long probe =
                    report.trueDeviceNanos() + (reports.get(i + 1).trueDeviceNanos() - report.trueDeviceNanos()) / 2;
            long error = aligner.toProductionNanos(probe).orElseThrow() - clock.productionAt(probe);
            if (reportsSinceJump >= confirmations) {
                after.add(error - shift); // follows the new timecode from the confirming report on
            } else if (report.tcNanos() - reports.get(0).tcNanos() > 10 * SECOND) {
                assertThat(Math.abs(error)).as("before the jump is confirmed").isLessThan(MILLI);
            }
        }
        log.info("jump of {} frames, a report every {} frames: after the jump {}", jumpFrames, framesPerReport, after);
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.type()).isEqualTo(ClockAlert.Type.TIMECODE_JUMP);
            assertThat(alert.type().tag()).isEqualTo("timecode-jump");
            assertThat(alert.value()).isCloseTo(jumpFrames, within(0.1));
        });
        assertThat(after.maxNanos).isLessThan(MILLI);
        assertThat(aligner.state().driftPpm()).isCloseTo(40, within(5.0));
    }

    static Stream<Arguments> batchedJumps() {
        return Stream.of(
                Arguments.of(10 * SECOND, 250.0), // off the fit by more than a frame: confirmed, then a jump
                Arguments.of(12 * MILLI, 0.3)); // a step under a frame: 16 outliers in a row
    }

    /**
     * Every frame reported, five to a message (firmware-notes' batched report), fed with one {@link
     * ClockAligner#observe(long[], long[], long)} a message: one refit a message, yet the lock, the
     * mapping, the outliers and a jump or step inside a message come out as frame by frame.
     */
    @ParameterizedTest(name = "jump {0} ns")
    @MethodSource("batchedJumps")
    void aBatchedReportIsJudgedAsItsFramesOneByOne(long jumpNanos, double jumpFrames) {
        Random random = new Random(17);
        DatedTimecode start = takeStart(FrameRate.FPS_25, false, random);
        SimulatedClock clock = SimulatedClock.random(-40, start, random);
        List<Report> reports = reports(clock, start, Duration.ofMinutes(4), 1, JITTER_SIGMA_NANOS, random);
        long jumpAt = reports.get(0).tcNanos() + 2 * 60 * SECOND + 2 * 40 * MILLI; // inside a message
        ClockAligner oneByOne = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        ClockAligner batched = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        List<ClockAlert> oneByOneAlerts = new ArrayList<>();
        List<ClockAlert> batchedAlerts = new ArrayList<>();
        int framesPerMessage = 5;
        double maxDifferenceNanos = 0;
        double maxErrorAfterNanos = 0;
        for (int from = 0; from + framesPerMessage < reports.size(); from += framesPerMessage) {
            long[] device = new long[framesPerMessage];
            long[] tc = new long[framesPerMessage];
            long now = reports.get(from + framesPerMessage - 1).nowNanos();
            for (int k = 0; k < framesPerMessage; k++) {
                Report report = reports.get(from + k);
                device[k] = report.deviceNanos();
                tc[k] = report.tcNanos() + (report.tcNanos() >= jumpAt ? jumpNanos : 0);
                oneByOneAlerts.addAll(oneByOne.observe(device[k], tc[k], now));
            }
            batchedAlerts.addAll(batched.observe(device, tc, now));
            assertThat(batched.state().lock()).isEqualTo(oneByOne.state().lock());
            if (!batched.hasFit()) {
                continue;
            }
            long probe = reports.get(from + framesPerMessage).trueDeviceNanos();
            long mapped = batched.toProductionNanos(probe).orElseThrow();
            maxDifferenceNanos = Math.max(
                    maxDifferenceNanos,
                    Math.abs(mapped - oneByOne.toProductionNanos(probe).orElseThrow()));
            if (reports.get(from).tcNanos() > jumpAt + 5 * SECOND) {
                long truth = clock.productionAt(probe) + jumpNanos;
                maxErrorAfterNanos = Math.max(maxErrorAfterNanos, Math.abs(mapped - truth));
            }
        }
        log.info(
                "batched reports, jump of {} frames: mapping within {} ns of frame by frame, {} ns of the truth after",
                jumpFrames,
                maxDifferenceNanos,
                maxErrorAfterNanos);
        assertThat(oneByOneAlerts).singleElement().satisfies(alert -> assertThat(alert.type())
                .isEqualTo(ClockAlert.Type.TIMECODE_JUMP));
        assertThat(batchedAlerts).singleElement().satisfies(alert -> {
            assertThat(alert.type()).isEqualTo(ClockAlert.Type.TIMECODE_JUMP);
            assertThat(alert.value()).isCloseTo(jumpFrames, within(0.1));
        });
        assertThat(maxErrorAfterNanos).isLessThan(MILLI);
        // Away from the jump both fits see the same pairs; they differ by the frames still to be refitted.
        long last = reports.get(reports.size() - 1).trueDeviceNanos();
        assertThat((double) batched.toProductionNanos(last).orElseThrow())
                .isCloseTo((double) oneByOne.toProductionNanos(last).orElseThrow(), within(20_000.0));
        assertThat(batched.state().pairsInFit()).isCloseTo(oneByOne.state().pairsInFit(), within(5));
        assertThat(batched.state().outliersRejected())
                .isCloseTo(oneByOne.state().outliersRejected(), within(3));
    }

    /** A report of more frames than the window holds evicts its own first frames and still fits. */
    @Test
    void aReportLongerThanTheWindowKeepsItsNewestFrames() {
        // 100 pairs at most; a loss after 30 s of silence, as the reports are 6 s of frames each.
        AlignerOptions options = new AlignerOptions(
                Duration.ofSeconds(60),
                100,
                8,
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Duration.ofMinutes(7),
                3);
        ClockAligner aligner = new ClockAligner(options, FrameRate.FPS_25);
        long tc0 = 1_700_000_000L * SECOND;
        for (int report = 0; report < 3; report++) {
            long[] device = new long[150];
            long[] tc = new long[150];
            for (int k = 0; k < device.length; k++) {
                long frame = report * 150L + k;
                device[k] = SECOND + frame * 40 * MILLI;
                tc[k] = tc0 + frame * 40 * MILLI;
            }
            assertThat(aligner.observe(device, tc, tc[tc.length - 1])).isEmpty();
        }
        assertThat(aligner.state().lock()).isEqualTo(LockState.LOCKED);
        assertThat(aligner.state().pairsInFit()).isEqualTo(100);
        assertThat(aligner.toProductionNanos(SECOND + 500 * 40 * MILLI)).hasValue(tc0 + 500 * 40 * MILLI);
    }

    @Test
    void refusesABatchWhoseTimesDifferInLength() {
        ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        assertThatThrownBy(() -> aligner.observe(new long[2], new long[3], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differ in length");
    }

    @Test
    void aLoneOutlierIsCountedAndDoesNotMoveTheMapping() {
        Random random = new Random(23);
        DatedTimecode start = takeStart(FrameRate.FPS_25, false, random);
        SimulatedClock clock = SimulatedClock.random(-40, start, random);
        List<Report> reports = reports(clock, start, Duration.ofSeconds(90), 1, JITTER_SIGMA_NANOS, random);
        ClockAligner clean = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        ClockAligner withOutliers = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        double maxShiftNanos = 0;
        for (int i = 0; i < reports.size() - 1; i++) {
            Report report = reports.get(i);
            clean.observe(report.deviceNanos(), report.tcNanos(), report.nowNanos());
            withOutliers.observe(report.deviceNanos(), report.tcNanos(), report.nowNanos());
            long between = report.trueDeviceNanos() + 15 * MILLI;
            if (i == 1500) { // +5 frames: off the fit, not confirmed by the next report
                withOutliers.observe(between, clock.productionAt(between) + 200 * MILLI, report.nowNanos());
            } else if (i == 1800) { // +20 ms, under a frame: beyond 3 sigma
                withOutliers.observe(between, clock.productionAt(between) + 20 * MILLI, report.nowNanos());
            }
            if (i >= 1500) {
                long probe = reports.get(i + 1).trueDeviceNanos();
                long shift = withOutliers.toProductionNanos(probe).orElseThrow()
                        - clean.toProductionNanos(probe).orElseThrow();
                maxShiftNanos = Math.max(maxShiftNanos, Math.abs(shift));
            }
        }
        log.info("lone outliers moved the mapping by at most {} ns", maxShiftNanos);
        assertThat(maxShiftNanos).isLessThan(100_000);
        assertThat(withOutliers.state().outliersRejected() - clean.state().outliersRejected())
                .isEqualTo(2);
    }

    @Test
    void silenceMeansLostThenUnlockedAndHoldoverExtrapolates() {
        Random random = new Random(5);
        DatedTimecode start = takeStart(FrameRate.FPS_25, false, random);
        SimulatedClock clock = SimulatedClock.random(40, start, random);
        ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        List<Report> reports = reports(clock, start, Duration.ofSeconds(60), 1, JITTER_SIGMA_NANOS, random);
        List<ClockAlert> alerts = new ArrayList<>();
        feed(aligner, reports, Long.MAX_VALUE, clock::productionAt, alerts);
        Report last = reports.get(reports.size() - 1);
        long silentFrom = last.nowNanos();
        assertThat(aligner.state().lastReportNanos()).isEqualTo(silentFrom);

        assertThat(aligner.tick(silentFrom + 3 * SECOND)).isEmpty();
        List<ClockAlert> lost = aligner.tick(silentFrom + 3 * SECOND + 1);
        assertThat(lost).extracting(ClockAlert::type).containsExactly(ClockAlert.Type.TIMECODE_LOST);
        assertThat(lost.get(0).value()).isCloseTo(3.0, within(1e-6));
        assertThat(aligner.state().lock()).isEqualTo(LockState.HOLDOVER);
        assertThat(aligner.tick(silentFrom + 4 * SECOND)).isEmpty();

        // Holdover extrapolates the last fit: a minute later the mapping is still sub-millisecond.
        long aMinuteLater = last.trueDeviceNanos() + 60 * SECOND;
        long holdoverError = aligner.toProductionNanos(aMinuteLater).orElseThrow() - clock.productionAt(aMinuteLater);
        assertThat(Math.abs(holdoverError)).isLessThan(MILLI);

        assertThat(aligner.tick(silentFrom + 5 * 60 * SECOND)).isEmpty();
        List<ClockAlert> unlocked = aligner.tick(silentFrom + 5 * 60 * SECOND + 1);
        assertThat(unlocked).extracting(ClockAlert::type).containsExactly(ClockAlert.Type.TIMECODE_UNLOCKED);
        assertThat(unlocked.get(0).type().tag()).isEqualTo("timecode-unlocked");
        assertThat(aligner.state().lock()).isEqualTo(LockState.UNLOCKED);
        assertThat(aligner.tick(silentFrom + 6 * 60 * SECOND)).isEmpty();
        long unlockedError = aligner.toProductionNanos(aMinuteLater).orElseThrow() - clock.productionAt(aMinuteLater);
        assertThat(unlockedError).isEqualTo(holdoverError);
        log.info("holdover: error {} us a minute after the last report", holdoverError / 1e3);

        // Reports come back after 10 minutes: the old window has slid out, so it locks again after
        // minPairs reports and says so once.
        DatedTimecode resumed = start.plusFrames(25L * 60 * 11);
        List<ClockAlert> restored = new ArrayList<>();
        Errors afterRestore = feed(
                aligner,
                reports(clock, resumed, Duration.ofSeconds(30), 1, JITTER_SIGMA_NANOS, random),
                0,
                clock::productionAt,
                restored);
        assertThat(restored).extracting(ClockAlert::type).containsExactly(ClockAlert.Type.TIMECODE_RESTORED);
        assertThat(restored.get(0).value()).isGreaterThan(600);
        assertThat(aligner.state().lock()).isEqualTo(LockState.LOCKED);
        assertThat(afterRestore.maxNanos).isLessThan(MILLI);
    }

    @Test
    void aShortDropoutHoldsOverAndTheNextReportRestoresTheLock() {
        Random random = new Random(9);
        DatedTimecode start = takeStart(FrameRate.FPS_25, false, random);
        SimulatedClock clock = SimulatedClock.random(-25, start, random);
        ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        List<Report> reports = reports(clock, start, Duration.ofSeconds(40), 1, JITTER_SIGMA_NANOS, random);
        List<ClockAlert> alerts = new ArrayList<>();
        for (Report report : reports) {
            long t = report.tcNanos() - reports.get(0).tcNanos();
            if (t >= 20 * SECOND && t < 30 * SECOND) {
                alerts.addAll(aligner.tick(report.nowNanos())); // the rig is silent
            } else {
                alerts.addAll(aligner.observe(report.deviceNanos(), report.tcNanos(), report.nowNanos()));
            }
        }
        assertThat(alerts)
                .extracting(ClockAlert::type)
                .containsExactly(ClockAlert.Type.TIMECODE_LOST, ClockAlert.Type.TIMECODE_RESTORED);
        assertThat(alerts.get(1).value()).isCloseTo(10.04, within(1e-9)); // last report at 19.96 s, next at 30 s
        assertThat(aligner.state().lock()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void raisesDriftOnceForA60PpmRigAndNotForA5PpmRig() {
        for (double ppm : new double[] {60, -60, 5, -5}) {
            Random random = new Random(13);
            DatedTimecode start = takeStart(FrameRate.FPS_25, false, random);
            SimulatedClock clock = SimulatedClock.random(ppm, start, random);
            ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
            List<ClockAlert> alerts = new ArrayList<>();
            feed(
                    aligner,
                    reports(clock, start, TAKE, 1, JITTER_SIGMA_NANOS, random),
                    Long.MAX_VALUE,
                    clock::productionAt,
                    alerts);
            if (Math.abs(ppm) > 50) {
                assertThat(alerts).as("%s ppm", ppm).singleElement().satisfies(alert -> {
                    assertThat(alert.type()).isEqualTo(ClockAlert.Type.DRIFT);
                    assertThat(alert.type().tag()).isEqualTo("drift");
                    // Raised as soon as the slope is known to a tenth of the 47.6 ppm threshold.
                    assertThat(Math.abs(alert.value())).isGreaterThan(47.6);
                    assertThat(alert.value()).isCloseTo(ppm, within(15.0));
                    log.info("{} ppm rig: {}", ppm, alert.message());
                });
                assertThat(aligner.state().driftPpm()).isCloseTo(ppm, within(1.0));
            } else {
                assertThat(alerts).as("%s ppm", ppm).isEmpty();
            }
        }
    }

    @Test
    void ignoresDuplicateAndReorderedReports() {
        ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        long tc0 = 1_718_370_000L * SECOND;
        for (int k = 0; k < 20; k++) {
            aligner.observe(SECOND + k * 40 * MILLI, tc0 + k * 40 * MILLI, tc0 + k * 40 * MILLI);
        }
        ClockState before = aligner.state();
        aligner.observe(SECOND + 10 * 40 * MILLI, tc0 + 99 * SECOND, tc0 + 20 * 40 * MILLI);
        aligner.observe(SECOND + 19 * 40 * MILLI, tc0 + 19 * 40 * MILLI, tc0 + 21 * 40 * MILLI);
        assertThat(aligner.state()).isEqualTo(before);
    }

    @Test
    void toProductionNanosDoesNotAllocate() {
        ClockAligner aligner = new ClockAligner(AlignerOptions.defaults(), FrameRate.FPS_25);
        long tc0 = 1_718_370_000L * SECOND;
        for (int k = 0; k < 100; k++) {
            aligner.observe(SECOND + k * 40 * MILLI, tc0 + k * 40 * MILLI, tc0 + k * 40 * MILLI);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long sum = 0;
        for (int i = 0; i < 100_000; i++) { // warm up
            sum += aligner.toProductionNanos(i * MILLI, 0);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000_000; i++) {
            sum += aligner.toProductionNanos(i * MILLI, 0);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(sum).isNotZero();
        assertThat(allocated).as("bytes allocated by a million calls").isLessThan(10_000);
    }

    @Test
    void validatesOptions() {
        AlignerOptions defaults = AlignerOptions.defaults();
        assertThat(defaults.window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.minPairs()).isEqualTo(8);
        assertThat(defaults.jumpConfirmations()).isEqualTo(3);
        assertThatThrownBy(() -> defaults.withWindow(Duration.ZERO)).hasMessageContaining("window");
        assertThatThrownBy(() -> defaults.withMaxPairs(4)).hasMessageContaining("maxPairs");
        assertThatThrownBy(() -> new AlignerOptions(
                        Duration.ofSeconds(60),
                        2000,
                        8,
                        Duration.ofMinutes(6),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(7),
                        3))
                .hasMessageContaining("holdoverLimit");
        assertThatThrownBy(() -> new AlignerOptions(
                        Duration.ofSeconds(60),
                        2000,
                        8,
                        Duration.ofSeconds(3),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(7),
                        1))
                .hasMessageContaining("jumpConfirmations");
        assertThat(Stream.of(ClockAlert.Type.values()).map(ClockAlert.Type::tag))
                .containsExactly(
                        "timecode-jump",
                        "timecode-lost",
                        "timecode-unlocked",
                        "timecode-restored",
                        "drift",
                        "implausible-time");
    }
}

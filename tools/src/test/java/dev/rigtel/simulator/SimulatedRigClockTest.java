package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rigtel.collector.ingest.ImuBatch;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.RigStatus;
import dev.rigtel.collector.ingest.TimecodeReport;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.timecode.FrameRate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rigs' device clocks: crystal drift against true time, and jitter on the timecode reports. */
class SimulatedRigClockTest {

    private static final WireMapper WIRE = WireMapper.create();
    private static final PayloadDecoder DECODER = new PayloadDecoder(WIRE, 4000);
    private static final Instant RUN_START = Instant.parse("2025-03-14T14:03:27.123456789Z");
    private static final long SECOND = 1_000_000_000L;

    private static SimulatedRig rig(SimulatorOptions options, int rigNumber) {
        return new SimulatedRig(options, rigNumber, SimulatedRig.bootId(options.seed(), rigNumber, 99), WIRE);
    }

    private static SimulatorOptions.Builder drifting(double ppm) {
        return SimulatorOptions.builder().rigs(13).clockDriftPpm(ppm);
    }

    @Test
    void rigOneDriftsByExactlyTheBoundAndTheOthersStayWithinIt() {
        SimulatorOptions options = drifting(25).build();
        assertThat(rig(options, 1).clockDriftPpm()).isEqualTo(25.0);
        Set<Double> drifts = new HashSet<>();
        for (int n = 2; n <= 13; n++) {
            double drift = rig(options, n).clockDriftPpm();
            assertThat(drift).isBetween(-25.0, 25.0);
            drifts.add(drift);
        }
        assertThat(drifts).as("drawn, not constant").hasSize(12);
        assertThat(drifts.stream().anyMatch(d -> d < 0)).isTrue();
        assertThat(drifts.stream().anyMatch(d -> d > 0)).isTrue();
    }

    @Test
    void driftIsAFunctionOfTheSeed() {
        assertThat(rig(drifting(10).build(), 5).clockDriftPpm())
                .isEqualTo(rig(drifting(10).build(), 5).clockDriftPpm())
                .isEqualTo(SimulatedRig.clockDriftPpm(drifting(10).build(), 5))
                .isNotEqualTo(rig(drifting(10).seed(43).build(), 5).clockDriftPpm());
        assertThat(rig(drifting(10).seed(43).build(), 1).clockDriftPpm()).isEqualTo(10.0);
    }

    @Test
    void withoutDriftEveryClockRunsAtTrueTime() {
        SimulatedRig rig = rig(SimulatorOptions.builder().build(), 3);
        assertThat(rig.clockDriftPpm()).isZero();
        assertThat(rig.deviceNanosAt(123_456_789_012L)).isEqualTo(rig.deviceStartNanos() + 123_456_789_012L);
        assertThat(rig.imuBatchDueNanos(9)).isEqualTo(500_000_000L);
        assertThat(rig.timecodeJitterNanos(7)).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 13})
    void deviceTimeAdvancesAtOnePlusTheDriftAgainstTrueTime(int rigNumber) {
        SimulatedRig rig = rig(drifting(40).build(), rigNumber);
        double expectedSlope = 1 + rig.clockDriftPpm() * 1e-6;
        long[] spans = {SECOND, 600 * SECOND, 10 * 3600 * SECOND};
        for (long span : spans) {
            long from = 37 * SECOND + 123;
            double slope = (double) (rig.deviceNanosAt(from + span) - rig.deviceNanosAt(from)) / span;
            assertThat(slope).isCloseTo(expectedSlope, within(1e-9));
        }
        assertThat(rig.deviceNanosAt(0)).isEqualTo(rig.deviceStartNanos());
    }

    @Test
    void elapsedTimeAtADeviceTimeIsTheInverseOfTheDeviceClock() {
        for (int n = 1; n <= 13; n++) {
            SimulatedRig rig = rig(drifting(1000).build(), n);
            for (long elapsed = 0; elapsed < 50 * SECOND; elapsed += 3 * SECOND + 777_777) {
                long device = rig.deviceNanosAt(elapsed);
                long back = rig.elapsedNanosAtDevice(device);
                assertThat(back).isLessThanOrEqualTo(elapsed);
                assertThat(rig.deviceNanosAt(back)).isGreaterThanOrEqualTo(device);
                assertThat(rig.deviceNanosAt(back - 1)).isLessThan(device);
            }
        }
    }

    @Test
    void imuSamplesKeepTheirDeviceTimesAndArriveOnTheDriftingSchedule() throws Exception {
        SimulatedRig fast = rig(drifting(1000).build(), 1);
        ImuBatch batch = DECODER.imu(fast.rigId(), fast.imuBatch(19).payload());

        // Sample i is at device time D0 + i * dt_ns, whatever the drift: batch 19 holds samples 950..999.
        assertThat(batch.deviceNanos()[0]).isEqualTo(fast.deviceStartNanos() + 950 * 1_000_000L);
        assertThat(batch.sampleCount()).isEqualTo(50);
        // A crystal 1000 ppm fast reaches D0 + 1 s after 1 s / 1.001 of true time.
        assertThat(fast.imuBatchDueNanos(19)).isCloseTo(Math.round(SECOND / 1.001), within(2L));
        assertThat(fast.deviceNanosAt(fast.imuBatchDueNanos(19)))
                .isGreaterThanOrEqualTo(fast.deviceStartNanos() + SECOND);

        SimulatedRig slow = rig(drifting(1000).build(), 2);
        double ratio = 1 + slow.clockDriftPpm() * 1e-6;
        assertThat(slow.imuBatchDueNanos(1999)).isCloseTo(Math.round(100 * SECOND / ratio), within(2L));
    }

    @Test
    void motionFollowsTrueTimeWhileTheNoiseFollowsTheSample() {
        SimulatedRig rig = rig(drifting(1000).profile(MotionProfile.WALKING).build(), 1);
        long index = 20_000;
        long trueElapsed = rig.elapsedNanosAtDevice(rig.deviceStartNanos() + index * 1_000_000L);
        assertThat(trueElapsed).isCloseTo(Math.round(20 * SECOND / 1.001), within(2L));
        assertThat(rig.sample(index)).containsExactly(rig.motion().sample(index, trueElapsed));
    }

    @Test
    void statusReportsAreMadeOnTheDeviceClock() throws Exception {
        SimulatedRig rig = rig(drifting(500).build(), 1);
        RigStatus status = DECODER.status(rig.rigId(), rig.status(12).payload());
        assertThat(status.deviceNanos()).isEqualTo(rig.deviceStartNanos() + 60 * SECOND);
        assertThat(rig.statusDueNanos(12)).isCloseTo(Math.round(60 * SECOND / 1.0005), within(2L));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 50})
    void timecodeReportsPairTrueFrameStartsWithDriftingDeviceTimeWithinTheJitter(double jitterMicros) throws Exception {
        SimulatorOptions options = drifting(100)
                .clockJitterMicros(jitterMicros)
                .timecodeInterval(Duration.ofMillis(40))
                .build();
        for (int n : new int[] {1, 4}) {
            SimulatedRig rig = rig(options, n);
            double sumSquares = 0;
            int reports = 2000;
            for (long k = 0; k < reports; k++) {
                TimecodeReport report = DECODER.timecode(
                        rig.rigId(), rig.timecodeReport(k, RUN_START).payload());
                Instant wall = RUN_START.plusNanos(k * 40_000_000L);
                long timeOfDayNanos = (wall.getEpochSecond() % 86_400) * SECOND + wall.getNano();
                long frameStartElapsed =
                        k * 40_000_000L - (timeOfDayNanos - report.timecode().realTimeNanos());
                long expected =
                        rig.deviceStartNanos() + Math.round(frameStartElapsed * (1 + rig.clockDriftPpm() * 1e-6));
                // t_us is truncated to the microsecond.
                double errorNanos = report.deviceNanos() + 500 - expected;
                sumSquares += errorNanos * errorNanos;
                assertThat(Math.abs(errorNanos)).isLessThanOrEqualTo(5 * jitterMicros * 1000 + 501);
            }
            double rmsMicros = Math.sqrt(sumSquares / reports) / 1000;
            // Truncating t_us to the microsecond adds up to half a microsecond either way.
            assertThat(rmsMicros).isCloseTo(jitterMicros, within(0.1 * jitterMicros + 0.6));
        }
    }

    @Test
    void aLeastSquaresFitOfTheReportsFindsTheDrift() throws Exception {
        SimulatorOptions options = drifting(30)
                .clockJitterMicros(20)
                .timecodeRate(FrameRate.FPS_29_97)
                .timecodeDropFrame(true)
                .build();
        SimulatedRig rig = rig(options, 1);
        // 600 reports a second apart: (device time, true time of the frame) pairs, as the collector fits them.
        int n = 600;
        double[] device = new double[n];
        double[] truth = new double[n];
        for (int k = 0; k < n; k++) {
            TimecodeReport report = DECODER.timecode(
                    rig.rigId(), rig.timecodeReport(k, RUN_START).payload());
            device[k] = (report.deviceNanos() - rig.deviceStartNanos()) / 1e9;
            truth[k] = report.timecode().realTimeNanos() / 1e9;
        }
        double meanX = 0;
        double meanY = 0;
        for (int k = 0; k < n; k++) {
            meanX += device[k] / n;
            meanY += truth[k] / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int k = 0; k < n; k++) {
            sxy += (device[k] - meanX) * (truth[k] - meanY);
            sxx += (device[k] - meanX) * (device[k] - meanX);
        }
        double driftPpm = (sxx / sxy - 1) * 1e6;
        assertThat(driftPpm).isCloseTo(30.0, within(0.2));
    }

    @Test
    void jitterIsAFunctionOfSeedRigAndReport() {
        SimulatorOptions options = drifting(0).clockJitterMicros(100).build();
        assertThat(rig(options, 2).timecodeJitterNanos(5))
                .isEqualTo(rig(options, 2).timecodeJitterNanos(5))
                .isNotEqualTo(rig(options, 3).timecodeJitterNanos(5))
                .isNotEqualTo(rig(options, 2).timecodeJitterNanos(6));
        assertThat(rig(options, 2).timecodeReport(5, RUN_START).payload())
                .isEqualTo(rig(options, 2).timecodeReport(5, RUN_START).payload());
    }
}

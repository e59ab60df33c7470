package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-second rollups and dropouts (DOMAIN.md section 3: a gap is an interval over 1.5 x the median). */
class RollupTest {

    private static final long MS = 1_000_000L;
    private static final double G0 = RigMotion.G0;

    @Test
    void rollsUpEachSecondWithPeaksRmsExpectedSamplesAndGaps() {
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        for (int i = 0; i < 3000; i++) {
            if (i >= 1200 && i < 1250) {
                continue; // 50 samples lost
            }
            double ay = i == 500 ? 3 * G0 : G0;
            double gy = i == 700 ? 50 : 10; // rotating about up (y) at 10 deg/s
            m.accept(ImuSim.T0 + i * MS, 0, ay, 0, 0, gy, 0, out);
        }
        assertThat(out.rollups).hasSize(2); // the third second is still open
        m.flush(out);

        assertThat(out.rollups).hasSize(3);
        Rollup first = out.rollups.get(0);
        assertThat(first.secondStartNanos()).isEqualTo(ImuSim.T0);
        assertThat(first.samples()).isEqualTo(1000);
        assertThat(first.expectedSamples()).isEqualTo(1000);
        assertThat(first.gaps()).isZero();
        assertThat(first.accelPeakG()).isCloseTo(3.0, offset(1e-9));
        assertThat(first.accelRmsG()).isCloseTo(Math.sqrt((999 + 9) / 1000.0), offset(1e-9));
        assertThat(first.gyroPeakDps()).isCloseTo(50, offset(1e-9));
        assertThat(first.gyroRmsDps()).isCloseTo(Math.sqrt((999 * 100 + 2500) / 1000.0), offset(1e-9));

        Rollup second = out.rollups.get(1);
        assertThat(second.secondStartNanos()).isEqualTo(ImuSim.T0 + 1000 * MS);
        assertThat(second.samples()).isEqualTo(950);
        assertThat(second.expectedSamples()).isEqualTo(1000);
        assertThat(second.gaps()).isEqualTo(1);

        Rollup third = out.rollups.get(2);
        assertThat(third.samples()).isEqualTo(1000);
        assertThat(third.expectedSamples()).isEqualTo(1000);
        assertThat(third.gaps()).isZero();

        assertThat(out.of(MotionEvent.Type.DROPOUT)).singleElement().satisfies(e -> {
            assertThat(e.onsetNanos()).isEqualTo(ImuSim.T0 + 1199 * MS);
            assertThat(e.endNanos()).isEqualTo(ImuSim.T0 + 1250 * MS);
            assertThat(e.missingSamples()).isEqualTo(50);
            assertThat(e.peak()).isZero();
        });
    }

    @Test
    void aStreamStartingMidSecondExpectsOnlyTheCoveredPart() {
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        long start = ImuSim.T0 + 250_300_000L;
        for (int i = 0; i < 1000; i++) {
            m.accept(start + i * MS, 0, G0, 0, 0, 0, 0, out);
        }
        m.flush(out);

        assertThat(out.rollups).hasSize(2);
        assertThat(out.rollups.get(0).samples()).isEqualTo(750);
        assertThat(out.rollups.get(0).expectedSamples()).isEqualTo(750);
        assertThat(out.rollups.get(1).samples()).isEqualTo(250);
        assertThat(out.rollups.get(1).expectedSamples()).isEqualTo(250);
    }

    @Test
    void timestampJitterOfTenPercentIsNoGap() {
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        Random rnd = new Random(4);
        long t = ImuSim.T0;
        for (int i = 0; i < 2000; i++) {
            t += Math.round(MS * (0.9 + 0.2 * rnd.nextDouble()));
            m.accept(t, 0, G0, 0, 0, 0, 0, out);
        }
        m.flush(out);

        assertThat(out.of(MotionEvent.Type.DROPOUT)).isEmpty();
        assertThat(out.rollups).allSatisfy(r -> assertThat(r.gaps()).isZero());
    }

    @Test
    void dropsAndCountsSamplesThatAreNotAfterThePreviousOne() {
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        m.accept(ImuSim.T0, 0, G0, 0, 0, 0, 0, out);
        m.accept(ImuSim.T0 + MS, 0, G0, 0, 0, 0, 0, out);
        m.accept(ImuSim.T0 + MS, 0, G0, 0, 0, 0, 0, out);
        m.accept(ImuSim.T0, 0, G0, 0, 0, 0, 0, out);

        assertThat(m.samples()).isEqualTo(2);
        assertThat(m.rejectedSamples()).isEqualTo(2);
    }
}

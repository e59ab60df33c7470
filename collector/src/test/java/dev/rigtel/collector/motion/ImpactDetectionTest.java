package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Impacts at 1 kHz: 10 g threshold, window 8 ms before to 32 ms after (DOMAIN.md section 4). */
class ImpactDetectionTest {

    private static final long MS = 1_000_000L;
    private static final double G0 = RigMotion.G0;

    /** 1 kHz rig, y up, at rest, with half-sine pulses along x: {startMs, peakG, widthMs} each. */
    private static ImuSim.Recorder feed(MotionConfig config, int seconds, double[]... pulses) {
        RigMotion m = new RigMotion(config);
        ImuSim.Recorder out = new ImuSim.Recorder();
        for (int i = 0; i < seconds * 1000; i++) {
            double ax = 0;
            for (double[] p : pulses) {
                double rel = i - p[0];
                if (rel >= 0 && rel <= p[2]) {
                    ax += p[1] * G0 * Math.sin(Math.PI * rel / p[2]);
                }
            }
            m.accept(ImuSim.T0 + i * MS, ax, G0, 0, 0, 0, 0, out);
        }
        m.flush(out);
        return out;
    }

    @Test
    void detectsAHalfSineImpactWithItsPeakAndWindow() {
        List<MotionEvent> impacts =
                feed(MotionConfig.defaults(), 2, new double[] {1000, 50, 10}).of(MotionEvent.Type.IMPACT);

        assertThat(impacts).hasSize(1);
        MotionEvent e = impacts.get(0);
        assertThat(e.peak()).isCloseTo(Math.sqrt(50 * 50 + 1), offset(1e-9));
        assertThat(e.onsetNanos()).isEqualTo(ImuSim.T0 + 1001 * MS); // 50 g sin(18 deg) = 15.5 g
        assertThat(e.endNanos()).isEqualTo(e.onsetNanos() + 32 * MS);
        // 414.5 * 0.5^2.5 = 73.3 for a 50 g half-sine; gravity adds a little, 1 kHz takes a little.
        assertThat(e.hic15()).isCloseTo(73.3, withinPercentage(5));
    }

    @Test
    void hicOfTheCheckPulseAtOneKilohertzIsAScreeningValueWithinAFewPercent() {
        List<MotionEvent> impacts = feed(
                        MotionConfig.defaults().withAccelFullScaleG(200), 2, new double[] {1000, 100, 10})
                .of(MotionEvent.Type.IMPACT);

        assertThat(impacts).hasSize(1);
        assertThat(impacts.get(0).peak()).isCloseTo(100.005, offset(0.001));
        assertThat(impacts.get(0).hic15()).isCloseTo(414.5, withinPercentage(4));
    }

    @Test
    void aSustainedLoadIsOneImpact() {
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        for (int i = 0; i < 1000; i++) {
            double ax = i >= 200 && i < 300 ? 12 * G0 : 0;
            m.accept(ImuSim.T0 + i * MS, ax, G0, 0, 0, 0, 0, out);
        }
        m.flush(out);

        assertThat(out.of(MotionEvent.Type.IMPACT)).hasSize(1);
    }

    @Test
    void aSecondHitInsideTheWindowIsPartOfTheFirstAndOneAfterItIsNew() {
        List<MotionEvent> impacts = feed(
                        MotionConfig.defaults(),
                        2,
                        new double[] {500, 20, 10},
                        new double[] {520, 30, 10},
                        new double[] {800, 15, 10})
                .of(MotionEvent.Type.IMPACT);

        assertThat(impacts).hasSize(2);
        assertThat(impacts.get(0).peak()).isCloseTo(30, offset(0.05));
        assertThat(impacts.get(1).peak()).isCloseTo(15, offset(0.05));
    }

    @Test
    void theWindowStartsEightMillisecondsBeforeTheCrossing() {
        // A 12 g step: the HIC window then holds 8 ms of 1 g before the crossing.
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        for (int i = 0; i < 200; i++) {
            double ax = i >= 100 && i < 103 ? 50 * G0 : 0;
            m.accept(ImuSim.T0 + i * MS, ax, G0, 0, 0, 0, 0, out);
        }
        m.flush(out);

        MotionEvent e = out.of(MotionEvent.Type.IMPACT).get(0);
        assertThat(e.onsetNanos()).isEqualTo(ImuSim.T0 + 100 * MS);
        assertThat(e.hic15()).isGreaterThan(0);
    }
}

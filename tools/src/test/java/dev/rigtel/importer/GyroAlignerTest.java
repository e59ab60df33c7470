package dev.rigtel.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GyroAlignerTest {

    private static final long S = 1_000_000_000L;
    private static final long RIG_START = 1_773_500_000L * S;
    /** The rig streams 20 minutes at 200 Hz. */
    private static final double RIG_SECONDS = 20 * 60;

    @Test
    void findsAClipShiftedByAKnownOffsetWithNoiseWithin10Ms() {
        HeadTurns motion = new HeadTurns(7, RIG_SECONDS);
        double[] rig = trace(motion, 0, RIG_SECONDS, 200, new Random(1), 3);
        // The camera started 7 min 12.3456 s after the rig's window, ran 5 minutes, sampled at 198 Hz.
        double clipStart = 7 * 60 + 12.3456;
        double[] clip = trace(motion, clipStart, 5 * 60, 198, new Random(2), 3);

        GyroAligner.Alignment found = GyroAligner.align(rig, RIG_START, clip);

        long expected = RIG_START + Math.round(clipStart * S);
        assertThat(Math.abs(found.firstFrameNanos() - expected)).isLessThan(10_000_000L);
        assertThat(found.correlation()).isGreaterThan(0.8);
        assertThat(found.peakRatio()).isGreaterThan(GyroAligner.MIN_PEAK_RATIO);
        assertThat(found.accepted()).isTrue();
    }

    @Test
    void findsAClipThatStartedBeforeTheRigsWindow() {
        HeadTurns motion = new HeadTurns(11, RIG_SECONDS + 120);
        // Motion time 0 is 60 s before the rig's window; the clip starts 30 s before the window.
        double[] rig = trace(motion, 60, RIG_SECONDS, 200, new Random(3), 2);
        double[] clip = trace(motion, 30, 120, 200, new Random(4), 2);

        GyroAligner.Alignment found = GyroAligner.align(rig, RIG_START, clip);

        assertThat(Math.abs(found.firstFrameNanos() - (RIG_START - 30 * S))).isLessThan(10_000_000L);
        assertThat(found.accepted()).isTrue();
    }

    @Test
    void refusesAFlatClip() {
        double[] rig = trace(new HeadTurns(5, RIG_SECONDS), 0, RIG_SECONDS, 200, new Random(5), 3);
        double[] still = new double[5 * 60 * GyroAligner.RATE_HZ];
        Arrays.fill(still, 0.4);

        GyroAligner.Alignment flat = GyroAligner.align(rig, RIG_START, still);

        assertThat(flat.correlation()).isZero();
        assertThat(flat.accepted()).isFalse();

        // A camera at rest: sensor noise only.
        Random noise = new Random(6);
        for (int i = 0; i < still.length; i++) {
            still[i] = Math.abs(0.4 + 0.3 * noise.nextGaussian());
        }
        GyroAligner.Alignment resting = GyroAligner.align(rig, RIG_START, still);
        assertThat(resting.correlation()).isLessThan(GyroAligner.MIN_CORRELATION);
        assertThat(resting.accepted()).isFalse();
    }

    @Test
    void refusesWhenTheRigSentNothing() {
        double[] rig = new double[10 * 60 * GyroAligner.RATE_HZ];
        Arrays.fill(rig, Double.NaN);
        double[] clip = trace(new HeadTurns(8, 400), 0, 300, 200, new Random(7), 3);

        assertThat(GyroAligner.align(rig, RIG_START, clip).accepted()).isFalse();
    }

    @Test
    void binsTheMagnitudeAt100Hz() {
        long[] t = {0, 5_000_000, 10_000_000, 35_000_000};
        double[] gyro = {3, 4, 0, 6, 8, 0, 0, 0, 2, 1, 2, 2};

        double[] trace = GyroAligner.magnitudeTrace(t, gyro);

        assertThat(trace).hasSize(4);
        assertThat(trace[0]).isEqualTo(7.5);
        assertThat(trace[1]).isEqualTo(2.0);
        assertThat(trace[2]).isNaN();
        assertThat(trace[3]).isEqualTo(3.0);
    }

    /** Head turns: bell-shaped yaw-rate bursts of 0.3-0.8 s, 60-250 deg/s, every 2-9 s, on a slow sway. */
    private static final class HeadTurns {
        final double[] at;
        final double[] width;
        final double[] peak;
        final double[] axis;

        HeadTurns(long seed, double seconds) {
            Random r = new Random(seed);
            int n = (int) (seconds / 2);
            at = new double[n];
            width = new double[n];
            peak = new double[n];
            axis = new double[n];
            double t = 1;
            for (int i = 0; i < n; i++) {
                t += 2 + 7 * r.nextDouble();
                at[i] = t;
                width[i] = 0.3 + 0.5 * r.nextDouble();
                peak[i] = (r.nextBoolean() ? 1 : -1) * (60 + 190 * r.nextDouble());
                axis[i] = r.nextDouble();
            }
        }

        /** deg/s about x, y, z at motion time {@code t}. */
        double[] rate(double t) {
            double[] w = {5 * Math.sin(0.7 * t), 4 * Math.cos(0.45 * t), 0};
            int k = Arrays.binarySearch(at, t);
            int i = k >= 0 ? k : -k - 1;
            for (int j = Math.max(0, i - 3); j < Math.min(at.length, i + 3); j++) {
                double x = (t - at[j]) / (width[j] / 2.5);
                double v = peak[j] * Math.exp(-0.5 * x * x);
                w[2] += v * (1 - 0.3 * axis[j]);
                w[0] += v * 0.3 * axis[j];
            }
            return w;
        }
    }

    /** A sensor sampling {@code motion} from {@code start} for {@code seconds} at {@code hz}, with noise. */
    private static double[] trace(
            HeadTurns motion, double start, double seconds, double hz, Random noise, double sigma) {
        int n = (int) (seconds * hz);
        long[] t = new long[n];
        double[] gyro = new double[3 * n];
        for (int i = 0; i < n; i++) {
            double local = i / hz;
            t[i] = Math.round(local * S);
            double[] w = motion.rate(start + local);
            for (int axis = 0; axis < 3; axis++) {
                gyro[3 * i + axis] = w[axis] + sigma * noise.nextGaussian();
            }
        }
        return GyroAligner.magnitudeTrace(t, gyro);
    }
}

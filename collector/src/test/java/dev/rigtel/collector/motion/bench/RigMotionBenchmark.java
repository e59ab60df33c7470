package dev.rigtel.collector.motion.bench;

import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.MotionSink;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.motion.TakeSummarizer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Nanoseconds per sample of {@link RigMotion#accept} on one second of realistic 1 kHz data: a tilted
 * rig on a walking wearer (vertical bounce, yaw wobble, sensor noise) with a head turn and a whip pan,
 * replayed with advancing timestamps so rollups and turn events keep firing. The budget is 10 us per
 * sample for everything (100 rigs x 1 kHz on one core); the target for this stage is well under 1 us.
 *
 * <p>Run: {@code ./mvnw -B -q -pl collector test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.openjdk.jmh.Main -Dexec.args='RigMotionBenchmark -f 0 -wi 3 -i 5'} ({@code -f 0}:
 * under exec:java the forked JVM would not get the test class path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RigMotionBenchmark {

    static final int SAMPLES = 1000;
    private static final double G0 = 9.80665;

    private final long[] offsetNanos = new long[SAMPLES];
    private final double[] values = new double[6 * SAMPLES];
    private RigMotion motion;
    private TakeSummarizer summarizer;
    private long baseNanos;
    private BlackholeSink sink;

    @Setup
    public void setUp(Blackhole bh) {
        Random rnd = new Random(42);
        // Up in the sensor frame: tilted 20 degrees from +y.
        double ux = Math.sin(Math.toRadians(20));
        double uy = Math.cos(Math.toRadians(20));
        for (int i = 0; i < SAMPLES; i++) {
            double t = i / 1000.0;
            double yaw = 40 * Math.sin(2 * Math.PI * 0.9 * t) + pulse(t, 0.1, 0.45, 220) - pulse(t, 0.6, 0.2, 380);
            double bounce = 2.0 * Math.sin(2 * Math.PI * 1.8 * t);
            double pitch = 15 * Math.sin(2 * Math.PI * 1.8 * t);
            offsetNanos[i] = i * 1_000_000L;
            int o = 6 * i;
            values[o] = (G0 + bounce) * ux + 0.1 * rnd.nextGaussian();
            values[o + 1] = (G0 + bounce) * uy + 0.1 * rnd.nextGaussian();
            values[o + 2] = 0.1 * rnd.nextGaussian();
            values[o + 3] = yaw * ux + 0.8 * rnd.nextGaussian();
            values[o + 4] = yaw * uy + 0.8 * rnd.nextGaussian();
            values[o + 5] = pitch + 0.8 * rnd.nextGaussian();
        }
        motion = new RigMotion(MotionConfig.defaults());
        summarizer = new TakeSummarizer(MotionConfig.defaults());
        baseNanos = 1_700_000_000L * 1_000_000_000L;
        sink = new BlackholeSink(bh);
    }

    private static double pulse(double t, double start, double duration, double peakDps) {
        double x = (t - start) / duration;
        if (x < 0 || x > 1) {
            return 0;
        }
        double s = Math.sin(Math.PI * x);
        return peakDps * s * s;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double acceptOneSecondAt1kHz() {
        long base = baseNanos;
        for (int i = 0; i < SAMPLES; i++) {
            int o = 6 * i;
            motion.accept(
                    base + offsetNanos[i],
                    values[o],
                    values[o + 1],
                    values[o + 2],
                    values[o + 3],
                    values[o + 4],
                    values[o + 5],
                    sink);
        }
        baseNanos = base + 1_000_000_000L;
        return motion.yawRateDps();
    }

    /** What a rig costs while a take rolls: its own analytics plus the take's summarizer. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double acceptOneSecondAt1kHzDuringATake() {
        long base = baseNanos;
        for (int i = 0; i < SAMPLES; i++) {
            int o = 6 * i;
            long t = base + offsetNanos[i];
            motion.accept(
                    t, values[o], values[o + 1], values[o + 2], values[o + 3], values[o + 4], values[o + 5], sink);
            summarizer.accept(t, values[o], values[o + 1], values[o + 2], values[o + 3], values[o + 4], values[o + 5]);
        }
        baseNanos = base + 1_000_000_000L;
        return motion.yawRateDps();
    }

    private static final class BlackholeSink implements MotionSink {
        private final Blackhole bh;

        BlackholeSink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void rollup(Rollup r) {
            bh.consume(r);
        }

        @Override
        public void event(MotionEvent e) {
            bh.consume(e);
        }
    }
}

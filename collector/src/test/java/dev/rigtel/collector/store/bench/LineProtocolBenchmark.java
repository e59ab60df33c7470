package dev.rigtel.collector.store.bench;

import dev.rigtel.collector.store.LineEncoder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Nanoseconds per sample of encoding IMU points as line protocol ({@link LineEncoder#imu}), the way
 * the store does for every batch (the rig's prefix escaped once): measurement, rig tag, six float fields, {@code dev_ns}, timestamp.
 * Values as rigs send them: {@code decimal} ones with 4 (accel) and 3 (gyro) decimals, as JSON
 * firmware prints them; {@code float32} ones widened from CBOR single precision (e.g.
 * 9.8100004196167), which need up to 17 significant digits.
 *
 * <p>Run: {@code ./mvnw -B -q -pl collector test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.openjdk.jmh.Main -Dexec.args='LineProtocolBenchmark -f 0 -wi 3 -i 5 -w 2s -r 2s'}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LineProtocolBenchmark {

    static final int SAMPLES = 50;

    @Param({"decimal", "float32"})
    public String values;

    private final double[] batch = new double[6 * SAMPLES];
    private final long[] device = new long[SAMPLES];
    private final long[] utc = new long[SAMPLES];
    private final LineEncoder out = new LineEncoder(SAMPLES * LineEncoder.IMU_LINE_CHARS);

    @Setup
    public void setUp() {
        Random rnd = new Random(42);
        for (int i = 0; i < SAMPLES; i++) {
            for (int k = 0; k < 6; k++) {
                double v = k < 3 ? (k == 1 ? 9.81 : 0) + rnd.nextGaussian() : 30 * rnd.nextGaussian();
                double rounded = k < 3 ? Math.rint(v * 1e4) / 1e4 : Math.rint(v * 1e3) / 1e3;
                batch[6 * i + k] = "float32".equals(values) ? (float) v : rounded;
            }
            device[i] = 73_012_000_000L + i * 1_000_000L;
            utc[i] = 1_763_781_807_123_000_000L + i * 1_000_000L;
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int imuPoints() {
        out.clear();
        return out.imu("rig-07", utc, batch, device).length();
    }
}

package dev.rigtel.collector.store;

import dev.rigtel.collector.testing.CpuPerOperation;
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
 * Nanoseconds per sample on both sides of a compact spool record (issue 19): {@code encode} packs a
 * 50-sample IMU batch into a {@link CompactRecord} through a {@link LineBatch}, as the acknowledgement
 * path (the MQTT event loop) does for every message; {@code lines} turns that record into line protocol, as the writer threads
 * do. Values as rigs send them: {@code decimal} with 4 (accel) and 3 (gyro) decimals and trailing
 * zeros dropped, as JSON firmware prints them; {@code packed} int16 counts times the +-16 g and
 * +-2000 deg/s scales; {@code float32} single-precision floats widened from CBOR. In this package
 * because the record is package-private.
 *
 * <p>Run (docs/benchmarks.md, issue 19): {@code java -cp ... org.openjdk.jmh.Main
 * CompactRecordBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}, or, on a shared machine where wall-clock
 * figures move with the other load, {@code java -cp ... dev.rigtel.collector.store.CompactRecordBenchmark}:
 * the same operations timed by the thread's CPU time ({@link CpuPerOperation}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CompactRecordBenchmark {

    static final int SAMPLES = 50;
    static final double ACCEL_PER_COUNT = 16 / 32768.0 * 9.80665;
    static final double GYRO_PER_COUNT = 2000 / 32768.0;

    @Param({"decimal", "packed", "float32"})
    public String values;

    private final double[] batch = new double[6 * SAMPLES];
    private final long[] device = new long[SAMPLES];
    private final long[] utc = new long[SAMPLES];
    private double accelPerCount = Double.NaN;
    private double gyroPerCount = Double.NaN;
    private byte[] body;
    private final StringBuilder out = new StringBuilder(SAMPLES * LineEncoder.IMU_LINE_CHARS);

    @Setup
    public void setUp() {
        Random rnd = new Random(42);
        boolean packed = "packed".equals(values);
        if (packed) {
            accelPerCount = ACCEL_PER_COUNT;
            gyroPerCount = GYRO_PER_COUNT;
        }
        for (int i = 0; i < SAMPLES; i++) {
            for (int k = 0; k < 6; k++) {
                double v = k < 3 ? (k == 1 ? 9.81 : 0) + rnd.nextGaussian() : 30 * rnd.nextGaussian();
                double value;
                if (packed) {
                    double perCount = k < 3 ? ACCEL_PER_COUNT : GYRO_PER_COUNT;
                    value = (int) Math.rint(v / perCount) * perCount;
                } else if ("float32".equals(values)) {
                    value = (float) v;
                } else {
                    value = k < 3 ? Math.rint(v * 1e4) / 1e4 : Math.rint(v * 1e3) / 1e3;
                }
                batch[6 * i + k] = value;
            }
            device[i] = 73_012_000_000L + i * 1_000_000L;
            utc[i] = 1_763_781_807_123_000_000L + i * 1_000_000L;
        }
        body = encode();
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public byte[] encode() {
        LineBatch points = new LineBatch(null, SAMPLES);
        points.imuCounts("rig-07", utc, batch, device, accelPerCount, gyroPerCount);
        return points.body();
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int lines() {
        out.setLength(0);
        return CompactRecord.appendLines(body, 0, body.length, out, true).length();
    }

    /** CPU nanoseconds per sample of each operation and value kind ({@link CpuPerOperation}). */
    public static void main(String[] args) {
        String[] kinds = args.length > 0 ? args : new String[] {"decimal", "packed", "float32"};
        for (String kind : kinds) {
            CompactRecordBenchmark b = new CompactRecordBenchmark();
            b.values = kind;
            b.setUp();
            System.out.printf(
                    "encode   %-7s %7.1f ns CPU per sample%n",
                    kind, CpuPerOperation.nanos(() -> b.encode().length, SAMPLES));
            System.out.printf(
                    "lines    %-7s %7.1f ns CPU per sample%n", kind, CpuPerOperation.nanos(b::lines, SAMPLES));
        }
    }
}

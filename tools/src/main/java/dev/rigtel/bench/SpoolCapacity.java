package dev.rigtel.bench;

import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.store.FsyncPolicy;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.MotionEventPoint;
import dev.rigtel.collector.store.PointBatch;
import dev.rigtel.collector.store.RollupPoint;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.SpoolRecord;
import dev.rigtel.collector.store.StatusPoint;
import dev.rigtel.collector.store.TimecodePoint;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.simulator.MotionGenerator;
import dev.rigtel.simulator.MotionProfile;
import dev.rigtel.simulator.PayloadEncoding;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What the spool holds per IMU sample during an InfluxDB outage: a nominal shoot (rigs x 1 kHz in
 * batches, timecode every frame at 25 fps, a status every 5 s, a rollup per rig-second and a motion
 * event per rig every 10 s) is offered through the collector's real write path ({@link InfluxWrites}
 * into a {@link WriteBuffer} whose writers never start, so nothing leaves the spool) and the spool's
 * unwritten bytes, all records included, are divided by the IMU samples. Also the CPU time of the
 * offering thread per sample: what the acknowledgement path pays to encode and append (no fsync);
 * and of reading the records back as the line protocol a writer sends.
 */
final class SpoolCapacity {

    /** The default {@code --spool-max-bytes}. */
    static final long DEFAULT_QUOTA_BYTES = 2L << 30;

    private static final double ACCEL_PER_COUNT = PayloadEncoding.PACKED_ACCEL_RANGE_G / 32768.0 * 9.80665;
    private static final double GYRO_PER_COUNT = PayloadEncoding.PACKED_GYRO_RANGE_DPS / 32768.0;

    /** The figures of one run. */
    record Result(long samples, long spoolBytes, long cpuNanos, long readCpuNanos, long lineChars, int rigs) {
        double bytesPerSample() {
            return (double) spoolBytes / samples;
        }

        double cpuNanosPerSample() {
            return (double) cpuNanos / samples;
        }

        /** CPU of reading the records back as line protocol, per IMU sample. */
        double readCpuNanosPerSample() {
            return (double) readCpuNanos / samples;
        }

        /** Seconds of {@code rigs} x 1 kHz that {@code quotaBytes} holds before back-pressure. */
        double secondsHeld(long quotaBytes) {
            return quotaBytes / (bytesPerSample() * rigs * 1000.0);
        }
    }

    private SpoolCapacity() {}

    /**
     * Offers {@code seconds} of {@code rigs} at 1 kHz in batches of {@code samplesPerBatch} to a
     * spool in {@code directory} (which must not exist yet; it is deleted afterwards).
     */
    static Result measure(Path directory, PayloadEncoding encoding, int rigs, int seconds, int samplesPerBatch)
            throws IOException {
        Spool spool = Spool.open(SpoolOptions.defaults(directory)
                .withFsyncPolicy(FsyncPolicy.NONE)
                .withMaxBytes(Long.MAX_VALUE / 4));
        WriteBuffer buffer = new WriteBuffer(
                (lines, points) -> {},
                spool,
                WriteBufferOptions.defaults(),
                new StoreMeters(new SimpleMeterRegistry()));
        InfluxWrites writes = new InfluxWrites(buffer);
        MotionGenerator[] motion = new MotionGenerator[rigs];
        for (int r = 0; r < rigs; r++) {
            motion[r] = new MotionGenerator(42, r + 1, MotionProfile.WALKING, 1_000_000L);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long samples = 0;
        long startNanos = 1_780_000_000_000_000_000L;
        double[] sample = new double[6];
        try {
            int batches = 1000 / samplesPerBatch;
            String[] names = new String[rigs];
            for (int r = 0; r < rigs; r++) {
                names[r] = String.format("rig-%05d", r + 1);
            }
            long[][][] device = new long[rigs][batches][samplesPerBatch];
            long[][][] utc = new long[rigs][batches][samplesPerBatch];
            double[][][] values = new double[rigs][batches][samplesPerBatch * 6];
            String[] timecodes = new String[25];
            long cpu = 0;
            for (int s = 0; s < seconds; s++) {
                // The second's samples first, outside the measured time: only offering them counts.
                for (int r = 0; r < rigs; r++) {
                    for (int b = 0; b < batches; b++) {
                        for (int i = 0; i < samplesPerBatch; i++) {
                            long index = (long) s * 1000 + (long) b * samplesPerBatch + i;
                            device[r][b][i] = 5_000_000_000L + index * 1_000_000L;
                            // A crystal 20 ppm fast: production times are not whole milliseconds apart.
                            utc[r][b][i] = startNanos + Math.round(index * 1_000_000L * (1 - 20e-6));
                            motion[r].sample(index, sample);
                            for (int k = 0; k < 6; k++) {
                                values[r][b][i * 6 + k] = encoding == PayloadEncoding.PACKED
                                        ? packed(sample[k], k < 3 ? ACCEL_PER_COUNT : GYRO_PER_COUNT)
                                        : encoding == PayloadEncoding.CBOR ? (float) sample[k] : sample[k];
                            }
                        }
                    }
                }
                for (int f = 0; f < 25; f++) {
                    timecodes[f] = timecode((long) s * 25 + f);
                }
                long second = startNanos + s * 1_000_000_000L;
                long cpuStart = threads.getCurrentThreadCpuTime();
                for (int r = 0; r < rigs; r++) {
                    String rig = names[r];
                    for (int b = 0; b < batches; b++) {
                        PointBatch batch = writes.batch(samplesPerBatch);
                        if (encoding == PayloadEncoding.PACKED) {
                            batch.imuCounts(
                                    rig, utc[r][b], values[r][b], device[r][b], ACCEL_PER_COUNT, GYRO_PER_COUNT);
                        } else {
                            batch.imu(rig, utc[r][b], values[r][b], device[r][b]);
                        }
                        if (b == 0) {
                            batch.rollup(new RollupPoint(rig, second, 1.0625, 0.98, 123.4, 17.25, 1000, 1000, 0));
                        }
                        if (b == 0 && s % 10 == 3) {
                            batch.motionEvent(new MotionEventPoint(
                                    rig,
                                    "head-turn",
                                    second + 1_000,
                                    second + 400_000_000L,
                                    210.5,
                                    74.2,
                                    "left",
                                    Double.NaN,
                                    0,
                                    ""));
                        }
                        batch.offer(() -> {});
                        samples += samplesPerBatch;
                    }
                    for (int f = 0; f < 25; f++) {
                        long frame = (long) s * 25 + f;
                        writes.batch(0)
                                .timecode(new TimecodePoint(
                                        rig,
                                        second + f * 40_000_000L,
                                        timecodes[f],
                                        "25",
                                        false,
                                        frame + 1_234_567,
                                        5_000_000_000L + frame * 40_000_000L,
                                        frame,
                                        "b7c1d2e3"))
                                .offer(() -> {});
                    }
                    if (s % 5 == 0) {
                        writes.batch(0)
                                .status(new StatusPoint(
                                        rig,
                                        s / 5,
                                        "b7c1d2e3",
                                        OptionalDouble.of(87.5),
                                        OptionalDouble.of(3.91),
                                        OptionalDouble.of(41.2),
                                        OptionalInt.of(-61),
                                        Optional.of(true),
                                        OptionalDouble.of(1000),
                                        OptionalInt.of(16),
                                        OptionalInt.of(2000),
                                        Optional.of("1.4.2"),
                                        second))
                                .offer(() -> {});
                    }
                }
                cpu += threads.getCurrentThreadCpuTime() - cpuStart;
            }
            long bytes = spool.unwrittenBytes();
            // What a writer then pays: read the records and turn them into the line protocol it sends.
            long readStart = threads.getCurrentThreadCpuTime();
            long after = 0;
            long chars = 0;
            while (true) {
                List<SpoolRecord> records = spool.readFrom(after, 5000);
                if (records.isEmpty()) {
                    break;
                }
                StringBuilder body = new StringBuilder(5000 * 160);
                for (SpoolRecord record : records) {
                    record.appendLinesTo(body);
                }
                chars += body.length();
                after = records.get(records.size() - 1).sequence();
            }
            long readCpu = threads.getCurrentThreadCpuTime() - readStart;
            return new Result(samples, bytes, cpu, readCpu, chars, rigs);
        } finally {
            spool.close();
            deleteTree(directory);
        }
    }

    private static final String PART = "spool";
    private static final int NOMINAL_RIGS = 13;
    /** Simulated seconds per encoding: enough for every kind of point (a motion event every 10 s). */
    private static final int SECONDS = 60;

    /**
     * The {@code spool} part of {@code ./rigtel bench}: for JSON, float32 CBOR and packed batches of
     * 50 samples, the spool bytes per IMU sample (all records included) and how long the default
     * quota holds 13 rigs x 1 kHz (the nominal load, whatever {@code --rigs} says) of an InfluxDB outage before back-pressure; also the offering
     * thread's CPU per sample.
     */
    static void report(Path work, BenchReport report) throws IOException {
        int rigs = NOMINAL_RIGS;
        int i = 0;
        for (PayloadEncoding encoding : PayloadEncoding.values()) {
            Result result = measure(work.resolve("spool-capacity-" + i++), encoding, rigs, SECONDS, 50);
            double hours = result.secondsHeld(DEFAULT_QUOTA_BYTES) / 3600;
            report.add(
                    PART,
                    encoding.label() + ", 50 samples a batch",
                    String.format(
                            java.util.Locale.ROOT,
                            "%.1f bytes/sample, 2 GiB holds %.2f h of %d rigs x 1 kHz; CPU/sample: %.0f ns to offer,"
                                    + " %.0f ns to read as line protocol",
                            result.bytesPerSample(),
                            hours,
                            rigs,
                            result.cpuNanosPerSample(),
                            result.readCpuNanosPerSample()),
                    ">= 1 h",
                    hours >= 1);
        }
    }

    /** Count times scale, as the collector's decoder computes a packed value. */
    private static double packed(double value, double perCount) {
        int c = (int) Math.max(-32768, Math.min(32767, Math.round(value / perCount)));
        return c * perCount;
    }

    private static String timecode(long frame) {
        long f = frame % 25;
        long seconds = frame / 25;
        return String.format("%02d:%02d:%02d:%02d", 10 + seconds / 3600 % 14, seconds / 60 % 60, seconds % 60, f);
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.testing.RecordingSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compact spool record turns back into exactly the line protocol the direct encoding writes, for
 * every double a batch can hold; spools written before compact records still open and drain.
 */
class CompactRecordTest {

    private static final long T = 1_700_000_000_000_000_000L;
    private static final double ACCEL_PER_COUNT = 16 / 32768.0 * 9.80665;
    private static final double GYRO_PER_COUNT = 2000 / 32768.0;

    @TempDir
    Path dir;

    /** The line protocol the encoder writes directly, as before compact records. */
    private static String direct(String rig, long[] utc, double[] values, long[] device) {
        return new LineEncoder(256).imu(rig, utc, values, device).text();
    }

    private static String roundTrip(
            String rig, long[] utc, double[] values, long[] device, double accelPerCount, double gyroPerCount) {
        byte[] body = new CompactRecord(64)
                .imu(rig, utc, values, device, accelPerCount, gyroPerCount)
                .toBytes();
        return CompactRecord.appendLines(body, 0, body.length, new StringBuilder(), true)
                .toString();
    }

    private static long[] times(int n, long first, long step) {
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = first + i * step;
        }
        return times;
    }

    private static void assertSameLines(double[] values) {
        int n = values.length / 6;
        long[] utc = times(n, T + 123_456_789L, 999_980L);
        long[] device = times(n, 42_000_000L, 1_000_000L);
        String expected = direct("rig 01,a=b\\c", utc, values, device);
        assertThat(roundTrip("rig 01,a=b\\c", utc, values, device, Double.NaN, Double.NaN))
                .isEqualTo(expected);
        // A scale that does not fit the values changes nothing either.
        assertThat(roundTrip("rig 01,a=b\\c", utc, values, device, ACCEL_PER_COUNT, GYRO_PER_COUNT))
                .isEqualTo(expected);
    }

    @Test
    void decimalValuesReadBackAsTheSameLineProtocol() {
        assertSameLines(new double[] {
            0.125, -9.80665, 1.0, 12.5, -0.001, 1234.5678, 0.1, 0.2, 0.3, 1e-5, 3.0, -7.25, 9.8066, -0.0123, 0, -3,
            156.9064, -1999.939
        });
    }

    @Test
    void negativeZeroIsWrittenAsZeroAsBefore() {
        double[] values = {-0.0, 0.0, -0.0, -0.0, 1.5, -0.0};
        assertSameLines(values);
        assertThat(roundTrip("r", new long[] {T}, values, new long[] {1}, Double.NaN, Double.NaN))
                .startsWith("imu,rig=r ax=0,ay=0,az=0,gx=0,gy=1.5,gz=0,");
    }

    @Test
    void largeAndSmallExponentsReadBackAsTheSameLineProtocol() {
        assertSameLines(new double[] {
            1e15,
            1e16,
            -1e22,
            Double.MAX_VALUE,
            -Double.MIN_VALUE,
            Double.MIN_NORMAL,
            1e-300,
            0.30000000000000004,
            123456789.123456789,
            -4.9e-324,
            9007199254740993.0,
            1e-3,
            9.999e-4,
            1e14 + 0.5,
            Math.PI,
            -Math.E,
            1.0 / 3,
            2.5e-7
        });
    }

    @Test
    void floatsWidenedFromCborReadBackAsTheSameLineProtocol() {
        SplittableRandom random = new SplittableRandom(7);
        double[] values = new double[60];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 20);
        }
        assertSameLines(values);
    }

    @Test
    void anyFiniteDoubleReadsBackAsTheSameLineProtocol() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 200; round++) {
            double[] values = new double[6 * (1 + random.nextInt(60))];
            for (int i = 0; i < values.length; i++) {
                double v;
                do {
                    v = switch (random.nextInt(4)) {
                        case 0 -> Double.longBitsToDouble(random.nextLong());
                        case 1 -> Math.rint(random.nextGaussian() * 1e4) / 1e4;
                        case 2 -> Math.rint(random.nextGaussian() * 1e6) / 1e3;
                        default -> random.nextGaussian();
                    };
                } while (!Double.isFinite(v));
                values[i] = v;
            }
            assertSameLines(values);
        }
    }

    @Test
    void packedCountsReadBackAsTheSameLineProtocolInAFewBytesASample() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 50;
        double[] values = new double[n * 6];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 6; k++) {
                int count = i == 0 ? (k % 2 == 0 ? -32768 : 32767) : (int) (random.nextGaussian() * 300) + 2048;
                values[i * 6 + k] = count * (k < 3 ? ACCEL_PER_COUNT : GYRO_PER_COUNT);
            }
        }
        values[7] = -0.0 * ACCEL_PER_COUNT;
        long[] utc = times(n, T, 999_980L);
        long[] device = times(n, 5_000_000_000L, 1_000_000L);
        String expected = direct("rig-1", utc, values, device);

        byte[] body = new CompactRecord(64)
                .imu("rig-1", utc, values, device, ACCEL_PER_COUNT, GYRO_PER_COUNT)
                .toBytes();

        assertThat(CompactRecord.appendLines(body, 0, body.length, new StringBuilder(), true)
                        .toString())
                .isEqualTo(expected);
        // Held as counts: independent noise of 300 counts takes two bytes a value; as doubles it were 48 a sample.
        assertThat(body.length).isLessThan(n * 16);
        assertThat(expected.length()).isGreaterThan(n * 120);
    }

    @Test
    void decimalColumnsOfEveryScaleReadBackAsTheSameLineProtocol() {
        SplittableRandom random = new SplittableRandom(23);
        for (int k = 0; k <= 17; k++) {
            for (int digits = 1; digits <= 17; digits++) {
                double[] values = new double[6 * 20];
                long bound = (long) Math.pow(10, digits);
                for (int i = 0; i < values.length; i++) {
                    long m = random.nextLong(bound) * (random.nextBoolean() ? 1 : -1);
                    values[i] = i % 7 == 0 ? 0.0 : i % 11 == 0 ? -0.0 : m / Math.pow(10, k);
                }
                assertSameLines(values);
            }
        }
    }

    /** A packed batch whose sample {@code i} has count {@code counts[i]} on every axis. */
    private static void assertCountsReadBack(int[] counts, double accelPerCount, double gyroPerCount) {
        int n = counts.length;
        double[] values = new double[n * 6];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 6; k++) {
                values[i * 6 + k] = counts[i] * (k < 3 ? accelPerCount : gyroPerCount);
            }
        }
        long[] utc = times(n, T, 999_980L);
        long[] device = times(n, 5_000_000_000L, 1_000_000L);
        byte[] body = new CompactRecord(64)
                .imu("rig-1", utc, values, device, accelPerCount, gyroPerCount)
                .toBytes();
        assertThat(body.length).as("held as counts").isLessThan(n * 6 * 4 + 64);
        // Twice: the first time a count's text is made, the second it is the one kept.
        for (int round = 0; round < 2; round++) {
            assertThat(CompactRecord.appendLines(body, 0, body.length, new StringBuilder(), true)
                            .toString())
                    .isEqualTo(direct("rig-1", utc, values, device));
        }
    }

    @Test
    void everyCountOfThePackedScalesReadsBackAsTheSameLineProtocol() {
        int[] counts = new int[65_537];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = i - 32_768;
        }
        assertCountsReadBack(counts, ACCEL_PER_COUNT, GYRO_PER_COUNT);
        assertCountsReadBack(counts, 2 / 32768.0 * 9.80665, 250 / 32768.0);
    }

    @Test
    void countsOfMoreScalesThanAreKeptReadBackAsTheSameLineProtocol() {
        SplittableRandom random = new SplittableRandom(29);
        int[] counts = new int[600];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = i < 3 ? new int[] {-32_768, 0, 32_767}[i] : random.nextInt(-32_768, 32_768);
        }
        for (int scale = 0; scale < 40; scale++) {
            double perCount =
                    scale % 3 == 0 ? random.nextDouble() * 0.01 : (1 + random.nextInt(64)) / 32768.0 * 9.80665;
            assertCountsReadBack(counts, perCount, scale % 2 == 0 ? 0.1 : 1e-7 * (scale + 1));
        }
    }

    @Test
    void anyTimesReadBackExactly() {
        long[] utc = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, T, T + 1, T - 999_999_999L};
        long[] device = {Long.MAX_VALUE, Long.MIN_VALUE, 1, 2, 4, 8, Long.MIN_VALUE + 1};
        double[] values = new double[utc.length * 6];
        assertThat(roundTrip("r", utc, values, device, Double.NaN, Double.NaN))
                .isEqualTo(direct("r", utc, values, device));
    }

    @Test
    void refusesValuesThatAreNotFiniteAsTheDirectEncodingDoes() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            double[] values = {1, 2, 3, 4, 5, bad};
            assertThatThrownBy(() -> direct("r", new long[] {T}, values, new long[] {1}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("line protocol has no " + bad);
            assertThatThrownBy(() -> new LineBatch(null, 1).imu("r", new long[] {T}, values, new long[] {1}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("line protocol has no " + bad);
        }
    }

    @Test
    void aBatchKeepsItsPointsInTheOrderTheyWereAdded() {
        double[] values = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5};
        RollupPoint rollup = new RollupPoint("rig-1", T, 1.5, 0.9, 100, 20, 1000, 1000, 0);
        TimecodePoint timecode = new TimecodePoint("rig-1", T, "10:00:00:00", "25", false, 900_000, 1, 2, "b");
        LineBatch batch = new LineBatch(null, 2);
        batch.timecode(timecode)
                .imu("rig-1", new long[] {T}, values, new long[] {1})
                .rollup(rollup)
                .imuCounts("rig-2", new long[] {T + 1}, new double[6], new long[] {2}, ACCEL_PER_COUNT, 0.5);

        String expected = new LineEncoder(256)
                .timecode(timecode)
                .imu("rig-1", new long[] {T}, values, new long[] {1})
                .rollup(rollup)
                .imu("rig-2", new long[] {T + 1}, new double[6], new long[] {2})
                .text();
        assertThat(batch.lines()).isEqualTo(expected);
        assertThat(batch.points()).isEqualTo(4);
    }

    @Test
    void theWritersReceiveTheSameLineProtocolAndTheQuotaCountsTheCompactBytes() throws Exception {
        Spool spool = Spool.open(SpoolOptions.defaults(dir.resolve("spool")));
        RecordingSink sink = new RecordingSink();
        sink.down(true);
        WriteBuffer buffer = new WriteBuffer(
                        sink,
                        spool,
                        // One writer, so that the bodies arrive in spool order.
                        new WriteBufferOptions(
                                100_000, Duration.ofMillis(5), Duration.ofMillis(1), Duration.ofMillis(5), 1),
                        new StoreMeters(new SimpleMeterRegistry()))
                .start();
        StringBuilder expected = new StringBuilder();
        long textBytes = 0;
        try {
            for (int b = 0; b < 20; b++) {
                double[] values = new double[50 * 6];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Math.rint(Math.sin(b * 50 + i) * 1e5) / 1e4;
                }
                long[] utc = times(50, T + b * 50_000_000L, 999_980L);
                long[] device = times(50, b * 50_000_000L, 1_000_000L);
                String lines = direct("rig-1", utc, values, device);
                expected.append(lines);
                textBytes += lines.length();
                new LineBatch(buffer, 50).imu("rig-1", utc, values, device).offer(() -> {});
            }
            assertThat(spool.unwrittenBytes()).isLessThan(textBytes / 4);
            sink.down(false);
            buffer.flush();
            await().atMost(10, TimeUnit.SECONDS).until(() -> spool.unwrittenPoints() == 0);
        } finally {
            buffer.close();
        }
        assertThat(sink.lines())
                .containsExactlyElementsOf(expected.toString().lines().toList());
    }

    @Test
    void aRecordThatCannotBeReadBackIsCountedAndDroppedAndTheRestIsWritten() throws Exception {
        Spool spool = Spool.open(SpoolOptions.defaults(dir.resolve("unreadable")));
        RecordingSink sink = new RecordingSink();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WriteBuffer buffer = new WriteBuffer(
                        sink,
                        spool,
                        new WriteBufferOptions(
                                100_000, Duration.ofMillis(5), Duration.ofMillis(1), Duration.ofMillis(5), 1),
                        new StoreMeters(registry))
                .start();
        try {
            // Checksummed as written, but of a format this code does not know (a newer collector's).
            buffer.offerCompact(new byte[] {9, 1, 2, 3}, 7, () -> {}, () -> {});
            buffer.offer("m v=1i 1\n", 1, () -> {});
            await().atMost(10, TimeUnit.SECONDS).until(() -> spool.unwrittenPoints() == 0);
        } finally {
            buffer.close();
        }
        assertThat(sink.lines()).containsExactly("m v=1i 1");
        assertThat(registry.get("rigtel.store.points.dropped")
                        .tag("reason", "unreadable")
                        .counter()
                        .count())
                .isEqualTo(7.0);
    }

    /**
     * A segment as the code before compact records wrote it, byte by byte (the layout {@code
     * RecordCodecTest} pins): it opens, reads and drains as the same line protocol, and records
     * appended after it are compact.
     */
    @Test
    void aSpoolWrittenBeforeCompactRecordsOpensAndDrains() throws Exception {
        Path spoolDir = dir.resolve("old");
        Files.createDirectories(spoolDir);
        String first = "imu,rig=r1 ax=1.5,ay=-1.25,az=0,gx=0,gy=0,gz=0,dev_ns=1i 1700000000000000001\n";
        String second = "timecode,rig=r1 tc=\"10:00:00:00\",rate=\"25\" 1700000000000000002\n"
                + "slate,rig=r1 note=\"Ünïcødé ✓\" 1700000000000000003\n";
        List<byte[]> records = List.of(oldRecord(first, 1, 1), oldRecord(second, 2, 2));
        ByteBuffer segment =
                ByteBuffer.allocate(records.stream().mapToInt(r -> r.length).sum());
        records.forEach(segment::put);
        Files.write(spoolDir.resolve(Spool.segmentName(1)), segment.array());

        Spool spool = Spool.open(SpoolOptions.defaults(spoolDir));
        assertThat(spool.recoveredRecords()).isEqualTo(2);
        assertThat(spool.unwrittenPoints()).isEqualTo(3);
        assertThat(spool.readFrom(0, 100)).containsExactly(new SpoolRecord(1, 1, first), new SpoolRecord(2, 2, second));

        RecordingSink sink = new RecordingSink();
        WriteBuffer buffer = new WriteBuffer(
                        sink,
                        spool,
                        // One writer, so that the bodies arrive in spool order.
                        new WriteBufferOptions(
                                100_000, Duration.ofMillis(5), Duration.ofMillis(1), Duration.ofMillis(5), 1),
                        new StoreMeters(new SimpleMeterRegistry()))
                .start();
        double[] values = {0.25, -0.5, 9.8, 1, 2, 3};
        new LineBatch(buffer, 1)
                .imu("r1", new long[] {T}, values, new long[] {7})
                .offer(() -> {});
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() -> spool.unwrittenPoints() == 0);
        } finally {
            buffer.close();
        }
        List<String> expected = new ArrayList<>((first + second).lines().toList());
        expected.add(direct("r1", new long[] {T}, values, new long[] {7}).strip());
        assertThat(sink.lines()).containsExactlyElementsOf(expected);

        Spool reopened = Spool.open(SpoolOptions.defaults(spoolDir));
        try {
            assertThat(reopened.committed()).isEqualTo(3);
            assertThat(reopened.unwrittenPoints()).isZero();
        } finally {
            reopened.close();
        }
    }

    @Test
    void aCompactRecordSurvivesAReopenAndRestoresItsOtherPointsWithoutItsSamples() throws Exception {
        Path spoolDir = dir.resolve("reopen");
        RollupPoint rollupPoint = new RollupPoint("rig-1", T, 1.5, 0.9, 100, 20, 1000, 1000, 0);
        LineBatch batch = new LineBatch(null, 2);
        batch.imu("rig-1", new long[] {T, T + 1}, new double[] {1, 2, 3, 4, 5, 6, 0.5, 1, 2, 3, 4, 5}, new long[] {1, 2
                })
                .rollup(rollupPoint);
        String lines = batch.lines();
        Spool spool = Spool.open(SpoolOptions.defaults(spoolDir));
        try {
            long sequence = spool.appendCompact(batch.body(), batch.points());
            spool.durable(sequence).get(5, TimeUnit.SECONDS);
        } finally {
            spool.close();
        }
        Spool reopened = Spool.open(SpoolOptions.defaults(spoolDir));
        try {
            List<SpoolRecord> read = reopened.readFrom(0, 100);
            assertThat(read).hasSize(1);
            assertThat(read.get(0).isCompact()).isTrue();
            assertThat(read.get(0).points()).isEqualTo(3);
            assertThat(read.get(0).lines()).isEqualTo(lines);
            assertThat(read.get(0).linesExceptImu())
                    .isEqualTo(new LineEncoder(64).rollup(rollupPoint).text());
        } finally {
            reopened.close();
        }
    }

    /** One record in the layout of the code before compact records. */
    private static byte[] oldRecord(String lines, int points, long sequence) {
        byte[] text = lines.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(4 + text.length).putInt(points).put(text);
        CRC32C crc = new CRC32C();
        crc.update(payload.array());
        return ByteBuffer.allocate(16 + payload.capacity())
                .putInt(payload.capacity())
                .putInt((int) crc.getValue())
                .putLong(sequence)
                .put(payload.array())
                .array();
    }
}

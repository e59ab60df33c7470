package dev.rigtel.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.rigtel.collector.testing.CapturedLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    private final List<Spool> opened = new ArrayList<>();
    private final CapturedLog log = CapturedLog.of(Spool.class);

    @AfterEach
    void closeAll() {
        log.close();
        opened.forEach(Spool::close);
    }

    private Spool open(SpoolOptions options) throws IOException {
        Spool spool = Spool.open(options);
        opened.add(spool);
        return spool;
    }

    private Spool open() throws IOException {
        return open(SpoolOptions.defaults(dir));
    }

    private static String line(int i) {
        return "imu,rig=r" + (i % 3) + " ax=" + i + ".5,ay=-1.25 " + (1_700_000_000_000_000_000L + i) + "\n";
    }

    /** Appends records 1..n (one point each) and waits until they are durable. */
    private static void appendDurably(Spool spool, int from, int to) throws Exception {
        long last = 0;
        for (int i = from; i <= to; i++) {
            last = spool.append(line(i), 1);
        }
        spool.durable(last).get(5, TimeUnit.SECONDS);
    }

    private static List<Long> sequences(List<SpoolRecord> records) {
        return records.stream().map(SpoolRecord::sequence).toList();
    }

    private Path onlySegment() throws IOException {
        List<Path> segments = segmentFiles();
        assertThat(segments).hasSize(1);
        return segments.get(0);
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("spool-\\d{20}\\.log"))
                    .sorted()
                    .toList();
        }
    }

    private List<ILoggingEvent> logged(Level level) {
        return log.at(level);
    }

    @Test
    void appendedRecordsBecomeDurableReadableAndCommitted() throws Exception {
        Spool spool = open();
        long first = spool.append(line(1), 1);
        long second = spool.append(line(2) + line(3), 2);
        long fourth = spool.append(line(4), 1);
        assertThat(List.of(first, second, fourth)).containsExactly(1L, 2L, 3L);

        assertThat(spool.durable(fourth).get(5, TimeUnit.SECONDS)).isEqualTo(3L);
        assertThat(spool.durable(first)).isCompletedWithValue(1L);
        assertThat(spool.unwrittenPoints()).isEqualTo(4);

        List<SpoolRecord> records = spool.readFrom(0, 100);
        assertThat(records)
                .containsExactly(
                        new SpoolRecord(1, 1, line(1)),
                        new SpoolRecord(2, 2, line(2) + line(3)),
                        new SpoolRecord(3, 1, line(4)));

        spool.commit(2);
        assertThat(spool.committed()).isEqualTo(2);
        assertThat(spool.unwrittenPoints()).isEqualTo(1);
        assertThat(spool.unwrittenBytes()).isEqualTo(Spool.HEADER_BYTES + 4 + line(4).length());
        assertThat(sequences(spool.readFrom(0, 100))).containsExactly(3L);
        assertThat(spool.readFrom(3, 100)).isEmpty();
    }

    @Test
    void readsAboutMaxPointsButAlwaysAtLeastOneRecord() throws Exception {
        Spool spool = open();
        spool.append(line(1) + line(2) + line(3), 3);
        spool.append(line(4), 1);
        spool.append(line(5), 1);
        spool.durable(3).get(5, TimeUnit.SECONDS);

        assertThat(sequences(spool.readFrom(0, 1))).containsExactly(1L);
        assertThat(sequences(spool.readFrom(0, 4))).containsExactly(1L, 2L);
        assertThat(sequences(spool.readFrom(1, 2))).containsExactly(2L, 3L);
    }

    @Test
    void reopeningReplaysExactlyTheUnwrittenRecordsInOrder() throws Exception {
        Spool spool = open();
        appendDurably(spool, 1, 10);
        spool.commit(4);
        spool.close();

        Spool reopened = open();
        assertThat(reopened.committed()).isEqualTo(4);
        assertThat(reopened.lastSequence()).isEqualTo(10);
        assertThat(reopened.recoveredRecords()).isEqualTo(6);
        assertThat(reopened.unwrittenPoints()).isEqualTo(6);
        List<SpoolRecord> replayed = reopened.readFrom(0, 1000);
        assertThat(sequences(replayed)).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(replayed.get(0).lines()).isEqualTo(line(5));
        assertThat(replayed.get(5).lines()).isEqualTo(line(10));

        assertThat(reopened.append(line(11), 1)).isEqualTo(11);
        reopened.durable(11).get(5, TimeUnit.SECONDS);
        reopened.commit(11);
        reopened.close();

        Spool fourth = open();
        assertThat(fourth.readFrom(0, 1000)).isEmpty();
        assertThat(fourth.append(line(12), 1)).isEqualTo(12);
        assertThat(logged(Level.WARN)).isEmpty();
        assertThat(logged(Level.ERROR)).isEmpty();
    }

    @Test
    void concurrentAppendsShareFsyncs() throws Exception {
        Spool spool = open();
        int threads = 4;
        int perThread = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<CompletableFuture<Long>>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                start.await();
                List<CompletableFuture<Long>> durable = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    durable.add(spool.durable(spool.append(line(thread * perThread + i), 1)));
                }
                return durable;
            }));
        }
        start.countDown();
        List<Long> acked = new ArrayList<>();
        for (Future<List<CompletableFuture<Long>>> result : results) {
            for (CompletableFuture<Long> durable : result.get(30, TimeUnit.SECONDS)) {
                acked.add(durable.get(30, TimeUnit.SECONDS));
            }
        }
        pool.shutdown();

        assertThat(acked).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(spool.lastSequence()).isEqualTo(threads * perThread);
        assertThat(spool.durableSequence()).isEqualTo(threads * perThread);
        assertThat(spool.fsyncCount()).isPositive().isLessThan(threads * perThread / 20);
        assertThat(sequences(spool.readFrom(0, Integer.MAX_VALUE)))
                .hasSize(threads * perThread)
                .isSorted();
    }

    @Test
    void completesDurableFuturesInSequenceOrder() throws Exception {
        Spool spool = open();
        List<Long> completed = new ArrayList<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            long sequence = spool.append(line(i), 1);
            all.add(spool.durable(sequence).thenAccept(s -> {
                synchronized (completed) {
                    completed.add(s);
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(completed).hasSize(200).isSorted();
    }

    @Test
    void intervalPolicyHoldsRecordsBackUntilTheNextSyncAndCloseSyncsThem() throws Exception {
        Spool spool = open(
                SpoolOptions.defaults(dir).withFsyncPolicy(FsyncPolicy.INTERVAL).withSyncInterval(Duration.ofHours(1)));
        spool.durable(spool.append(line(1), 1)).get(5, TimeUnit.SECONDS);
        CompletableFuture<Long> second = spool.durable(spool.append(line(2), 1));

        assertThat(second).isNotDone();
        assertThat(sequences(spool.readFrom(0, 100))).containsExactly(1L);
        assertThatThrownBy(() -> spool.commit(2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(spool.awaitReadable(1, 1, TimeUnit.MILLISECONDS)).isFalse();

        spool.close();
        assertThat(second).isCompletedWithValue(2L);
        assertThat(sequences(open().readFrom(0, 100))).containsExactly(1L, 2L);
    }

    @Test
    void withoutFsyncARecordIsDurableOnceWritten() throws Exception {
        Spool spool = open(SpoolOptions.defaults(dir).withFsyncPolicy(FsyncPolicy.NONE));
        long sequence = spool.append(line(1), 1);
        assertThat(spool.durable(sequence)).isCompletedWithValue(1L);
        assertThat(spool.awaitReadable(0, 0, TimeUnit.SECONDS)).isTrue();
        spool.commit(1);
        assertThat(spool.fsyncCount()).isZero();
    }

    @Test
    void recoversTheIntactRecordsBeforeATruncatedTail() throws Exception {
        Spool spool = open();
        appendDurably(spool, 1, 5);
        spool.close();
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 10);
        }

        Spool reopened = open();
        assertRecoveredAfterTornTail(reopened, 4, line(5).length() + 4 + Spool.HEADER_BYTES - 10);
    }

    @Test
    void recoversTheIntactRecordsBeforeGarbageAtTheTail() throws Exception {
        Spool spool = open();
        appendDurably(spool, 1, 5);
        spool.close();
        byte[] garbage = new byte[37];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(onlySegment(), garbage, StandardOpenOption.APPEND);

        assertRecoveredAfterTornTail(open(), 5, 37);
    }

    @Test
    void recoversTheIntactRecordsBeforeZerosAtTheTail() throws Exception {
        Spool spool = open();
        appendDurably(spool, 1, 5);
        spool.close();
        // ext4 after a power loss: the size grew, the data never arrived.
        Files.write(onlySegment(), new byte[4096], StandardOpenOption.APPEND);

        assertRecoveredAfterTornTail(open(), 5, 4096);
    }

    @Test
    void dropsALastRecordWhoseChecksumFails() throws Exception {
        Spool spool = open();
        appendDurably(spool, 1, 5);
        spool.close();
        Path segment = onlySegment();
        flipByte(segment, Files.size(segment) - 3);

        assertRecoveredAfterTornTail(open(), 4, Spool.HEADER_BYTES + 4 + line(5).length());
    }

    private void assertRecoveredAfterTornTail(Spool reopened, int intact, long droppedBytes) throws Exception {
        assertThat(reopened.lastSequence()).isEqualTo(intact);
        assertThat(reopened.droppedTailBytes()).isEqualTo(droppedBytes);
        List<SpoolRecord> records = reopened.readFrom(0, 1000);
        assertThat(sequences(records)).hasSize(intact).isSorted();
        assertThat(records.get(intact - 1).lines()).isEqualTo(line(intact));
        assertThat(logged(Level.WARN)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("torn record")
                .contains("dropped the last " + droppedBytes + " bytes"));
        assertThat(logged(Level.ERROR)).isEmpty();

        long next = reopened.append(line(99), 1);
        assertThat(next).isEqualTo(intact + 1);
        reopened.durable(next).get(5, TimeUnit.SECONDS);
        reopened.close();

        Spool again = open();
        assertThat(again.droppedTailBytes()).isZero();
        List<SpoolRecord> all = again.readFrom(0, 1000);
        assertThat(all).hasSize(intact + 1);
        assertThat(all.get(intact).lines()).isEqualTo(line(99));
    }

    @Test
    void movesCorruptionInAnOlderSegmentAsideAndReportsIt() throws Exception {
        int recordBytes = Spool.HEADER_BYTES + 4 + line(10).length();
        Spool spool = open(SpoolOptions.defaults(dir).withSegmentBytes(4L * recordBytes));
        appendDurably(spool, 10, 21);
        spool.close();
        List<Path> segments = segmentFiles();
        assertThat(segments).hasSize(3);
        // Inside the payload of the second record of the first segment (sequence 2).
        flipByte(segments.get(0), recordBytes + Spool.HEADER_BYTES + 10);

        Spool reopened = open(SpoolOptions.defaults(dir).withSegmentBytes(4L * recordBytes));
        assertThat(reopened.corruptSegments()).isEqualTo(1);
        Path aside = segments.get(0).resolveSibling(segments.get(0).getFileName() + ".corrupt");
        assertThat(aside).exists().hasSize(3L * recordBytes);
        assertThat(segments.get(0)).hasSize(recordBytes);
        assertThat(logged(Level.ERROR)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("corrupt at byte " + recordBytes)
                .contains("checksum"));
        assertThat(sequences(reopened.readFrom(0, 1000))).containsExactly(1L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(reopened.unwrittenPoints()).isEqualTo(9);

        long next = reopened.append(line(99), 1);
        assertThat(next).isEqualTo(13);
        reopened.durable(next).get(5, TimeUnit.SECONDS);
        reopened.commit(next);
        assertThat(reopened.unwrittenBytes()).isZero();
    }

    @Test
    void rollsSegmentsAtSegmentBytesAndDeletesThemOnceCommitted() throws Exception {
        int recordBytes = Spool.HEADER_BYTES + 4 + line(10).length();
        long segmentBytes = 3L * recordBytes + recordBytes / 2;
        Spool spool = open(SpoolOptions.defaults(dir).withSegmentBytes(segmentBytes));
        appendDurably(spool, 10, 19);

        assertThat(spool.segmentFirstSequences()).containsExactly(1L, 4L, 7L, 10L);
        assertThat(segmentFiles())
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "spool-00000000000000000001.log",
                        "spool-00000000000000000004.log",
                        "spool-00000000000000000007.log",
                        "spool-00000000000000000010.log");
        for (Path segment : segmentFiles()) {
            assertThat(Files.size(segment)).isLessThanOrEqualTo(segmentBytes);
        }
        assertThat(spool.diskBytes()).isEqualTo(10L * recordBytes);

        spool.commit(5);
        assertThat(spool.segmentFirstSequences()).containsExactly(4L, 7L, 10L);
        spool.commit(6);
        assertThat(spool.segmentFirstSequences()).containsExactly(7L, 10L);
        assertThat(segmentFiles()).hasSize(2);
        spool.commit(10);
        // The segment being appended to stays, even when all of it is written.
        assertThat(spool.segmentFirstSequences()).containsExactly(10L);
        assertThat(sequences(spool.readFrom(0, 100))).isEmpty();
        spool.close();

        Spool reopened = open(SpoolOptions.defaults(dir).withSegmentBytes(segmentBytes));
        assertThat(reopened.lastSequence()).isEqualTo(10);
        assertThat(reopened.append(line(1), 1)).isEqualTo(11);
    }

    @Test
    void reportsOverQuotaAndResumesOnceCommitsBringItBelowTheMark() throws Exception {
        int recordBytes = Spool.HEADER_BYTES + 4 + line(10).length();
        Spool spool = open(SpoolOptions.defaults(dir).withMaxBytes(10L * recordBytes));
        appendDurably(spool, 10, 19);
        assertThat(spool.overQuota()).isFalse();
        AtomicInteger resumedAtOnce = new AtomicInteger();
        spool.whenBelow(1.0, resumedAtOnce::incrementAndGet);
        assertThat(resumedAtOnce).hasValue(1);

        appendDurably(spool, 20, 20);
        assertThat(spool.overQuota()).isTrue();
        AtomicInteger resumed = new AtomicInteger();
        spool.whenBelow(0.8, resumed::incrementAndGet);
        assertThat(resumed).hasValue(0);

        spool.commit(2);
        assertThat(spool.overQuota()).isFalse();
        assertThat(resumed).hasValue(0);
        spool.commit(3);
        assertThat(resumed).hasValue(1);
        spool.commit(11);
        assertThat(resumed).hasValue(1);
    }

    @Test
    void ignoresACommittedFileLeftHalfWayThroughItsReplacement() throws Exception {
        Spool spool = open();
        appendDurably(spool, 1, 6);
        spool.commit(3);
        spool.close();
        // A crash after writing the temp file but before the rename.
        ByteBuffer bytes = ByteBuffer.allocate(12).putLong(6);
        CRC32C crc = new CRC32C();
        crc.update(bytes.array(), 0, 8);
        bytes.putInt((int) crc.getValue());
        Files.write(dir.resolve(Spool.COMMITTED_TEMP), bytes.array());

        Spool reopened = open();
        assertThat(reopened.committed()).isEqualTo(3);
        assertThat(dir.resolve(Spool.COMMITTED_TEMP)).doesNotExist();
        assertThat(sequences(reopened.readFrom(0, 100))).containsExactly(4L, 5L, 6L);
    }

    @Test
    void replaysEverythingWhenTheCommittedFileIsUnreadable() throws Exception {
        Spool spool = open();
        appendDurably(spool, 1, 3);
        spool.commit(2);
        spool.close();
        Files.write(dir.resolve(Spool.COMMITTED), new byte[] {1, 2, 3});

        Spool reopened = open();
        assertThat(sequences(reopened.readFrom(0, 100))).containsExactly(1L, 2L, 3L);
        assertThat(logged(Level.ERROR)).hasSize(1);
    }

    @Test
    void continuesAfterTheCommittedSequenceWhenUnsyncedSegmentsWereLost() throws Exception {
        Spool spool = open(SpoolOptions.defaults(dir).withFsyncPolicy(FsyncPolicy.NONE));
        appendDurably(spool, 1, 5);
        spool.commit(5);
        spool.close();
        for (Path segment : segmentFiles()) {
            Files.delete(segment);
        }

        Spool reopened = open();
        assertThat(reopened.lastSequence()).isEqualTo(5);
        assertThat(reopened.append(line(6), 1)).isEqualTo(6);
        assertThat(reopened.durable(6).get(5, TimeUnit.SECONDS)).isEqualTo(6);
        assertThat(sequences(reopened.readFrom(0, 100))).containsExactly(6L);
    }

    @Test
    void refusesRecordsLargerThanASegmentAndAppendsAfterClose() throws Exception {
        Spool spool = open(SpoolOptions.defaults(dir).withSegmentBytes(64));
        assertThatThrownBy(() -> spool.append("x".repeat(45), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(spool.append("x".repeat(44), 1)).isEqualTo(1);
        spool.close();
        assertThatThrownBy(() -> spool.append("x", 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tracksTheAgeOfTheOldestUnwrittenRecord() throws Exception {
        Spool spool = open();
        assertThat(spool.oldestUnwrittenAgeNanos()).isZero();
        long before = System.nanoTime();
        appendDurably(spool, 1, 2);
        assertThat(spool.oldestUnwrittenAppendNanos()).isBetween(before, System.nanoTime());
        spool.commit(2);
        assertThat(spool.oldestUnwrittenAgeNanos()).isZero();
    }

    @Test
    void countsPointsAndAgeAfterASequenceHandedOutButNotCommitted() throws Exception {
        Spool spool = open();
        assertThat(spool.holdsPointsAfter(0, 1)).isFalse();
        assertThat(spool.ageAfterNanos(0)).isZero();
        long before = System.nanoTime();
        appendDurably(spool, 1, 3);
        long fourth = spool.append(line(4), 5);

        assertThat(spool.holdsPointsAfter(0, 8)).isTrue();
        assertThat(spool.holdsPointsAfter(0, 9)).isFalse();
        assertThat(spool.holdsPointsAfter(2, 6))
                .as("records 3 and 4, durable or not")
                .isTrue();
        assertThat(spool.holdsPointsAfter(fourth, 1)).isFalse();
        assertThat(spool.ageAfterNanos(2)).isBetween(0L, System.nanoTime() - before);
        assertThat(spool.ageAfterNanos(fourth)).isZero();

        spool.durable(fourth).get(5, TimeUnit.SECONDS);
        spool.commit(3);
        assertThat(spool.holdsPointsAfter(0, 5))
                .as("only record 4 is left after the commit")
                .isTrue();
        assertThat(spool.holdsPointsAfter(0, 6)).isFalse();
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5a));
            one.rewind();
            channel.write(one, position);
        }
    }
}

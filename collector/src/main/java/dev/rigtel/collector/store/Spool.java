package dev.rigtel.collector.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable first-in first-out log of encoded points on local disk, between MQTT intake and
 * InfluxDB. Intake {@link #append}s each offer and acknowledges it (QoS 1 PUBACK) once {@link
 * #durable} completes; one writer thread {@link #readFrom reads} records, writes them to InfluxDB for
 * as long as that takes, and {@link #commit}s them. Nothing is acknowledged before it is on disk, and
 * nothing leaves the disk before InfluxDB has it, so the collector survives InfluxDB outages of any
 * length within {@link SpoolOptions#maxBytes()} and its own restarts.
 *
 * <h2>On disk</h2>
 *
 * <p>The spool directory holds segment files {@code spool-<first sequence, 20 digits>.log} of at most
 * {@link SpoolOptions#segmentBytes()} each, and a {@code committed} file. A segment is a run of
 * records, big-endian:
 *
 * <pre>
 * u32 length     payload bytes (4 or more)
 * u32 crc        CRC32C of the payload
 * u64 sequence   one more than the record before it; the first record's is the file name's
 * payload        u32 point count, then the line-protocol text in UTF-8; or, with bit 31 of the
 *                count set, a compact body ({@link CompactRecord}: IMU samples in binary, other
 *                points as text), which reads back as the same line protocol
 * </pre>
 *
 * <p>{@code committed} holds the sequence of the last record InfluxDB has (u64) and a CRC32C of it
 * (u32). It is replaced atomically: written to {@code committed.tmp}, fsynced, renamed. A crash before
 * the rename leaves the old value (the leftover temp file is deleted on open); the rename itself is
 * not fsynced, since losing it only replays records. Segments whose records are all committed are
 * deleted, except the one being appended to.
 *
 * <h2>Durability: group commit</h2>
 *
 * <p>{@link #append} writes the record to the current segment (one positional {@code write()} into
 * the page cache, under a lock: the only blocking an event loop sees; on ext4 it can wait a little
 * while an fsync of the same file runs, about 2 us without and 7 us with fsyncs for 3 KB in {@code
 * SpoolBenchmark}) and returns its sequence. A {@code spool-sync} thread then {@code fdatasync}s
 * every segment with unsynced records (and the directory after a new segment was created) and
 * completes the {@link #durable} futures it covered, in sequence order. Under {@link FsyncPolicy#EVERY_BATCH} it starts the next fsync as soon as the
 * previous one finished, so all appends arriving during one fsync share the next; under {@link
 * FsyncPolicy#INTERVAL} at most one fsync per interval; under {@link FsyncPolicy#NONE} a record is
 * durable as soon as it is written (a power loss then loses acknowledged data). The writer only ever
 * sees durable records, so InfluxDB never holds a point the spool could lose. A failed fsync leaves
 * the page cache in an unknown state (Linux may drop the dirty pages and report success next time),
 * so the records it covered are not trusted: they are dropped, their futures complete exceptionally
 * (nothing of them was acknowledged; the publishers resend), and the spool goes on in a new segment.
 * A failed {@code append} (disk full, too many open files) throws and appends nothing. Either way the
 * spool recovers by itself once the disk does; the fault is reported ({@link Faults}) meanwhile.
 *
 * <h2>Recovery</h2>
 *
 * <p>{@link #open} reads every segment and checks every record: length possible, checksum right,
 * sequence contiguous. The first bad record of the <em>last</em> segment is a torn tail (power loss
 * during a write, or zeros the file system left): the file is truncated there and a WARN says how
 * many bytes were dropped; none of them had been acknowledged. A bad record in an <em>older</em>
 * segment should not happen (it was fsynced before the next segment was durable, except during a
 * power loss exactly at a segment roll): the intact prefix is kept, the rest is moved to {@code
 * <segment>.corrupt} for inspection and an ERROR is logged. Records after the committed sequence are
 * then replayed to InfluxDB. Replay is idempotent because every point carries its own nanosecond
 * timestamp: InfluxDB overwrites a point with the same measurement, tag set and timestamp, so
 * writing a record twice stores it once. The spool relies on that and never writes a record
 * without its timestamps.
 *
 * <h2>Back-pressure</h2>
 *
 * <p>{@link #append} never refuses. When more than {@link SpoolOptions#maxBytes()} of records wait
 * for InfluxDB, {@link #overQuota()} turns true and intake stops reading from rig connections; {@link
 * #whenBelow} tells it when to resume (0.8 of the quota is a good mark: enough hysteresis to avoid
 * flapping). Overshoot is bounded by what connections had already read.
 *
 * <h2>Threads and memory</h2>
 *
 * <p>{@code append}, {@code durable}, {@code whenBelow} and the meters may be called from any thread.
 * {@code readFrom} and {@code commit} belong to one writer thread. Future and resume callbacks run on
 * the {@code spool-sync} or writer thread and must be short (hand over to an event loop). Memory: an
 * index entry of about 32 bytes per record not yet committed (about 11 MB for a full 2 GiB spool of 3
 * KB records; at the nominal 13 rigs, with compact IMU records of 50 samples and a record per
 * timecode report, about 590 records a second, so a full 2 GiB spool of 2.5 h holds about 5.4 M
 * records and 170 MB of index); the records themselves stay on disk.
 *
 * <h2>Parts</h2>
 *
 * <p>This class is the facade and does the appending, reading and committing; the parts are
 * package-private: {@link RecordCodec} frames a record, {@link Segment} is one segment file, {@link
 * SpoolIndex} holds the segments and record positions in memory, {@link SegmentScanner} scans and
 * recovers the segments at open, {@link CommitFile} keeps the committed sequence, and {@link
 * GroupCommit} batches fsyncs and completes the {@link #durable} futures. They share this class's
 * lock and logger.
 */
public final class Spool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    /** u32 length, u32 crc, u64 sequence. */
    static final int HEADER_BYTES = RecordCodec.HEADER_BYTES;

    static final String COMMITTED = CommitFile.NAME;
    static final String COMMITTED_TEMP = CommitFile.TEMP;

    private final SpoolOptions options;
    private final Path directory;
    private final boolean fsync;
    private final ReentrantLock lock = new ReentrantLock();
    /** Live segments and the records after {@link #committed}, oldest first. */
    private final SpoolIndex index = new SpoolIndex();

    private final GroupCommit groupCommit;
    private final CommitFile commitFile;
    private final List<Resume> resumes = new ArrayList<>();
    private final Object commitLock = new Object();
    private final AtomicLong appendedRecords = new AtomicLong();
    private final AtomicLong corruptRecords = new AtomicLong();

    private long committed;

    private long recoveredRecords;
    private long droppedTailBytes;
    private long corruptSegments;

    private Spool(SpoolOptions options, Faults faults) {
        this.options = options;
        this.directory = options.directory();
        this.fsync = options.fsyncPolicy() != FsyncPolicy.NONE;
        this.groupCommit = new GroupCommit(lock, index, options, faults);
        this.commitFile = new CommitFile(directory, options.io(), fsync);
    }

    /**
     * Opens the spool in {@link SpoolOptions#directory()}, creating it if missing, recovers what an
     * earlier run left (see the class comment) and starts the sync thread. The caller closes it.
     */
    public static Spool open(SpoolOptions options) throws IOException {
        return open(options, Faults.uncounted());
    }

    /** {@link #open(SpoolOptions)}, reporting disk faults ({@code fsync}) to {@code faults}. */
    public static Spool open(SpoolOptions options, Faults faults) throws IOException {
        Files.createDirectories(options.directory());
        ownerOnly(options.directory());
        Spool spool = new Spool(options, faults);
        try {
            spool.recover();
        } catch (IOException | RuntimeException e) {
            spool.closeChannels();
            throw e;
        }
        spool.groupCommit.start();
        return spool;
    }

    /**
     * Appends one offer and returns its sequence. The record is in the page cache, not yet durable:
     * wait for {@link #durable} before acknowledging it. Thread-safe; blocks only for the {@code
     * write()} into the page cache (and, once per segment, to create the next file). Never refuses
     * for lack of quota: check {@link #overQuota()} afterwards.
     *
     * @throws IllegalArgumentException if the record would not fit in one segment
     * @throws UncheckedIOException if the write failed (nothing was appended) or the spool failed
     * @throws IllegalStateException once the spool is closing
     */
    public long append(String lines, int points) {
        return append(lines.getBytes(StandardCharsets.UTF_8), points, false);
    }

    /**
     * {@link #append(String, int)} of a {@link CompactRecord} body: IMU samples held in binary, read
     * back as the same line protocol.
     */
    long appendCompact(byte[] body, int points) {
        return append(body, points, true);
    }

    private long append(byte[] body, int points, boolean compact) {
        if (points < 0) {
            throw new IllegalArgumentException("points must not be negative");
        }
        int payloadBytes = RecordCodec.payloadBytes(body);
        if ((long) HEADER_BYTES + payloadBytes > options.segmentBytes()) {
            throw new IllegalArgumentException("a record of " + payloadBytes + " bytes does not fit in a segment of "
                    + options.segmentBytes() + " bytes");
        }
        ByteBuffer record = RecordCodec.encode(body, points, compact);
        long nowNanos = System.nanoTime();
        lock.lock();
        try {
            if (groupCommit.closing()) {
                throw new IllegalStateException("spool is closed");
            }
            long sequence = groupCommit.lastSequence() + 1;
            RecordCodec.stamp(record, sequence);
            Segment segment = index.current();
            if (groupCommit.rollRequested()
                    || (segment.size > 0 && segment.size + record.capacity() > options.segmentBytes())) {
                segment = roll(sequence);
                groupCommit.rolled();
            }
            long offset = segment.size;
            try {
                record.rewind();
                SpoolFiles.writeFully(segment.channel, record, offset);
            } catch (IOException e) {
                undoWrite(segment, offset);
                throw new UncheckedIOException("spool append failed: " + e.getMessage(), e);
            }
            segment.size = offset + record.capacity();
            segment.lastSequence = sequence;
            index.add(sequence, offset, payloadBytes, points, nowNanos);
            appendedRecords.incrementAndGet();
            groupCommit.appended(sequence);
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Completes with {@code sequence} once that record (and all before it) is durable as the {@link
     * FsyncPolicy} defines; at once if it already is. Completes exceptionally if the spool failed or
     * closed first. Completion happens on the {@code spool-sync} thread, in sequence order.
     */
    public CompletableFuture<Long> durable(long sequence) {
        return groupCommit.durable(sequence);
    }

    /** Starts a new segment for {@code firstSequence}. Called with the lock held. */
    private Segment roll(long firstSequence) {
        try {
            Segment segment = Segment.create(directory, options.io(), firstSequence);
            index.addSegment(segment);
            return segment;
        } catch (IOException e) {
            throw new UncheckedIOException("spool could not start a new segment: " + e.getMessage(), e);
        }
    }

    /** Cuts off a half-written record; if that fails too, the next append overwrites it anyway. */
    private static void undoWrite(Segment segment, long offset) {
        try {
            segment.channel.truncate(offset);
        } catch (IOException e) {
            log.warn("spool could not cut a failed write off {}: {}", segment.path, e.getMessage());
        }
    }

    /**
     * Durable records after {@code afterSequence} (and after {@link #committed()}), oldest first:
     * at least one if there is any, then more while their points stay within {@code maxPoints}. Empty
     * if none is durable yet; see {@link #awaitReadable}. Reads the segment files outside the lock.
     * A record whose checksum no longer matches is skipped with an ERROR (and counted).
     */
    public List<SpoolRecord> readFrom(long afterSequence, int maxPoints) throws IOException {
        List<Located> batch = new ArrayList<>();
        lock.lock();
        try {
            long synced = groupCommit.syncedSequence();
            int i = index.firstAtLeast(Math.max(afterSequence, committed) + 1);
            int points = 0;
            for (; i < index.size(); i++) {
                long sequence = index.sequence(i);
                if (sequence > synced || (!batch.isEmpty() && (long) points + index.points(i) > maxPoints)) {
                    break;
                }
                points += index.points(i);
                batch.add(new Located(sequence, index.segmentOf(sequence), index.offset(i), index.length(i)));
            }
        } finally {
            lock.unlock();
        }
        List<SpoolRecord> records = new ArrayList<>(batch.size());
        int from = 0;
        while (from < batch.size()) {
            // One read per run of adjacent records in the same segment.
            int to = from + 1;
            while (to < batch.size()
                    && batch.get(to).segment() == batch.get(from).segment()
                    && batch.get(to).offset() == batch.get(to - 1).end()) {
                to++;
            }
            Located first = batch.get(from);
            ByteBuffer bytes = ByteBuffer.allocate((int) (batch.get(to - 1).end() - first.offset()));
            SpoolFiles.readFully(first.segment().channel, bytes, first.offset());
            for (int j = from; j < to; j++) {
                Located located = batch.get(j);
                int at = (int) (located.offset() - first.offset());
                SpoolRecord record = RecordCodec.decode(bytes, at, located.sequence(), located.length());
                if (record != null) {
                    records.add(record);
                } else {
                    corruptRecords.incrementAndGet();
                    log.error(
                            "spool record {} in {} at byte {} changed on disk since it was written; it is skipped",
                            located.sequence(),
                            located.segment().path,
                            located.offset());
                }
            }
            from = to;
        }
        return records;
    }

    /**
     * Waits until a record after {@code afterSequence} can be read, the spool closes or fails, or the
     * timeout passes; true if one can be read.
     */
    public boolean awaitReadable(long afterSequence, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (true) {
                int i = index.firstAtLeast(Math.max(afterSequence, committed) + 1);
                if (i < index.size() && index.sequence(i) <= groupCommit.syncedSequence()) {
                    return true;
                }
                if (nanos <= 0 || groupCommit.closed()) {
                    return false;
                }
                nanos = groupCommit.awaitReadable(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records everything up to {@code sequence} as written to InfluxDB: persists it (atomically;
     * fsynced unless {@link FsyncPolicy#NONE}), forgets those records and deletes segments holding
     * nothing else. Runs {@link #whenBelow} callbacks whose mark was reached. Does nothing if {@code
     * sequence} is not after {@link #committed()}.
     *
     * @throws IllegalArgumentException if {@code sequence} is not durable yet (it was never read)
     */
    public void commit(long sequence) throws IOException {
        synchronized (commitLock) {
            lock.lock();
            try {
                if (sequence <= committed) {
                    return;
                }
                long synced = groupCommit.syncedSequence();
                if (sequence > synced) {
                    throw new IllegalArgumentException(
                            "cannot commit " + sequence + ": only " + synced + " is durable");
                }
                if (groupCommit.closed()) {
                    throw new IllegalStateException("spool is closed");
                }
            } finally {
                lock.unlock();
            }
            commitFile.write(sequence);
            List<Segment> done;
            List<Runnable> resume = new ArrayList<>();
            lock.lock();
            try {
                committed = sequence;
                index.removeThrough(sequence);
                done = index.removeWrittenSegments(sequence);
                long unwritten = index.unwrittenBytes();
                resumes.removeIf(waiting -> {
                    if (unwritten <= waiting.belowBytes()) {
                        resume.add(waiting.resume());
                        return true;
                    }
                    return false;
                });
            } finally {
                lock.unlock();
            }
            for (Segment segment : done) {
                try {
                    segment.channel.close();
                    Files.deleteIfExists(segment.path);
                } catch (IOException e) {
                    log.warn("spool could not delete the written segment {}: {}", segment.path, e.getMessage());
                }
            }
            resume.forEach(Spool::runQuietly);
        }
    }

    /**
     * Makes a directory readable by its owner only (rwx------) where the file system has POSIX
     * permissions: what rigs sent, and who they are, are nobody else's on a shared machine.
     */
    public static void ownerOnly(Path directory) throws IOException {
        try {
            Files.setPosixFilePermissions(
                    directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        }
    }

    /** True while more than {@link SpoolOptions#maxBytes()} of records wait for InfluxDB. */
    public boolean overQuota() {
        return unwrittenBytes() > options.maxBytes();
    }

    /**
     * Runs {@code resume} once at most {@code fraction} of {@link SpoolOptions#maxBytes()} waits for
     * InfluxDB: at once if that is already so, else on the writer thread after the commit that got
     * there.
     */
    public void whenBelow(double fraction, Runnable resume) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be between 0 and 1");
        }
        long belowBytes = (long) (fraction * options.maxBytes());
        lock.lock();
        try {
            if (index.unwrittenBytes() > belowBytes) {
                resumes.add(new Resume(belowBytes, resume));
                return;
            }
        } finally {
            lock.unlock();
        }
        resume.run();
    }

    /** Bytes of records (headers included) not yet written to InfluxDB. */
    public long unwrittenBytes() {
        lock.lock();
        try {
            return index.unwrittenBytes();
        } finally {
            lock.unlock();
        }
    }

    /** Points not yet written to InfluxDB. */
    public long unwrittenPoints() {
        lock.lock();
        try {
            return index.unwrittenPoints();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link System#nanoTime()} when the oldest record not yet written to InfluxDB was appended, or when
     * the spool was opened for records recovered from disk; the current {@code nanoTime} when nothing
     * waits (age zero).
     */
    public long oldestUnwrittenAppendNanos() {
        lock.lock();
        try {
            return index.size() == 0 ? System.nanoTime() : index.appendNanos(0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * True if the records after {@code afterSequence} (and after {@link #committed()}), durable or
     * not yet, hold at least {@code points} points. Counts only as far as it needs to.
     */
    public boolean holdsPointsAfter(long afterSequence, long points) {
        lock.lock();
        try {
            long seen = 0;
            for (int i = index.firstAtLeast(Math.max(afterSequence, committed) + 1); i < index.size(); i++) {
                seen += index.points(i);
                if (seen >= points) {
                    return true;
                }
            }
            return seen >= points;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long the first record after {@code afterSequence} (and after {@link #committed()}) has
     * waited since it was appended; zero when there is none.
     */
    public long ageAfterNanos(long afterSequence) {
        lock.lock();
        try {
            int i = index.firstAtLeast(Math.max(afterSequence, committed) + 1);
            return i < index.size() ? Math.max(0, System.nanoTime() - index.appendNanos(i)) : 0;
        } finally {
            lock.unlock();
        }
    }

    /** How long the oldest record not yet written to InfluxDB has waited; zero when none waits. */
    public long oldestUnwrittenAgeNanos() {
        return Math.max(0, System.nanoTime() - oldestUnwrittenAppendNanos());
    }

    /** Bytes in segment files, including written records not yet deleted with their segment. */
    public long diskBytes() {
        lock.lock();
        try {
            return index.diskBytes();
        } finally {
            lock.unlock();
        }
    }

    /** The sequence of the last record written to InfluxDB; 0 before the first. */
    public long committed() {
        lock.lock();
        try {
            return committed;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence of the last record appended (or recovered); 0 before the first. */
    public long lastSequence() {
        lock.lock();
        try {
            return groupCommit.lastSequence();
        } finally {
            lock.unlock();
        }
    }

    /** The sequence up to which records are durable. */
    public long durableSequence() {
        lock.lock();
        try {
            return groupCommit.syncedSequence();
        } finally {
            lock.unlock();
        }
    }

    /** Group-commit rounds so far: each forced every segment with unsynced records once. */
    public long fsyncCount() {
        return groupCommit.fsyncCount();
    }

    /** Records appended since open. */
    public long appendedRecords() {
        return appendedRecords.get();
    }

    /** Records not yet committed that open found on disk. */
    public long recoveredRecords() {
        return recoveredRecords;
    }

    /** Bytes open cut off the last segment as a torn tail. */
    public long droppedTailBytes() {
        return droppedTailBytes;
    }

    /** Segments open found corrupt and moved (partly or wholly) aside. */
    public long corruptSegments() {
        return corruptSegments;
    }

    /** Records {@link #readFrom} skipped because they changed on disk after they were written. */
    public long corruptRecords() {
        return corruptRecords.get();
    }

    private void recover() throws IOException {
        committed = commitFile.recover();
        SegmentScanner.Recovery recovery =
                new SegmentScanner(directory, options.io(), fsync).recover(index, committed, System.nanoTime());
        recoveredRecords = recovery.recoveredRecords();
        droppedTailBytes = recovery.droppedTailBytes();
        corruptSegments = recovery.corruptSegments();
        long lastSequence = recovery.lastSequence();
        groupCommit.recovered(lastSequence);
        if (recovery.tail() != null) {
            index.continueLast();
        } else {
            index.addSegment(Segment.create(directory, options.io(), lastSequence + 1));
            if (fsync) {
                SpoolFiles.forceDirectory(directory);
            }
        }
        if (recoveredRecords > 0) {
            log.info(
                    "spool {}: {} records ({} points, {} bytes) after sequence {} wait to be written to InfluxDB",
                    directory,
                    recoveredRecords,
                    index.unwrittenPoints(),
                    index.unwrittenBytes(),
                    committed);
        }
    }

    /**
     * Waits for a last fsync of what was appended, stops the sync thread and closes the files. Futures
     * still pending then complete exceptionally.
     */
    @Override
    public void close() {
        if (groupCommit.close()) {
            closeChannels();
        }
    }

    private void closeChannels() {
        lock.lock();
        try {
            for (Segment segment : index.segments()) {
                try {
                    segment.channel.close();
                } catch (IOException e) {
                    log.warn("spool could not close {}: {}", segment.path, e.getMessage());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    static String segmentName(long firstSequence) {
        return Segment.name(firstSequence);
    }

    private static void runQuietly(Runnable runnable) {
        try {
            runnable.run();
        } catch (RuntimeException e) {
            log.warn("spool resume callback failed", e);
        }
    }

    private record Resume(long belowBytes, Runnable resume) {}

    /** A record to read: where it is and what to expect there. */
    private record Located(long sequence, Segment segment, long offset, int length) {
        long end() {
            return offset + HEADER_BYTES + length;
        }
    }

    /** For tests: the segment files' first sequences, oldest first. */
    List<Long> segmentFirstSequences() {
        lock.lock();
        try {
            return index.segmentFirstSequences();
        } finally {
            lock.unlock();
        }
    }

    /** For tests. */
    Map<Long, Path> segmentPaths() {
        lock.lock();
        try {
            return index.segmentPaths();
        } finally {
            lock.unlock();
        }
    }
}

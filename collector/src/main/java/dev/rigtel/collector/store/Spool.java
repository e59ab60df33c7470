package dev.rigtel.collector.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
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
 * payload        u32 point count, then the line-protocol text in UTF-8
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
 * KB records); the text itself stays on disk.
 */
public final class Spool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    /** u32 length, u32 crc, u64 sequence. */
    static final int HEADER_BYTES = 16;
    /** The u32 point count that starts every payload. */
    private static final int POINTS_BYTES = 4;

    static final String COMMITTED = "committed";
    static final String COMMITTED_TEMP = "committed.tmp";
    private static final Pattern SEGMENT_NAME = Pattern.compile("spool-(\\d{20})\\.log");
    private static final int SCAN_WINDOW_BYTES = 1 << 20;

    private final SpoolOptions options;
    private final Path directory;
    private final boolean fsync;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when there is something to fsync, or on close. */
    private final Condition syncWork = lock.newCondition();
    /** Signalled when records become durable, on failure and on close. */
    private final Condition readable = lock.newCondition();
    /** Live segments by first sequence; the last one is {@link #current}. */
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    /** Records after {@link #committed}, oldest first. */
    private final Index index = new Index();

    private final PriorityQueue<Waiter> waiters =
            new PriorityQueue<>(Comparator.comparingLong(Waiter::sequence).thenComparingLong(Waiter::order));
    private final List<Resume> resumes = new ArrayList<>();
    private final Object commitLock = new Object();
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong appendedRecords = new AtomicLong();
    private final AtomicLong corruptRecords = new AtomicLong();
    private Thread syncThread;

    private Segment current;
    private long lastSequence;
    private long syncedSequence;
    /** Every waiter up to this sequence has been completed (lags {@link #syncedSequence} briefly). */
    private long completedSequence;

    private long committed;
    private long unwrittenBytes;
    private long unwrittenPoints;
    private long waiterOrder;
    private boolean directoryDirty;
    private boolean closing;
    private boolean closed;
    /**
     * Sequences dropped after a failed fsync, {@code [from, to]} each: none was acknowledged, their
     * publishers send them again; {@link #durable} fails them.
     */
    private final List<long[]> dropped = new ArrayList<>();
    /** After a failed fsync the next append starts a new segment: the old one's tail is not trusted. */
    private boolean rollNext;

    private Faults faults = Faults.uncounted();

    private long recoveredRecords;
    private long droppedTailBytes;
    private long corruptSegments;

    private Spool(SpoolOptions options) {
        this.options = options;
        this.directory = options.directory();
        this.fsync = options.fsyncPolicy() != FsyncPolicy.NONE;
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
        Spool spool = new Spool(options);
        spool.faults = faults;
        try {
            spool.recover();
        } catch (IOException | RuntimeException e) {
            spool.closeChannels();
            throw e;
        }
        if (spool.fsync) {
            spool.syncThread = new Thread(spool::syncLoop, "spool-sync");
            spool.syncThread.setDaemon(true);
            spool.syncThread.start();
        }
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
        if (points < 0) {
            throw new IllegalArgumentException("points must not be negative");
        }
        byte[] text = lines.getBytes(StandardCharsets.UTF_8);
        int payloadBytes = POINTS_BYTES + text.length;
        if ((long) HEADER_BYTES + payloadBytes > options.segmentBytes()) {
            throw new IllegalArgumentException("a record of " + payloadBytes + " bytes does not fit in a segment of "
                    + options.segmentBytes() + " bytes");
        }
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + payloadBytes);
        record.putInt(payloadBytes).putInt(0).putLong(0).putInt(points).put(text);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), HEADER_BYTES, payloadBytes);
        record.putInt(4, (int) crc.getValue());
        long nowNanos = System.nanoTime();
        lock.lock();
        try {
            checkWritable();
            long sequence = lastSequence + 1;
            record.putLong(8, sequence);
            Segment segment = current;
            if (rollNext || (segment.size > 0 && segment.size + record.capacity() > options.segmentBytes())) {
                segment = roll(sequence);
                rollNext = false;
            }
            long offset = segment.size;
            try {
                record.rewind();
                writeFully(segment.channel, record, offset);
            } catch (IOException e) {
                undoWrite(segment, offset);
                throw new UncheckedIOException("spool append failed: " + e.getMessage(), e);
            }
            segment.size = offset + record.capacity();
            segment.lastSequence = sequence;
            lastSequence = sequence;
            index.add(sequence, offset, payloadBytes, points, nowNanos);
            unwrittenBytes += record.capacity();
            unwrittenPoints += points;
            appendedRecords.incrementAndGet();
            if (fsync) {
                syncWork.signal();
            } else {
                syncedSequence = sequence;
                completedSequence = sequence;
                readable.signalAll();
            }
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
        lock.lock();
        try {
            for (long[] range : dropped) {
                if (sequence >= range[0] && sequence <= range[1]) {
                    return CompletableFuture.failedFuture(
                            new IOException("record " + sequence + " was dropped after a failed fsync"));
                }
            }
            if (sequence <= completedSequence) {
                return CompletableFuture.completedFuture(sequence);
            }
            if (sequence > lastSequence) {
                throw new IllegalArgumentException("sequence " + sequence + " was not appended yet");
            }
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("spool is closed"));
            }
            CompletableFuture<Long> future = new CompletableFuture<>();
            waiters.add(new Waiter(sequence, waiterOrder++, future));
            return future;
        } finally {
            lock.unlock();
        }
    }

    private void checkWritable() {
        if (closing) {
            throw new IllegalStateException("spool is closed");
        }
    }

    /** Starts a new segment for {@code firstSequence}. Called with the lock held. */
    private Segment roll(long firstSequence) {
        try {
            Segment segment = createSegment(firstSequence);
            directoryDirty = true;
            return segment;
        } catch (IOException e) {
            throw new UncheckedIOException("spool could not start a new segment: " + e.getMessage(), e);
        }
    }

    private Segment createSegment(long firstSequence) throws IOException {
        Path path = directory.resolve(segmentName(firstSequence));
        FileChannel channel = options.io()
                .open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE));
        Segment segment = new Segment(firstSequence, path, channel);
        segments.put(firstSequence, segment);
        current = segment;
        return segment;
    }

    /** Cuts off a half-written record; if that fails too, the next append overwrites it anyway. */
    private static void undoWrite(Segment segment, long offset) {
        try {
            segment.channel.truncate(offset);
        } catch (IOException e) {
            log.warn("spool could not cut a failed write off {}: {}", segment.path, e.getMessage());
        }
    }

    private void syncLoop() {
        long intervalNanos = options.fsyncPolicy() == FsyncPolicy.INTERVAL
                ? options.syncInterval().toNanos()
                : 0;
        long lastStart = System.nanoTime() - intervalNanos;
        List<FileChannel> dirty = new ArrayList<>();
        while (true) {
            long target;
            boolean forceDirectory;
            lock.lock();
            try {
                while (true) {
                    if (lastSequence == syncedSequence) {
                        if (closing) {
                            return;
                        }
                        syncWork.await();
                        continue;
                    }
                    long wait = lastStart + intervalNanos - System.nanoTime();
                    if (wait > 0 && !closing) {
                        syncWork.awaitNanos(wait);
                        continue;
                    }
                    break;
                }
                target = lastSequence;
                // Only the newest segments can hold unsynced records.
                dirty.clear();
                for (Segment segment : segments.descendingMap().values()) {
                    if (segment.lastSequence <= syncedSequence) {
                        break;
                    }
                    dirty.add(segment.channel);
                }
                forceDirectory = directoryDirty;
                directoryDirty = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            lastStart = System.nanoTime();
            try {
                for (FileChannel channel : dirty) {
                    channel.force(false);
                }
                if (forceDirectory) {
                    forceDirectory();
                }
            } catch (IOException e) {
                dropUnsynced(e);
                try {
                    // The disk may still be failing: do not spin on it.
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            fsyncs.incrementAndGet();
            if (faults.ok("fsync") != null) {
                log.info("spool fsync works again");
            }
            completeWaiters(target);
        }
    }

    /**
     * Completes the waiters up to {@code synced}, in sequence order. Only once every waiter up to
     * it has been completed does {@link #durable} hand out already-completed futures for those
     * sequences: a caller asking for a synced sequence while earlier callbacks still run on this
     * thread gets a waiter too, so completions never overtake each other.
     */
    private void completeWaiters(long synced) {
        lock.lock();
        try {
            syncedSequence = synced;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        while (true) {
            List<Waiter> done = new ArrayList<>();
            lock.lock();
            try {
                while (!waiters.isEmpty() && waiters.peek().sequence() <= synced) {
                    done.add(waiters.poll());
                }
                if (done.isEmpty()) {
                    completedSequence = synced;
                    return;
                }
            } finally {
                lock.unlock();
            }
            for (Waiter waiter : done) {
                // Everything before this waiter is complete (or had no waiter): hand those out as
                // completed futures; this one and later ones wait for their turn.
                lock.lock();
                try {
                    completedSequence = Math.max(completedSequence, waiter.sequence() - 1);
                } finally {
                    lock.unlock();
                }
                waiter.future().complete(waiter.sequence());
            }
        }
    }

    /**
     * An fsync failed: the records it covered may or may not be on the disk (after an fsync error the
     * kernel may have dropped their pages, PostgreSQL's "fsyncgate"), so none of them is trusted. They
     * are dropped, their waiters fail (nothing of them was acknowledged: the publishers send them
     * again), and the next append starts a new segment; records made durable before stay, and are
     * written to InfluxDB as usual. The spool goes on: a disk that recovers needs no restart.
     */
    private void dropUnsynced(IOException e) {
        List<Waiter> pending;
        long from;
        long to;
        lock.lock();
        try {
            from = syncedSequence + 1;
            to = lastSequence;
            if (to >= from) {
                dropped.add(new long[] {from, to});
            }
            while (index.size() > 0 && index.sequence(index.size() - 1) > syncedSequence) {
                int last = index.size() - 1;
                unwrittenBytes -= HEADER_BYTES + index.length(last);
                unwrittenPoints -= index.points(last);
                index.removeLast();
            }
            syncedSequence = lastSequence;
            completedSequence = lastSequence;
            rollNext = true;
            pending = new ArrayList<>(waiters);
            waiters.clear();
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        if (faults.failed("fsync", e)) {
            log.error(
                    "spool fsync failed: records {}..{} are dropped unacknowledged (their publishers send them again)"
                            + " and the spool goes on in a new segment",
                    from,
                    to,
                    e);
        }
        pending.sort(Comparator.comparingLong(Waiter::sequence));
        for (Waiter waiter : pending) {
            waiter.future().completeExceptionally(e);
        }
    }

    /** Makes a new segment's directory entry durable; not possible on every platform. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            log.debug("cannot fsync directory {}: {}", directory, e.getMessage());
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
            int i = index.firstAtLeast(Math.max(afterSequence, committed) + 1);
            int points = 0;
            for (; i < index.size(); i++) {
                long sequence = index.sequence(i);
                if (sequence > syncedSequence || (!batch.isEmpty() && (long) points + index.points(i) > maxPoints)) {
                    break;
                }
                points += index.points(i);
                batch.add(new Located(
                        sequence, segments.floorEntry(sequence).getValue(), index.offset(i), index.length(i)));
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
            readFully(first.segment().channel, bytes, first.offset());
            for (int j = from; j < to; j++) {
                Located located = batch.get(j);
                int at = (int) (located.offset() - first.offset());
                SpoolRecord record = decode(bytes, at, located);
                if (record != null) {
                    records.add(record);
                }
            }
            from = to;
        }
        return records;
    }

    private SpoolRecord decode(ByteBuffer bytes, int at, Located located) {
        int length = bytes.getInt(at);
        int crc = bytes.getInt(at + 4);
        long sequence = bytes.getLong(at + 8);
        if (length != located.length()
                || sequence != located.sequence()
                || crc != crc(bytes, at + HEADER_BYTES, length)) {
            corruptRecords.incrementAndGet();
            log.error(
                    "spool record {} in {} at byte {} changed on disk since it was written; it is skipped",
                    located.sequence(),
                    located.segment().path,
                    located.offset());
            return null;
        }
        int points = bytes.getInt(at + HEADER_BYTES);
        String lines = new String(
                bytes.array(), at + HEADER_BYTES + POINTS_BYTES, length - POINTS_BYTES, StandardCharsets.UTF_8);
        return new SpoolRecord(sequence, points, lines);
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
                if (i < index.size() && index.sequence(i) <= syncedSequence) {
                    return true;
                }
                if (nanos <= 0 || closed) {
                    return false;
                }
                nanos = readable.awaitNanos(nanos);
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
                if (sequence > syncedSequence) {
                    throw new IllegalArgumentException(
                            "cannot commit " + sequence + ": only " + syncedSequence + " is durable");
                }
                if (closed) {
                    throw new IllegalStateException("spool is closed");
                }
            } finally {
                lock.unlock();
            }
            writeCommitted(sequence);
            List<Segment> done = new ArrayList<>();
            List<Runnable> resume = new ArrayList<>();
            lock.lock();
            try {
                committed = sequence;
                while (index.size() > 0 && index.sequence(0) <= sequence) {
                    unwrittenBytes -= HEADER_BYTES + index.length(0);
                    unwrittenPoints -= index.points(0);
                    index.removeFirst();
                }
                for (Segment segment : segments.values()) {
                    if (segment == current || segment.lastSequence > sequence) {
                        break;
                    }
                    done.add(segment);
                }
                done.forEach(segment -> segments.remove(segment.firstSequence));
                resumes.removeIf(waiting -> {
                    if (unwrittenBytes <= waiting.belowBytes()) {
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

    private void writeCommitted(long sequence) throws IOException {
        Path temp = directory.resolve(COMMITTED_TEMP);
        ByteBuffer bytes = ByteBuffer.allocate(12);
        bytes.putLong(sequence);
        bytes.putInt(crc(bytes, 0, 8));
        bytes.flip();
        try (FileChannel channel = options.io()
                .open(
                        temp,
                        Set.of(
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING))) {
            writeFully(channel, bytes, 0);
            if (fsync) {
                channel.force(false);
            }
        }
        options.io()
                .move(
                        temp,
                        directory.resolve(COMMITTED),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
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
            if (unwrittenBytes > belowBytes) {
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
            return unwrittenBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Points not yet written to InfluxDB. */
    public long unwrittenPoints() {
        lock.lock();
        try {
            return unwrittenPoints;
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
            long bytes = 0;
            for (Segment segment : segments.values()) {
                bytes += segment.size;
            }
            return bytes;
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
            return lastSequence;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence up to which records are durable. */
    public long durableSequence() {
        lock.lock();
        try {
            return syncedSequence;
        } finally {
            lock.unlock();
        }
    }

    /** Group-commit rounds so far: each forced every segment with unsynced records once. */
    public long fsyncCount() {
        return fsyncs.get();
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
        Files.deleteIfExists(directory.resolve(COMMITTED_TEMP));
        committed = readCommitted();
        long openNanos = System.nanoTime();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(path ->
                            SEGMENT_NAME.matcher(path.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(Spool::firstSequenceOf))
                    .toList();
        }
        for (int i = 0; i < files.size(); i++) {
            Path path = files.get(i);
            long first = firstSequenceOf(path);
            boolean last = i == files.size() - 1;
            if (!segments.isEmpty() && first <= segments.lastEntry().getValue().lastSequence) {
                Path aside = corruptPath(path);
                log.error(
                        "spool segment {} starts at sequence {}, inside the previous segment; moved it to {}",
                        path,
                        first,
                        aside);
                Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
                corruptSegments++;
                continue;
            }
            Segment segment = scan(path, first, last, openNanos);
            if (segment.size == 0 && !last) {
                segment.channel.close();
                Files.delete(path);
                continue;
            }
            segments.put(first, segment);
        }
        long onDisk = segments.isEmpty() ? 0 : segments.lastEntry().getValue().lastSequence;
        lastSequence = Math.max(onDisk, committed);
        syncedSequence = lastSequence;
        completedSequence = lastSequence;
        Segment tail = segments.isEmpty() ? null : segments.lastEntry().getValue();
        for (Segment segment : List.copyOf(segments.values())) {
            boolean continues = segment == tail && segment.lastSequence == lastSequence;
            if (!continues && segment.lastSequence <= committed) {
                segments.remove(segment.firstSequence);
                segment.channel.close();
                Files.delete(segment.path);
            }
        }
        if (tail != null && segments.containsValue(tail)) {
            current = tail;
        } else {
            createSegment(lastSequence + 1);
            if (fsync) {
                forceDirectory();
            }
        }
        if (recoveredRecords > 0) {
            log.info(
                    "spool {}: {} records ({} points, {} bytes) after sequence {} wait to be written to InfluxDB",
                    directory,
                    recoveredRecords,
                    unwrittenPoints,
                    unwrittenBytes,
                    committed);
        }
    }

    /** Reads and checks one segment, indexing its records after {@link #committed}. */
    private Segment scan(Path path, long first, boolean last, long openNanos) throws IOException {
        FileChannel channel = options.io().open(path, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        long size = channel.size();
        Scanner scanner = new Scanner(channel, size);
        long offset = 0;
        long expected = first;
        String problem = null;
        while (offset < size) {
            ByteBuffer header = scanner.at(offset, HEADER_BYTES);
            if (header == null) {
                problem = "a partial record header";
                break;
            }
            int length = header.getInt(header.position());
            int crc = header.getInt(header.position() + 4);
            long sequence = header.getLong(header.position() + 8);
            if (length < POINTS_BYTES || length > SpoolOptions.MAX_SEGMENT_BYTES - HEADER_BYTES) {
                problem = "an impossible record length " + Integer.toUnsignedString(length);
                break;
            }
            if (sequence != expected) {
                problem = "sequence " + sequence + " where " + expected + " was due";
                break;
            }
            ByteBuffer payload = scanner.at(offset + HEADER_BYTES, length);
            if (payload == null) {
                problem = "a record cut short";
                break;
            }
            if (crc(payload, payload.position(), length) != crc) {
                problem = "a checksum mismatch";
                break;
            }
            int points = payload.getInt(payload.position());
            if (points < 0) {
                problem = "a negative point count";
                break;
            }
            if (sequence > committed) {
                index.add(sequence, offset, length, points, openNanos);
                unwrittenBytes += HEADER_BYTES + length;
                unwrittenPoints += points;
                recoveredRecords++;
            }
            offset += HEADER_BYTES + length;
            expected++;
        }
        if (problem != null) {
            long dropped = size - offset;
            if (last) {
                log.warn(
                        "spool segment {} ends in a torn record at byte {} ({}), as after a power loss: dropped the"
                                + " last {} bytes, kept the {} records before them",
                        path,
                        offset,
                        problem,
                        dropped,
                        expected - first);
                droppedTailBytes += dropped;
            } else {
                Path aside = corruptPath(path);
                try (FileChannel out = FileChannel.open(
                        aside,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    long copied = 0;
                    while (copied < dropped) {
                        copied += channel.transferTo(offset + copied, dropped - copied, out);
                    }
                    out.force(true);
                }
                log.error(
                        "spool segment {} is corrupt at byte {} ({}): kept the {} records before it and moved the {}"
                                + " bytes after it to {}",
                        path,
                        offset,
                        problem,
                        expected - first,
                        dropped,
                        aside);
                corruptSegments++;
            }
            channel.truncate(offset);
            if (fsync) {
                channel.force(true);
            }
        }
        Segment segment = new Segment(first, path, channel);
        segment.size = offset;
        segment.lastSequence = expected - 1;
        return segment;
    }

    private long readCommitted() throws IOException {
        Path path = directory.resolve(COMMITTED);
        if (!Files.exists(path)) {
            return 0;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path));
        if (bytes.capacity() != 12 || crc(bytes, 0, 8) != bytes.getInt(8) || bytes.getLong(0) < 0) {
            log.error(
                    "spool file {} is unreadable; replaying every record in the spool (InfluxDB overwrites the"
                            + " points it already has)",
                    path);
            return 0;
        }
        return bytes.getLong(0);
    }

    /**
     * Waits for a last fsync of what was appended, stops the sync thread and closes the files. Futures
     * still pending then complete exceptionally.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            syncWork.signal();
        } finally {
            lock.unlock();
        }
        if (syncThread != null) {
            try {
                syncThread.join(TimeUnit.SECONDS.toMillis(30));
                if (syncThread.isAlive()) {
                    log.error("spool sync thread did not finish its last fsync in 30 s");
                    syncThread.interrupt();
                    syncThread.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Waiter> pending;
        lock.lock();
        try {
            closed = true;
            pending = new ArrayList<>(waiters);
            waiters.clear();
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        for (Waiter waiter : pending) {
            waiter.future()
                    .completeExceptionally(new IllegalStateException("spool closed before the record was durable"));
        }
        closeChannels();
    }

    private void closeChannels() {
        lock.lock();
        try {
            for (Segment segment : segments.values()) {
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
        return String.format("spool-%020d.log", firstSequence);
    }

    private static long firstSequenceOf(Path path) {
        Matcher matcher = SEGMENT_NAME.matcher(path.getFileName().toString());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a spool segment: " + path);
        }
        return Long.parseLong(matcher.group(1));
    }

    private static Path corruptPath(Path segment) {
        return segment.resolveSibling(segment.getFileName() + ".corrupt");
    }

    private static int crc(ByteBuffer bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer view = bytes.duplicate();
        view.limit(from + length).position(from);
        crc.update(view);
        return (int) crc.getValue();
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long offset) throws IOException {
        long at = offset;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer bytes, long offset) throws IOException {
        long at = offset;
        while (bytes.hasRemaining()) {
            int read = channel.read(bytes, at);
            if (read < 0) {
                throw new EOFException("spool file ends before byte " + (at + bytes.remaining()));
            }
            at += read;
        }
    }

    private static void runQuietly(Runnable runnable) {
        try {
            runnable.run();
        } catch (RuntimeException e) {
            log.warn("spool resume callback failed", e);
        }
    }

    /** One segment file; size and lastSequence change under the lock while it is current. */
    private static final class Segment {
        final long firstSequence;
        final Path path;
        final FileChannel channel;
        long size;
        long lastSequence;

        Segment(long firstSequence, Path path, FileChannel channel) {
            this.firstSequence = firstSequence;
            this.path = path;
            this.channel = channel;
            this.lastSequence = firstSequence - 1;
        }
    }

    private record Waiter(long sequence, long order, CompletableFuture<Long> future) {}

    private record Resume(long belowBytes, Runnable resume) {}

    /** A record to read: where it is and what to expect there. */
    private record Located(long sequence, Segment segment, long offset, int length) {
        long end() {
            return offset + HEADER_BYTES + length;
        }
    }

    /** Reads a segment front to back through a window, so a scan costs few system calls. */
    private static final class Scanner {
        private final FileChannel channel;
        private final long size;
        private ByteBuffer window = ByteBuffer.allocate(0);
        private long windowStart;

        Scanner(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        /** Bytes {@code [offset, offset + n)} between position and limit, or null past the end of the file. */
        ByteBuffer at(long offset, int n) throws IOException {
            if (offset + n > size) {
                return null;
            }
            if (offset < windowStart || offset + n > windowStart + window.limit()) {
                if (window.capacity() < Math.max(n, SCAN_WINDOW_BYTES)) {
                    window = ByteBuffer.allocate(Math.max(n, SCAN_WINDOW_BYTES));
                }
                window.clear();
                window.limit((int) Math.min(window.capacity(), size - offset));
                readFully(channel, window, offset);
                window.flip();
                windowStart = offset;
            }
            ByteBuffer view = window.duplicate();
            int from = (int) (offset - windowStart);
            view.limit(from + n).position(from);
            return view;
        }
    }

    /**
     * Where each uncommitted record is, in parallel ring arrays (about 32 bytes per record, no object
     * per record). Sequences increase, with gaps only where open moved corruption aside.
     */
    private static final class Index {
        private long[] sequences = new long[64];
        private long[] offsets = new long[64];
        private int[] lengths = new int[64];
        private int[] points = new int[64];
        private long[] appendNanos = new long[64];
        private int head;
        private int size;

        void add(long sequence, long offset, int length, int pointCount, long nanos) {
            if (size == sequences.length) {
                grow();
            }
            int slot = (head + size) & (sequences.length - 1);
            sequences[slot] = sequence;
            offsets[slot] = offset;
            lengths[slot] = length;
            points[slot] = pointCount;
            appendNanos[slot] = nanos;
            size++;
        }

        private void grow() {
            int capacity = sequences.length * 2;
            sequences = unroll(sequences, new long[capacity]);
            offsets = unroll(offsets, new long[capacity]);
            appendNanos = unroll(appendNanos, new long[capacity]);
            lengths = unroll(lengths, new int[capacity]);
            points = unroll(points, new int[capacity]);
            head = 0;
        }

        private long[] unroll(long[] from, long[] to) {
            int firstPart = Math.min(size, from.length - head);
            System.arraycopy(from, head, to, 0, firstPart);
            System.arraycopy(from, 0, to, firstPart, size - firstPart);
            return to;
        }

        private int[] unroll(int[] from, int[] to) {
            int firstPart = Math.min(size, from.length - head);
            System.arraycopy(from, head, to, 0, firstPart);
            System.arraycopy(from, 0, to, firstPart, size - firstPart);
            return to;
        }

        int size() {
            return size;
        }

        private int slot(int i) {
            return (head + i) & (sequences.length - 1);
        }

        long sequence(int i) {
            return sequences[slot(i)];
        }

        long offset(int i) {
            return offsets[slot(i)];
        }

        int length(int i) {
            return lengths[slot(i)];
        }

        int points(int i) {
            return points[slot(i)];
        }

        long appendNanos(int i) {
            return appendNanos[slot(i)];
        }

        void removeFirst() {
            head = slot(1);
            size--;
        }

        void removeLast() {
            size--;
        }

        /** The first position whose sequence is at least {@code sequence}; {@link #size()} if none. */
        int firstAtLeast(long sequence) {
            int low = 0;
            int high = size;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (sequence(mid) < sequence) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }
    }

    /** For tests: the segment files' first sequences, oldest first. */
    List<Long> segmentFirstSequences() {
        lock.lock();
        try {
            return List.copyOf(segments.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** For tests. */
    Map<Long, Path> segmentPaths() {
        lock.lock();
        try {
            TreeMap<Long, Path> paths = new TreeMap<>();
            segments.forEach((first, segment) -> paths.put(first, segment.path));
            return paths;
        } finally {
            lock.unlock();
        }
    }
}

package dev.rigtel.collector.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Spool}'s durability: which sequences are appended, durable and handed out as durable,
 * the {@link Spool#durable} futures, and the {@code spool-sync} thread that {@code fdatasync}s every
 * segment with unsynced records (and the directory after a new segment) so that all appends arriving
 * during one fsync share the next. {@link FsyncPolicy#EVERY_BATCH} starts the next fsync as soon as
 * the previous one finished, {@link FsyncPolicy#INTERVAL} at most one per interval, and under {@link
 * FsyncPolicy#NONE} a record is durable once written (there is no thread).
 *
 * <p>A failed fsync leaves the page cache in an unknown state, so the records it covered are dropped
 * from the index, their futures fail (nothing of them was acknowledged) and the next append starts a
 * new segment; see {@link #dropUnsynced}.
 *
 * <p>It shares the spool's lock: the methods documented "under the lock" expect the caller to hold
 * it; the others take it themselves.
 */
final class GroupCommit {

    // Logs as the spool: one logger to tune and watch for everything the spool and its parts say.
    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    /**
     * Under {@link FsyncPolicy#EVERY_BATCH}, how long the sync thread, woken from idle by an append,
     * waits for more appends before it fsyncs. At a light load (a set's 13 rigs: 330 messages a
     * second in 50 ms batches, 720 in 20 ms ones, each arriving alone) every fsync would otherwise
     * cover one or two messages, and each costs a wake-up of this thread, the fsync (on a virtual
     * machine an exit to the host for the disk's doorbell) and a wake-up of each event loop for the
     * PUBACKs. The thread lingers all the time at that load, so this sets the fsyncs a second: 8 ms
     * made 114 of them for 328 messages (2.9 each; spool-sync 2.7 % of a core), 20 ms makes 54 (6
     * each; 1.7 %, and 12.7 % of a core for the whole collector instead of 13.4 %); 40 ms made 31
     * (1.1 %) but took only 0.2 points more off the collector, not worth PUBACKs up to 40 ms late.
     * Under a heavy load the thread is never idle (the next fsync starts as soon as the last one
     * ends, covering what arrived meanwhile), so it never lingers and the intake is not slowed. A
     * PUBACK still leaves only after the fsync that covers its message; it can leave up to this much
     * later, which a rig's in-flight window (10 to 20 messages, firmware-notes) does not notice, and
     * the live topics never wait for it. See {@link #LINGER_SKIP_ROUNDS} for a lone publisher.
     */
    static final long LINGER_NANOS = 20_000_000;

    /**
     * Lingers that brought no second record (one publisher waiting for each PUBACK before its next
     * publish, as a script or a test does) only delay it: after {@link #LINGER_MISSES} of them in a
     * row the next this many rounds do not linger, then one tries again (and a miss skips again).
     */
    static final int LINGER_SKIP_ROUNDS = 32;

    /**
     * Lingers in a row that must bring no second record before lingering is skipped. One is not
     * enough: a set's rigs send in phases, and a linger that happened to fall in a gap between them
     * would otherwise stop lingering for {@link #LINGER_SKIP_ROUNDS} rounds, each an fsync of its own
     * (13 rigs in 50 ms batches: 222 fsyncs a second for 328 messages).
     */
    static final int LINGER_MISSES = 3;

    /**
     * A linger ends as soon as this many records wait for the fsync: at a set's load that takes
     * about the whole {@link #LINGER_NANOS} (14 records in 20 ms at 20 ms batches), but publishers
     * that send a burst the moment their PUBACKs arrive (a full window each) fill it at once, and
     * would otherwise wait out the linger at every round.
     */
    static final int LINGER_RECORDS = 16;

    private final ReentrantLock lock;
    /** Signalled when there is something to fsync, or on close. */
    private final Condition syncWork;
    /** Signalled when records become durable, on failure and on close. */
    private final Condition readable;

    private final SpoolIndex index;
    private final SpoolOptions options;
    private final Path directory;
    private final boolean fsync;
    private final Faults faults;
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong lingers = new AtomicLong();
    private final AtomicLong lingersCutShort = new AtomicLong();
    private final PriorityQueue<Waiter> waiters =
            new PriorityQueue<>(Comparator.comparingLong(Waiter::sequence).thenComparingLong(Waiter::order));
    /**
     * Sequences dropped after a failed fsync, {@code [from, to]} each: none was acknowledged, their
     * publishers send them again; {@link #durable} fails them.
     */
    private final List<long[]> dropped = new ArrayList<>();

    private Thread syncThread;
    private long lastSequence;
    private long syncedSequence;
    /** Every waiter up to this sequence has been completed (lags {@link #syncedSequence} briefly). */
    private long completedSequence;

    private long waiterOrder;
    /**
     * True while the sync thread waits with nothing to fsync: only then does an append signal it. While
     * it fsyncs or lingers, a signal per append would only wake it for nothing.
     */
    private boolean syncIdle;

    /** True while the sync thread lingers: an append that brings {@link #LINGER_RECORDS} ends it. */
    private boolean lingering;

    private boolean directoryDirty;
    /** After a failed fsync the next append starts a new segment: the old one's tail is not trusted. */
    private boolean rollNext;

    private boolean closing;
    private boolean closed;

    GroupCommit(ReentrantLock lock, SpoolIndex index, SpoolOptions options, Faults faults) {
        this.lock = lock;
        this.syncWork = lock.newCondition();
        this.readable = lock.newCondition();
        this.index = index;
        this.options = options;
        this.directory = options.directory();
        this.fsync = options.fsyncPolicy() != FsyncPolicy.NONE;
        this.faults = faults;
    }

    /** Open found everything up to {@code sequence} on disk (or committed): it is all durable. */
    void recovered(long sequence) {
        lastSequence = sequence;
        syncedSequence = sequence;
        completedSequence = sequence;
    }

    /** Starts the sync thread, unless {@link FsyncPolicy#NONE}. */
    void start() {
        if (fsync) {
            syncThread = new Thread(this::syncLoop, "spool-sync");
            syncThread.setDaemon(true);
            syncThread.start();
        }
    }

    /** Under the lock: the last sequence appended (or recovered). */
    long lastSequence() {
        return lastSequence;
    }

    /** Under the lock: the sequence up to which records are durable. */
    long syncedSequence() {
        return syncedSequence;
    }

    /** Under the lock: appends are refused from now on. */
    boolean closing() {
        return closing;
    }

    /** Under the lock: the sync thread has stopped and the waiters have failed. */
    boolean closed() {
        return closed;
    }

    /** Under the lock: true if the next append must start a new segment (after a failed fsync). */
    boolean rollRequested() {
        return rollNext;
    }

    /** Under the lock: a new segment was started; its directory entry is synced with the next fsync. */
    void rolled() {
        directoryDirty = true;
        rollNext = false;
    }

    /** Under the lock: {@code sequence} was written to the page cache; it is due for the next fsync. */
    void appended(long sequence) {
        lastSequence = sequence;
        if (fsync) {
            if (syncIdle) {
                syncIdle = false;
                syncWork.signal();
            } else if (lingering && sequence - syncedSequence >= LINGER_RECORDS) {
                syncWork.signal(); // the linger has what it waited for: fsync now
            }
        } else {
            syncedSequence = sequence;
            completedSequence = sequence;
            readable.signalAll();
        }
    }

    /** Under the lock: waits for durable records, a failure or close, at most {@code nanos}. */
    long awaitReadable(long nanos) throws InterruptedException {
        return readable.awaitNanos(nanos);
    }

    /** See {@link Spool#durable}. */
    CompletableFuture<Long> durable(long sequence) {
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

    /** Group-commit rounds so far. */
    long fsyncCount() {
        return fsyncs.get();
    }

    /** True while the sync thread waits with nothing to fsync. */
    boolean idle() {
        lock.lock();
        try {
            return syncIdle;
        } finally {
            lock.unlock();
        }
    }

    /** Rounds that waited {@link #LINGER_NANOS} for more appends, so far. */
    long lingerCount() {
        return lingers.get();
    }

    /** Lingers ended early by {@link #LINGER_RECORDS} appends, so far. */
    long lingersCutShort() {
        return lingersCutShort.get();
    }

    private void syncLoop() {
        long intervalNanos = options.fsyncPolicy() == FsyncPolicy.INTERVAL
                ? options.syncInterval().toNanos()
                : 0;
        long lingerNanos = options.fsyncPolicy() == FsyncPolicy.EVERY_BATCH ? LINGER_NANOS : 0;
        long lastStart = System.nanoTime() - intervalNanos;
        List<FileChannel> dirty = new ArrayList<>();
        int skipLinger = 0;
        int missedLingers = 0;
        while (true) {
            long target;
            boolean forceDirectory;
            lock.lock();
            try {
                // Earliest start of the next fsync: after the interval, or after the linger if this
                // thread had nothing to do when the first record of this round was appended.
                long notBefore = lastStart + intervalNanos;
                while (true) {
                    if (lastSequence == syncedSequence) {
                        if (closing) {
                            return;
                        }
                        syncIdle = true;
                        syncWork.await();
                        if (lastSequence != syncedSequence && lingerNanos > 0) {
                            if (skipLinger > 0) {
                                skipLinger--;
                            } else {
                                notBefore = Math.max(notBefore, System.nanoTime() + lingerNanos);
                                lingering = true;
                                lingers.incrementAndGet();
                            }
                        }
                        continue;
                    }
                    long wait = notBefore - System.nanoTime();
                    boolean enough = lingering && lastSequence - syncedSequence >= LINGER_RECORDS;
                    if (wait > 0 && !closing && !enough) {
                        syncWork.awaitNanos(wait);
                        continue;
                    }
                    if (wait > 0 && enough) {
                        lingersCutShort.incrementAndGet();
                    }
                    break;
                }
                target = lastSequence;
                if (lingering && !closing) {
                    if (target - syncedSequence > 1) {
                        missedLingers = 0;
                    } else if (++missedLingers >= LINGER_MISSES) {
                        skipLinger = LINGER_SKIP_ROUNDS;
                    }
                }
                lingering = false;
                dirty.clear();
                index.unsyncedChannels(syncedSequence, dirty);
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
                    SpoolFiles.forceDirectory(directory);
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
            index.removeAfter(syncedSequence);
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

    /**
     * Refuses appends, waits for a last fsync of what was appended, stops the sync thread and fails
     * the futures still pending. False if it was closing already.
     */
    boolean close() {
        lock.lock();
        try {
            if (closing) {
                return false;
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
        return true;
    }

    private record Waiter(long sequence, long order, CompletableFuture<Long> future) {}
}

package dev.rigtel.collector.store;

import dev.rigtel.collector.metrics.StoreMeters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of batching and buffering between intake and InfluxDB (Telegraf's model), backed by
 * the durable {@link Spool}. Intake threads {@link #offer} encoded points: they are appended to the
 * spool at once, and the offer's {@code onAccepted} runs when a group commit has made them durable
 * (so a QoS 1 PUBACK means "on the collector's disk", not "in memory"). Writer threads ({@link
 * WriteBufferOptions#writers()}, two by default) drain the spool into InfluxDB through a {@link
 * PointSink}: each takes the next batch (by size and time), writes it, retrying with backoff for as
 * long as it takes, and the spool's commit advances in order over the batches InfluxDB accepted, so
 * it never passes one still in flight. With two, the next batch is read and compressed while
 * InfluxDB stores the current one. A restart replays from the last commit; points carry their own
 * timestamps, so a replay (also of a batch written after one that was not) overwrites itself.
 *
 * <p>Memory is bounded by the spool's disk quota and back-pressure, not by dropping: above the
 * quota {@link #overCapacity()} turns true and intake stops reading from its connections until
 * {@link #whenBelowLowWatermark} fires (80 % of the quota). A batch the database refuses as invalid
 * (HTTP 400) cannot succeed on retry: it is counted as dropped, logged, and committed.
 */
public final class WriteBuffer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteBuffer.class);

    /** Share of the spool quota below which intake reads again. */
    static final double RESUME_FRACTION = 0.8;

    private static final Duration CLOSE_DRAIN = Duration.ofSeconds(30);

    private final PointSink sink;
    private final Spool spool;
    private final WriteBufferOptions options;
    private final StoreMeters meters;
    private final List<Thread> writers;
    /** Held by the writer choosing the next batch; guards {@link #dispatched}. */
    private final ReentrantLock dispatchLock = new ReentrantLock();
    /** Batches handed out and not yet committed, oldest first; guarded by itself. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** Last sequence handed to a writer. */
    private long dispatched;

    /** Set once a writer gave up (closing with InfluxDB down): all stop. */
    private final AtomicBoolean gaveUp = new AtomicBoolean();
    /** Set by the first failed write of an outage (which logs it), cleared by the next success. */
    private final AtomicBoolean failing = new AtomicBoolean();

    private volatile boolean closing;
    private volatile long closeDeadline = Long.MAX_VALUE;
    private volatile long closeDrainNanos = CLOSE_DRAIN.toNanos();
    private volatile boolean flushRequested;

    /** Disk faults of the spool's append, read and commit, as {@code /health} reports them. */
    private final Faults faults;
    /** The highest sequence that may be committed but whose commit failed; retried before the next batch. */
    private volatile long uncommitted;
    /** When a failed commit is tried again, and the delay after that; guarded by {@link #inFlight}. */
    private volatile long commitRetryAtNanos;

    private long commitDelayNanos;

    public WriteBuffer(PointSink sink, Spool spool, WriteBufferOptions options, StoreMeters meters) {
        this(sink, spool, options, meters, Faults.uncounted());
    }

    public WriteBuffer(PointSink sink, Spool spool, WriteBufferOptions options, StoreMeters meters, Faults faults) {
        this.faults = faults;
        this.sink = sink;
        this.spool = spool;
        this.options = options;
        this.meters = meters;
        meters.bindSpool(new StoreMeters.SpoolStats(
                spool::unwrittenPoints,
                spool::unwrittenBytes,
                spool::oldestUnwrittenAgeNanos,
                spool::fsyncCount,
                spool::recoveredRecords,
                spool::droppedTailBytes));
        this.dispatched = spool.committed();
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= options.writers(); i++) {
            Thread thread = new Thread(this::run, options.writers() == 1 ? "rigtel-writer" : "rigtel-writer-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        this.writers = List.copyOf(threads);
    }

    public WriteBuffer start() {
        writers.forEach(Thread::start);
        return this;
    }

    /**
     * Appends encoded points to the spool; {@code onAccepted} runs (on the spool's sync thread) once
     * they are durable. Never blocks on the database and never refuses: the caller checks {@link
     * #overCapacity()} afterwards and stops reading.
     *
     * @return the spool record that holds them ({@link #storedThrough()} passes it once they are in
     *     the database), 0 if there were none
     */
    public long offer(String lines, int points, Runnable onAccepted) {
        return offer(lines, points, onAccepted, () -> {});
    }

    /**
     * {@link #offer(String, int, Runnable)}, and {@code onLost} runs instead of {@code onAccepted}
     * if the spool drops the record unacknowledged after a failed fsync: the caller makes its
     * publisher send it again (an MQTT connection is closed, an HTTP request answered 503).
     */
    public long offer(String lines, int points, Runnable onAccepted, Runnable onLost) {
        return offer(lines, null, points, onAccepted, onLost);
    }

    /**
     * {@link #offer(String, int, Runnable, Runnable)} of a {@link CompactRecord} body: the writers turn
     * it into line protocol, so the offering thread only packed numbers.
     */
    long offerCompact(byte[] body, int points, Runnable onAccepted, Runnable onLost) {
        return offer(null, body, points, onAccepted, onLost);
    }

    private long offer(String lines, byte[] compact, int points, Runnable onAccepted, Runnable onLost) {
        if (points <= 0) {
            onAccepted.run();
            return 0;
        }
        long sequence;
        try {
            sequence = compact != null ? spool.appendCompact(compact, points) : spool.append(lines, points);
        } catch (UncheckedIOException e) {
            // Disk full, too many open files, I/O error: nothing was appended and nothing is
            // acknowledged; the caller closes the connection and the rig sends it again.
            if (faults.failed("append", e.getCause() == null ? e : e.getCause())) {
                log.error("the spool cannot append (its connection is closed and the rig resends): {}", e.getMessage());
            }
            throw e;
        }
        if (faults.ok("append") != null) {
            log.info("the spool appends again");
        }
        spool.durable(sequence).whenComplete((s, error) -> {
            if (error == null) {
                onAccepted.run();
            } else {
                // The spool reports the fault once (fsync); each record it dropped is not acknowledged.
                log.debug("spool record {} is not durable; not acknowledged: {}", sequence, error.getMessage());
                onLost.run();
            }
        });
        return sequence;
    }

    /** The spool record up to which everything offered is in the database (or was refused by it). */
    public long storedThrough() {
        return spool.committed();
    }

    /** True while the spool holds more unwritten data than its quota; intake should stop reading. */
    public boolean overCapacity() {
        return spool.overQuota();
    }

    /** Runs {@code resume} once the spool is below {@link #RESUME_FRACTION} of its quota. */
    public void whenBelowLowWatermark(Runnable resume) {
        spool.whenBelow(RESUME_FRACTION, resume);
    }

    /** Points accepted but not yet in InfluxDB. */
    public long queuedPoints() {
        return spool.unwrittenPoints();
    }

    /** Asks the writer to write what waits now instead of at the end of the flush interval. */
    public void flush() {
        flushRequested = true;
    }

    /** One batch handed to a writer, in dispatch order; committed once it and all before it are done. */
    private static final class InFlight {
        final long lastSequence;
        boolean done;

        InFlight(long lastSequence) {
            this.lastSequence = lastSequence;
        }
    }

    /** A batch and its place in the commit order. */
    private record Dispatched(List<SpoolRecord> records, InFlight ticket) {}

    /**
     * One writer: takes the next batch, writes it until the sink takes it, marks it done and commits
     * what is done in order. Writers take batches one at a time under {@link #dispatchLock}.
     */
    private void run() {
        long retryDelayNanos = options.minRetryDelay().toNanos();
        long faultDelayNanos = options.minRetryDelay().toNanos();
        while (true) {
            try {
                retryCommit();
                Dispatched next = next();
                if (next == null) {
                    return;
                }
                retryDelayNanos = write(next.records(), retryDelayNanos);
                if (retryDelayNanos < 0) {
                    if (gaveUp.compareAndSet(false, true)) {
                        log.error(
                                "closing with InfluxDB unreachable: {} points stay in the spool for the next start",
                                spool.unwrittenPoints());
                    }
                    return;
                }
                done(next.ticket());
                faultDelayNanos = options.minRetryDelay().toNanos();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SpoolFault e) {
                // A disk fault reading: nothing is lost (what was not read is read again), so wait
                // and go on, reported as degraded.
                if (faults.failed(e.operation, e.getCause())) {
                    log.error(
                            "the spool's {} failed; retrying with backoff, /health is DEGRADED meanwhile: {}",
                            e.operation,
                            e.getCause().toString());
                }
                if (closing) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(faultDelayNanos);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                faultDelayNanos =
                        Math.min(faultDelayNanos * 2, options.maxRetryDelay().toNanos());
            }
        }
    }

    /** A spool read that failed on the disk. */
    private static final class SpoolFault extends Exception {
        private static final long serialVersionUID = 1L;
        final String operation;

        SpoolFault(String operation, Throwable cause) {
            super(operation, cause);
            this.operation = operation;
        }
    }

    /** Commits what a failed commit left, at most once per retry delay. */
    private void retryCommit() {
        long to = uncommitted;
        if (to > spool.committed() && System.nanoTime() >= commitRetryAtNanos) {
            commit(to);
        }
    }

    /**
     * Commits up to {@code to}. A commit that fails on the disk does not stop the writers: what
     * InfluxDB took stays in the spool a while longer (a restart would replay it, which overwrites
     * itself), the fault is reported, and the commit is tried again before later batches.
     */
    private void commit(long to) {
        try {
            spool.commit(to);
        } catch (IOException | UncheckedIOException e) {
            synchronized (inFlight) {
                uncommitted = Math.max(uncommitted, to);
                commitDelayNanos = Math.min(
                        Math.max(commitDelayNanos * 2, options.minRetryDelay().toNanos()),
                        options.maxRetryDelay().toNanos());
                commitRetryAtNanos = System.nanoTime() + commitDelayNanos;
            }
            if (faults.failed("commit", e)) {
                log.error(
                        "the spool's commit failed; writing goes on and the commit is retried, /health is DEGRADED"
                                + " meanwhile: {}",
                        e.toString());
            }
            return;
        }
        commitDelayNanos = 0;
        if (faults.ok("commit") != null) {
            log.info("the spool commits again");
        }
    }

    /**
     * The next batch to write: waits until a full batch waits, or the oldest point not yet handed out
     * is a flush interval old, or a flush was asked for; null once closing has nothing left (or a
     * writer gave up).
     */
    private Dispatched next() throws InterruptedException, SpoolFault {
        dispatchLock.lockInterruptibly();
        try {
            while (true) {
                if (gaveUp.get()) {
                    return null;
                }
                closeDeadline();
                if (!spool.awaitReadable(dispatched, 50, TimeUnit.MILLISECONDS)) {
                    if (closing) {
                        return null;
                    }
                    retryCommit(); // idle: a commit that failed is not left waiting for new data
                    continue;
                }
                long waitNanos = options.flushInterval().toNanos() - spool.ageAfterNanos(dispatched);
                boolean full = spool.holdsPointsAfter(dispatched, options.batchPoints());
                if (!full && waitNanos > 0 && !closing && !flushRequested) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, TimeUnit.MILLISECONDS.toNanos(50)));
                    continue;
                }
                flushRequested = false;
                List<SpoolRecord> batch;
                try {
                    batch = spool.readFrom(dispatched, options.batchPoints());
                } catch (IOException | UncheckedIOException e) {
                    throw new SpoolFault("read", e);
                }
                if (faults.ok("read") != null) {
                    log.info("the spool reads again");
                }
                if (batch.isEmpty()) {
                    continue;
                }
                dispatched = batch.get(batch.size() - 1).sequence();
                InFlight ticket = new InFlight(dispatched);
                synchronized (inFlight) {
                    inFlight.addLast(ticket);
                }
                // A full batch can come out short when its last records were not yet durable: write
                // the rest at once rather than at the end of the next flush interval.
                flushRequested = full && spool.holdsPointsAfter(dispatched, 1);
                return new Dispatched(batch, ticket);
            }
        } finally {
            dispatchLock.unlock();
        }
    }

    /**
     * Marks a batch written and commits every batch up to the first one still in flight: the spool's
     * commit never passes a batch InfluxDB has not taken, so a restart replays it (and the batches
     * after it, which overwrite themselves).
     */
    private void done(InFlight ticket) {
        long commitTo = -1;
        synchronized (inFlight) {
            ticket.done = true;
            while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
                commitTo = inFlight.pollFirst().lastSequence;
            }
        }
        if (commitTo > 0) {
            // Commits may reach the spool out of order from two writers; it ignores one that is not
            // after what is already committed.
            commit(commitTo);
        }
    }

    /** When closing stops waiting for InfluxDB: the close's drain time after it began. */
    private long closeDeadline() {
        if (closing && closeDeadline == Long.MAX_VALUE) {
            synchronized (inFlight) {
                if (closeDeadline == Long.MAX_VALUE) {
                    closeDeadline = System.nanoTime() + closeDrainNanos;
                }
            }
        }
        return closeDeadline;
    }

    /** Writes one batch until the sink takes it; returns the next retry delay, or -1 if closing gave up. */
    private long write(List<SpoolRecord> batch, long retryDelayNanos) throws InterruptedException {
        int points = 0;
        for (SpoolRecord record : batch) {
            points += record.points();
        }
        // Compact records become line protocol here, on the writer's thread, not on the ack path.
        boolean encode = sink.readsLines();
        StringBuilder body =
                new StringBuilder(encode ? (int) Math.min((long) points * LineEncoder.IMU_LINE_CHARS, 1 << 26) : 0);
        for (SpoolRecord record : encode ? batch : List.<SpoolRecord>of()) {
            int before = body.length();
            try {
                record.appendLinesTo(body);
            } catch (IllegalArgumentException e) {
                // Its checksum held, so it is as it was written, but this code cannot read it (a
                // spool of a newer collector): it cannot be written, now or on retry.
                body.setLength(before);
                points -= record.points();
                meters.pointsDropped("unreadable", record.points());
                log.error(
                        "spool record {} cannot be read back as line protocol; its {} points are dropped: {}",
                        record.sequence(),
                        record.points(),
                        e.getMessage());
            }
        }
        if (points == 0) {
            return options.minRetryDelay().toNanos();
        }
        String lines = body.toString();
        while (true) {
            long started = System.nanoTime();
            try {
                sink.write(lines, points);
                meters.batchWritten(points, System.nanoTime() - started);
                if (failing.compareAndSet(true, false)) {
                    log.info("InfluxDB takes writes again");
                }
                return options.minRetryDelay().toNanos();
            } catch (SinkException e) {
                if (!e.retryable()) {
                    meters.pointsDropped(e.reason(), points);
                    log.error(
                            "InfluxDB refused a batch of {} points ({}); they are dropped: {}",
                            points,
                            e.reason(),
                            e.getMessage());
                    return options.minRetryDelay().toNanos();
                }
                meters.writeRetried(e.reason());
                if (failing.compareAndSet(false, true)) {
                    log.warn("InfluxDB write failed ({}), retrying with backoff: {}", e.reason(), e.getMessage());
                }
                if (System.nanoTime() + retryDelayNanos > closeDeadline()) {
                    return -1;
                }
                TimeUnit.NANOSECONDS.sleep(retryDelayNanos);
                retryDelayNanos =
                        Math.min(retryDelayNanos * 2, options.maxRetryDelay().toNanos());
            }
        }
    }

    /**
     * Writes what the spool holds (for up to 30 s if InfluxDB is down; the rest stays on disk for
     * the next start), then stops the writer and closes the spool.
     */
    @Override
    public void close() {
        close(CLOSE_DRAIN);
    }

    /** {@link #close()}, waiting at most {@code drain} for InfluxDB (tests: a shorter wait). */
    void close(Duration drain) {
        closeDrainNanos = drain.toNanos();
        closing = true;
        try {
            long deadline = System.nanoTime() + drain.toNanos() + TimeUnit.SECONDS.toNanos(5);
            for (Thread writer : writers) {
                writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            for (Thread writer : writers) {
                if (writer.isAlive()) {
                    writer.interrupt();
                    writer.join(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spool.close();
    }
}

package dev.rigtel.collector.store;

import dev.rigtel.collector.metrics.StoreMeters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of batching and buffering between intake and InfluxDB (Telegraf's model), backed by
 * the durable {@link Spool}. Intake threads {@link #offer} encoded points: they are appended to the
 * spool at once, and the offer's {@code onAccepted} runs when a group commit has made them durable
 * (so a QoS 1 PUBACK means "on the collector's disk", not "in memory"). One writer thread drains
 * the spool into InfluxDB through a {@link PointSink}, batching by size and time, retrying with
 * backoff for as long as it takes, and commits in the spool what InfluxDB accepted. A restart
 * replays from the last commit; points carry their own timestamps, so a replay overwrites itself.
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

    private static final long CLOSE_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final PointSink sink;
    private final Spool spool;
    private final WriteBufferOptions options;
    private final StoreMeters meters;
    private final Thread writer;
    private volatile boolean closing;
    private volatile boolean flushRequested;

    public WriteBuffer(PointSink sink, Spool spool, WriteBufferOptions options, StoreMeters meters) {
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
        this.writer = new Thread(this::run, "rigtel-writer");
        writer.setDaemon(true);
    }

    public WriteBuffer start() {
        writer.start();
        return this;
    }

    /**
     * Appends encoded points to the spool; {@code onAccepted} runs (on the spool's sync thread) once
     * they are durable. Never blocks on the database and never refuses: the caller checks {@link
     * #overCapacity()} afterwards and stops reading.
     */
    public void offer(String lines, int points, Runnable onAccepted) {
        if (points <= 0) {
            onAccepted.run();
            return;
        }
        long sequence = spool.append(lines, points);
        spool.durable(sequence).whenComplete((s, error) -> {
            if (error == null) {
                onAccepted.run();
            } else {
                log.error(
                        "spool could not make record {} durable; it is not acknowledged: {}",
                        sequence,
                        error.getMessage());
            }
        });
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

    private void run() {
        long committed = spool.committed();
        long retryDelayNanos = options.minRetryDelay().toNanos();
        long closeDeadline = Long.MAX_VALUE;
        try {
            while (true) {
                if (closing && closeDeadline == Long.MAX_VALUE) {
                    closeDeadline = System.nanoTime() + CLOSE_DRAIN_NANOS;
                }
                if (!spool.awaitReadable(committed, 50, TimeUnit.MILLISECONDS)) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                long waitNanos = options.flushInterval().toNanos() - spool.oldestUnwrittenAgeNanos();
                boolean full = spool.unwrittenPoints() >= options.batchPoints();
                if (!full && waitNanos > 0 && !closing && !flushRequested) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, TimeUnit.MILLISECONDS.toNanos(50)));
                    continue;
                }
                flushRequested = false;
                List<SpoolRecord> batch = spool.readFrom(committed, options.batchPoints());
                if (batch.isEmpty()) {
                    continue;
                }
                retryDelayNanos = write(batch, retryDelayNanos, closeDeadline);
                if (retryDelayNanos < 0) {
                    log.error(
                            "closing with InfluxDB unreachable: {} points stay in the spool for the next start",
                            spool.unwrittenPoints());
                    return;
                }
                committed = batch.get(batch.size() - 1).sequence();
                spool.commit(committed);
                // A full batch can come out short when its last records were not yet durable: write
                // the rest at once rather than at the end of the next flush interval.
                flushRequested = full && spool.unwrittenPoints() > 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | UncheckedIOException e) {
            log.error("the spool failed; the writer stops and unwritten points stay on disk", e);
        }
    }

    /** Writes one batch until the sink takes it; returns the next retry delay, or -1 if closing gave up. */
    private long write(List<SpoolRecord> batch, long retryDelayNanos, long closeDeadline) throws InterruptedException {
        int points = 0;
        StringBuilder body = new StringBuilder(batch.size() == 1 ? 0 : batch.size() * 3000);
        for (SpoolRecord record : batch) {
            points += record.points();
            if (batch.size() > 1) {
                body.append(record.lines());
            }
        }
        String lines = batch.size() == 1 ? batch.get(0).lines() : body.toString();
        while (true) {
            long started = System.nanoTime();
            try {
                sink.write(lines, points);
                meters.batchWritten(points, System.nanoTime() - started);
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
                if (retryDelayNanos == options.minRetryDelay().toNanos()) {
                    log.warn("InfluxDB write failed ({}), retrying with backoff: {}", e.reason(), e.getMessage());
                }
                if (System.nanoTime() + retryDelayNanos > closeDeadline) {
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
        closing = true;
        try {
            writer.join(TimeUnit.NANOSECONDS.toMillis(CLOSE_DRAIN_NANOS) + 5_000);
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spool.close();
    }
}

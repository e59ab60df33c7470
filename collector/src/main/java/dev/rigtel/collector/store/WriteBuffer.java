package dev.rigtel.collector.store;

import dev.rigtel.collector.metrics.StoreMeters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of batching and buffering between intake and InfluxDB (Telegraf's model). Intake
 * threads {@link #offer} encoded points without ever blocking; one writer thread batches them by
 * size and time and writes them through a {@link PointSink}, retrying with backoff for as long as it
 * takes. Each offer's {@code onStored} runs once its points are stored, in offer order, so a QoS 1
 * PUBACK can wait for it.
 *
 * <p>Memory is bounded by back-pressure, not by dropping: when more than {@code capacityPoints}
 * wait, {@link #overCapacity()} turns true and intake stops reading from its connections until
 * {@link #whenBelowLowWatermark} fires. A batch the database refuses as invalid (HTTP 400) cannot
 * succeed on retry; it is counted as dropped and logged, and its offers complete so rigs are not
 * stuck re-sending it.
 */
public final class WriteBuffer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteBuffer.class);

    /** Points waiting to be written, with what to run when they are stored. */
    private record Pending(String lines, int points, Runnable onStored, long enqueuedNanos) {}

    private final PointSink sink;
    private final WriteBufferOptions options;
    private final StoreMeters meters;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<Runnable> lowWatermarkWaiters = new ArrayList<>();
    private final Thread writer;
    private int queuedPoints;
    private volatile boolean closing;
    private boolean flushRequested;

    public WriteBuffer(PointSink sink, WriteBufferOptions options, StoreMeters meters) {
        this.sink = sink;
        this.options = options;
        this.meters = meters;
        meters.bindBuffer(this::queuedPoints, this::oldestAgeSeconds);
        this.writer = new Thread(this::run, "rigtel-writer");
        writer.setDaemon(true);
    }

    public WriteBuffer start() {
        writer.start();
        return this;
    }

    /**
     * Queues encoded points. Never blocks and never refuses: the caller checks {@link
     * #overCapacity()} afterwards and stops reading. Overshoot is bounded by what a connection has
     * already read (one socket read's worth of messages).
     */
    public void offer(String lines, int points, Runnable onStored) {
        if (points <= 0) {
            onStored.run();
            return;
        }
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("write buffer is closed");
            }
            boolean wasEmpty = queue.isEmpty();
            queue.addLast(new Pending(lines, points, onStored, System.nanoTime()));
            queuedPoints += points;
            if (wasEmpty || queuedPoints >= options.batchPoints()) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** True while more points wait than the capacity allows; intake should stop reading. */
    public boolean overCapacity() {
        lock.lock();
        try {
            return queuedPoints > options.capacityPoints();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code resume} once fewer than half the capacity wait (at once if that is already so). */
    public void whenBelowLowWatermark(Runnable resume) {
        lock.lock();
        try {
            if (queuedPoints > options.capacityPoints() / 2) {
                lowWatermarkWaiters.add(resume);
                return;
            }
        } finally {
            lock.unlock();
        }
        resume.run();
    }

    public int queuedPoints() {
        lock.lock();
        try {
            return queuedPoints;
        } finally {
            lock.unlock();
        }
    }

    private double oldestAgeSeconds() {
        lock.lock();
        try {
            Pending head = queue.peekFirst();
            return head == null ? 0 : (System.nanoTime() - head.enqueuedNanos()) / 1e9;
        } finally {
            lock.unlock();
        }
    }

    /** Asks the writer to write what waits now instead of at the end of the flush interval. */
    public void flush() {
        lock.lock();
        try {
            flushRequested = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        long retryDelayNanos = options.minRetryDelay().toNanos();
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                if (!takeBatch(batch)) {
                    return;
                }
                retryDelayNanos = writeUntilDone(batch, retryDelayNanos);
                complete(batch);
                batch.clear();
            } catch (InterruptedException e) {
                if (!batch.isEmpty()) {
                    log.warn("writer interrupted with {} points unwritten", count(batch));
                }
                return;
            }
        }
    }

    /** Waits for a full batch, the flush interval, a flush request or close; false when closed and empty. */
    private boolean takeBatch(List<Pending> batch) throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closing) {
                    return false;
                }
                work.await();
            }
            long deadline =
                    queue.peekFirst().enqueuedNanos() + options.flushInterval().toNanos();
            while (queuedPoints < options.batchPoints() && !closing && !flushRequested) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                work.awaitNanos(wait);
            }
            flushRequested = false;
            int points = 0;
            while (!queue.isEmpty()
                    && (points == 0 || points + queue.peekFirst().points() <= options.batchPoints())) {
                Pending next = queue.pollFirst();
                batch.add(next);
                points += next.points();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private long writeUntilDone(List<Pending> batch, long retryDelayNanos) throws InterruptedException {
        int points = count(batch);
        StringBuilder body = new StringBuilder(batch.size() == 1 ? 0 : points * 96);
        String lines = batch.size() == 1 ? batch.get(0).lines() : join(body, batch);
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
                TimeUnit.NANOSECONDS.sleep(retryDelayNanos);
                retryDelayNanos =
                        Math.min(retryDelayNanos * 2, options.maxRetryDelay().toNanos());
                if (closing && retryDelayNanos >= options.maxRetryDelay().toNanos()) {
                    log.error("closing with InfluxDB unreachable: {} points not stored", points + queuedPoints());
                    throw new InterruptedException("closed while InfluxDB is unreachable");
                }
            }
        }
    }

    private static String join(StringBuilder body, List<Pending> batch) {
        for (Pending pending : batch) {
            body.append(pending.lines());
        }
        return body.toString();
    }

    private void complete(List<Pending> batch) {
        List<Runnable> resume = List.of();
        lock.lock();
        try {
            queuedPoints -= count(batch);
            if (!lowWatermarkWaiters.isEmpty() && queuedPoints <= options.capacityPoints() / 2) {
                resume = List.copyOf(lowWatermarkWaiters);
                lowWatermarkWaiters.clear();
            }
        } finally {
            lock.unlock();
        }
        for (Pending pending : batch) {
            try {
                pending.onStored().run();
            } catch (RuntimeException e) {
                log.warn("store callback failed", e);
            }
        }
        resume.forEach(Runnable::run);
    }

    private static int count(List<Pending> batch) {
        int points = 0;
        for (Pending pending : batch) {
            points += pending.points();
        }
        return points;
    }

    /** Writes what waits (retrying for a while if InfluxDB is down), then stops the writer. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

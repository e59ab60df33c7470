package dev.rigtel.collector.store;

import java.time.Duration;

/**
 * How the write buffer batches and holds points.
 *
 * @param batchPoints a batch is written as soon as this many points wait (default 5000)
 * @param flushInterval a batch is written at the latest this long after its first point arrived
 *     (default 200 ms)
 * @param minRetryDelay first delay after a failed write; doubles per failure (default 100 ms)
 * @param maxRetryDelay the longest delay between retries (default 10 s)
 * @param writers batches in flight to InfluxDB at once, each on a writer thread of its own; they are
 *     committed in the spool in order (default 2: the next batch is read and compressed while the
 *     current one is stored)
 */
public record WriteBufferOptions(
        int batchPoints, Duration flushInterval, Duration minRetryDelay, Duration maxRetryDelay, int writers) {

    /** Batches in flight by default. */
    public static final int DEFAULT_WRITERS = 2;

    /** The most batches in flight: more only makes InfluxDB's work queue longer. */
    public static final int MAX_WRITERS = 16;

    public WriteBufferOptions {
        if (batchPoints < 1) {
            throw new IllegalArgumentException("batchPoints must be at least 1");
        }
        if (writers < 1 || writers > MAX_WRITERS) {
            throw new IllegalArgumentException("--write-concurrency (writers) must be between 1 and " + MAX_WRITERS);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive");
        }
        if (minRetryDelay.isNegative() || maxRetryDelay.compareTo(minRetryDelay) < 0) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= min <= max");
        }
    }

    public WriteBufferOptions(int batchPoints, Duration flushInterval, Duration minRetryDelay, Duration maxRetryDelay) {
        this(batchPoints, flushInterval, minRetryDelay, maxRetryDelay, DEFAULT_WRITERS);
    }

    public static WriteBufferOptions defaults() {
        return new WriteBufferOptions(5000, Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    public WriteBufferOptions withWriters(int count) {
        return new WriteBufferOptions(batchPoints, flushInterval, minRetryDelay, maxRetryDelay, count);
    }
}

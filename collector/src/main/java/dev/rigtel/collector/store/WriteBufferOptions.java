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
 */
public record WriteBufferOptions(
        int batchPoints, Duration flushInterval, Duration minRetryDelay, Duration maxRetryDelay) {

    public WriteBufferOptions {
        if (batchPoints < 1) {
            throw new IllegalArgumentException("batchPoints must be at least 1");
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive");
        }
        if (minRetryDelay.isNegative() || maxRetryDelay.compareTo(minRetryDelay) < 0) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= min <= max");
        }
    }

    public static WriteBufferOptions defaults() {
        return new WriteBufferOptions(5000, Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(10));
    }
}

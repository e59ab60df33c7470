package dev.rigtel.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and latencies of one load run, shared by every connection and read by the controller.
 * Latencies of batches published before {@link #steadyFrom} (the JIT warm-up of a freshly started
 * collector) are kept apart from the steady-state ones.
 */
final class LoadStats {

    final LongAdder connected = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder ackedSamples = new LongAdder();
    final LongAdder pings = new LongAdder();
    /** Ticks at which a paced rig had a batch due but its window was full. */
    final LongAdder windowFull = new LongAdder();
    /** Connections closed by the other side or by an error, not by us. */
    final LongAdder dropped = new LongAdder();

    final LongAdder protocolErrors = new LongAdder();

    /** Publish to PUBACK. */
    final Latencies ackLatency = new Latencies();
    /** Publish to the message arriving at a subscriber through the broker. */
    final Latencies liveLatency = new Latencies();
    /** Publish to the batch being queryable in InfluxDB. */
    final Latencies storedLatency = new Latencies();

    final Latencies warmupAckLatency = new Latencies();
    final Latencies warmupLiveLatency = new Latencies();
    final Latencies warmupStoredLatency = new Latencies();

    private volatile long steadyFromNanos = Long.MIN_VALUE;

    /** Batches published from {@code nanos} (System.nanoTime) on count as steady state. */
    void steadyFrom(long nanos) {
        this.steadyFromNanos = nanos;
    }

    void ack(long publishedNanos, long nowNanos) {
        (publishedNanos >= steadyFromNanos ? ackLatency : warmupAckLatency).record(nowNanos - publishedNanos);
    }

    void live(long publishedNanos, long nowNanos) {
        (publishedNanos >= steadyFromNanos ? liveLatency : warmupLiveLatency).record(nowNanos - publishedNanos);
    }

    void stored(long publishedNanos, long nowNanos) {
        (publishedNanos >= steadyFromNanos ? storedLatency : warmupStoredLatency).record(nowNanos - publishedNanos);
    }
}

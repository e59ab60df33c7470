package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Meters of payload decoding and validation ({@link MeterCatalog} documents them). */
public final class IngestMeters {

    private final java.util.concurrent.ConcurrentHashMap<String, Counter> acceptedByKind =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final MeterRegistry registry;
    private final Counter samples;
    private final Counter clipped;
    private final Timer storeLatency;

    public IngestMeters(MeterRegistry registry) {
        this.registry = registry;
        this.samples =
                Counter.builder(MeterCatalog.INGEST_SAMPLES).baseUnit("samples").register(registry);
        this.clipped =
                Counter.builder(MeterCatalog.INGEST_CLIPPED).baseUnit("samples").register(registry);
        this.storeLatency = Timer.builder(MeterCatalog.INGEST_STORE_LATENCY)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    public void accepted(String kind, int sampleCount) {
        // Once per message: the registry is asked only the first time per kind.
        acceptedByKind
                .computeIfAbsent(kind, k -> Counter.builder(MeterCatalog.INGEST_MESSAGES)
                        .tag("kind", k)
                        .register(registry))
                .increment();
        if (sampleCount > 0) {
            samples.increment(sampleCount);
        }
    }

    /** Samples of an accepted packed batch at full scale on some axis. */
    public void clipped(int sampleCount) {
        if (sampleCount > 0) {
            clipped.increment(sampleCount);
        }
    }

    public void rejected(String reason) {
        Counter.builder(MeterCatalog.INGEST_REJECTED)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void sequenceAnomaly(String kind, String type, long count) {
        Counter.builder(MeterCatalog.INGEST_SEQUENCE)
                .tag("kind", kind)
                .tag("type", type)
                .register(registry)
                .increment(count);
    }

    public void alert(String type) {
        Counter.builder(MeterCatalog.TIMECODE_ALERTS)
                .tag("type", type)
                .register(registry)
                .increment();
    }

    public void stored(long arrivedNanos) {
        storeLatency.record(System.nanoTime() - arrivedNanos, TimeUnit.NANOSECONDS);
    }

    /** For tests and the health endpoint. */
    public double rejectedCount(String reason) {
        Counter counter = registry.find(MeterCatalog.INGEST_REJECTED)
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}

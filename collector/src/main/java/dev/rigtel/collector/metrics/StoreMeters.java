package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Meters of the write path ({@link MeterCatalog} documents them). */
public final class StoreMeters {

    private final MeterRegistry registry;
    private final Counter points;
    private final Counter batchesOk;
    private final Timer writeTime;

    public StoreMeters(MeterRegistry registry) {
        this.registry = registry;
        this.points =
                Counter.builder(MeterCatalog.STORE_POINTS).baseUnit("points").register(registry);
        this.batchesOk =
                Counter.builder(MeterCatalog.STORE_BATCHES).tag("result", "ok").register(registry);
        this.writeTime = Timer.builder(MeterCatalog.STORE_WRITE_TIME).register(registry);
    }

    /** What the spool can tell about itself; read by the meters, never driven by them. */
    public record SpoolStats(
            LongSupplier unwrittenPoints,
            LongSupplier unwrittenBytes,
            LongSupplier oldestUnwrittenAgeNanos,
            LongSupplier fsyncs,
            LongSupplier recoveredRecords,
            LongSupplier droppedTailBytes) {}

    /** Binds the spool's gauges and counters. */
    public void bindSpool(SpoolStats spool) {
        Gauge.builder(MeterCatalog.STORE_SPOOL_POINTS, () -> spool.unwrittenPoints()
                        .getAsLong())
                .baseUnit("points")
                .register(registry);
        Gauge.builder(MeterCatalog.STORE_SPOOL_BYTES, () -> spool.unwrittenBytes()
                        .getAsLong())
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(
                        MeterCatalog.STORE_SPOOL_OLDEST,
                        () -> spool.oldestUnwrittenAgeNanos().getAsLong() / 1e9)
                .baseUnit("seconds")
                .register(registry);
        FunctionCounter.builder(
                        MeterCatalog.STORE_SPOOL_FSYNCS, spool, s -> s.fsyncs().getAsLong())
                .register(registry);
        FunctionCounter.builder(MeterCatalog.STORE_SPOOL_RECOVERED, spool, s -> s.recoveredRecords()
                        .getAsLong())
                .register(registry);
        FunctionCounter.builder(MeterCatalog.STORE_SPOOL_DROPPED, spool, s -> s.droppedTailBytes()
                        .getAsLong())
                .baseUnit("bytes")
                .register(registry);
    }

    public void batchWritten(int count, long nanos) {
        points.increment(count);
        batchesOk.increment();
        writeTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A disk fault began: {@code operation} is append, fsync, read, commit or broker-state. */
    public void fault(String operation) {
        Counter.builder(MeterCatalog.STORE_FAULTS)
                .tag("operation", operation)
                .register(registry)
                .increment();
    }

    public void writeRetried(String reason) {
        Counter.builder(MeterCatalog.STORE_RETRIES)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void pointsDropped(String reason, int count) {
        Counter.builder(MeterCatalog.STORE_DROPPED)
                .tag("reason", reason)
                .register(registry)
                .increment(count);
        Counter.builder(MeterCatalog.STORE_BATCHES)
                .tag("result", "dropped")
                .register(registry)
                .increment();
    }
}

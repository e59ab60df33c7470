package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

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

    public void bindBuffer(IntSupplier queuedPoints, DoubleSupplier oldestAgeSeconds) {
        Gauge.builder(MeterCatalog.STORE_BUFFERED, queuedPoints::getAsInt)
                .baseUnit("points")
                .register(registry);
        Gauge.builder(MeterCatalog.STORE_OLDEST, oldestAgeSeconds::getAsDouble)
                .baseUnit("seconds")
                .register(registry);
    }

    public void batchWritten(int count, long nanos) {
        points.increment(count);
        batchesOk.increment();
        writeTime.record(nanos, TimeUnit.NANOSECONDS);
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

package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Meters of a shoot's whole length ({@link MeterCatalog} documents them): its disks and their
 * forecast, the take history and the restore of state at start. Each reads its owner, which the
 * registry holds only weakly: owners are the collector's long-lived parts.
 */
public final class ShootMeters {

    private final MeterRegistry registry;

    public ShootMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * What the storage watch last saw; a figure not known is NaN.
     *
     * @param level 0 ok, 1 warning, 2 critical
     */
    public record Disks<T>(
            ToDoubleFunction<T> rawBytes,
            ToDoubleFunction<T> keptBytes,
            ToDoubleFunction<T> forecastBytes,
            ToDoubleFunction<T> influxFreeBytes,
            ToDoubleFunction<T> spoolFreeBytes,
            ToDoubleFunction<T> shootDay,
            ToDoubleFunction<T> level) {}

    public <T> void bindDisks(T watch, Disks<T> disks) {
        gauge(MeterCatalog.STORAGE_INFLUX_BYTES, "bytes", watch, disks.rawBytes(), "policy", "raw");
        gauge(MeterCatalog.STORAGE_INFLUX_BYTES, "bytes", watch, disks.keptBytes(), "policy", "kept");
        gauge(MeterCatalog.STORAGE_FORECAST_BYTES, "bytes", watch, disks.forecastBytes());
        gauge(MeterCatalog.STORAGE_FREE_BYTES, "bytes", watch, disks.influxFreeBytes(), "disk", "influxdb");
        gauge(MeterCatalog.STORAGE_FREE_BYTES, "bytes", watch, disks.spoolFreeBytes(), "disk", "spool");
        gauge(MeterCatalog.STORAGE_SHOOT_DAY, "days", watch, disks.shootDay());
        gauge(MeterCatalog.STORAGE_LEVEL, null, watch, disks.level());
    }

    /**
     * @param pending slate events accepted and not yet in InfluxDB
     * @param dayLoads past days rebuilt from InfluxDB
     */
    public <T> void bindTakes(T history, ToDoubleFunction<T> pending, ToDoubleFunction<T> dayLoads) {
        gauge(MeterCatalog.TAKES_PENDING, "events", history, pending);
        FunctionCounter.builder(MeterCatalog.TAKES_DAY_LOADS, history, dayLoads)
                .baseUnit("days")
                .register(registry);
    }

    /** @param restored 1 once the state kept in InfluxDB was read back at start, else 0 */
    public <T> void bindRestore(T restore, ToDoubleFunction<T> restored) {
        gauge(MeterCatalog.RESTORE_COMPLETE, null, restore, restored);
    }

    private <T> void gauge(String name, String unit, T owner, ToDoubleFunction<T> value, String... tags) {
        Gauge.Builder<T> builder = Gauge.builder(name, owner, value).tags(tags);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        builder.register(registry);
    }
}

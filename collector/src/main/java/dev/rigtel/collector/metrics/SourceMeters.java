package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;

/** Meters of consumer mode, the external MQTT broker ({@link MeterCatalog} documents them). */
public final class SourceMeters {

    private final MeterRegistry registry;
    private final Counter reconnects;
    private final Counter redelivered;

    public SourceMeters(MeterRegistry registry, BooleanSupplier connected) {
        this.registry = registry;
        // No base unit: Prometheus would append it to the name (rigtel_source_reconnects_total).
        this.reconnects = Counter.builder(MeterCatalog.SOURCE_RECONNECTS).register(registry);
        this.redelivered = Counter.builder(MeterCatalog.SOURCE_REDELIVERED).register(registry);
        Gauge.builder(MeterCatalog.SOURCE_CONNECTED, () -> connected.getAsBoolean() ? 1 : 0)
                .register(registry);
    }

    /** Counts a connection made again after it was lost. */
    public void reconnected() {
        reconnects.increment();
    }

    /** Counts a message the broker sent again (DUP). */
    public void redelivered() {
        redelivered.increment();
    }

    /** Counts a message by what became of it (a bounded set: see {@link MeterCatalog#SOURCE_MESSAGES}). */
    public void message(String result) {
        Counter.builder(MeterCatalog.SOURCE_MESSAGES)
                .tag("result", result)
                .register(registry)
                .increment();
    }
}

package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Meters of the camera telemetry import ({@link MeterCatalog} documents them). */
public final class ImportMeters {

    private final MeterRegistry registry;
    private final Counter samples;

    public ImportMeters(MeterRegistry registry) {
        this.registry = registry;
        this.samples =
                Counter.builder(MeterCatalog.IMPORT_SAMPLES).baseUnit("samples").register(registry);
    }

    /** Counts samples made durable. */
    public void samples(long count) {
        samples.increment(count);
    }

    /** Counts a request by its result (a bounded set: see {@link MeterCatalog#IMPORT_REQUESTS}). */
    public void request(String result) {
        Counter.builder(MeterCatalog.IMPORT_REQUESTS)
                .tag("result", result)
                .register(registry)
                .increment();
    }
}

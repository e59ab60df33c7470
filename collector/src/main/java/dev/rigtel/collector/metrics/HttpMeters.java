package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** Meters of the HTTP listener ({@link MeterCatalog} documents them). */
public final class HttpMeters {

    private final MeterRegistry registry;

    public HttpMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Counts a connection or request the listener refused, by reason (a bounded set: see {@link
     * MeterCatalog#HTTP_REFUSED}).
     */
    public void refused(String reason) {
        Counter.builder(MeterCatalog.HTTP_REFUSED)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** The gauge of open HTTP connections, read from the listener's count. */
    public void bindConnections(Supplier<Number> open) {
        Gauge.builder(MeterCatalog.HTTP_CONNECTIONS, open)
                .baseUnit("connections")
                .register(registry);
    }

    /** Counts an answer by its status code (a bounded set: the codes the API uses). */
    public void response(int status) {
        Counter.builder(MeterCatalog.HTTP_RESPONSES)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
    }
}

package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/** Meters of the publish/subscribe core ({@link MeterCatalog} documents them). */
public final class BrokerMeters {

    private final MeterRegistry registry;
    private final Counter wills;
    private final Counter takeovers;
    /** {@link MeterCatalog#BROKER_DELIVERED} by QoS 0..2, registered on first use. */
    private final Counter[] deliveredByQos = new Counter[3];

    public BrokerMeters(MeterRegistry registry) {
        this.registry = registry;
        this.wills = Counter.builder(MeterCatalog.BROKER_WILLS).register(registry);
        this.takeovers = Counter.builder(MeterCatalog.BROKER_TAKEOVERS).register(registry);
    }

    /** Registers the broker's gauges; the suppliers are read at scrape time. */
    public void bindGauges(IntSupplier sessions, IntSupplier subscriptions, IntSupplier retained, IntSupplier queued) {
        Gauge.builder(MeterCatalog.BROKER_SESSIONS, sessions::getAsInt).register(registry);
        Gauge.builder(MeterCatalog.BROKER_SUBSCRIPTIONS, subscriptions::getAsInt)
                .register(registry);
        Gauge.builder(MeterCatalog.BROKER_RETAINED, retained::getAsInt).register(registry);
        Gauge.builder(MeterCatalog.BROKER_QUEUED, queued::getAsInt).register(registry);
    }

    /** Registers the gauges of what the broker's held messages weigh (bounded by its byte limits). */
    public void bindByteGauges(
            java.util.function.LongSupplier queuedBytes, java.util.function.LongSupplier retainedBytes) {
        Gauge.builder(MeterCatalog.BROKER_QUEUED_BYTES, queuedBytes::getAsLong)
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(MeterCatalog.BROKER_RETAINED_BYTES, retainedBytes::getAsLong)
                .baseUnit("bytes")
                .register(registry);
    }

    public void delivered(int qos) {
        // Once per delivery: the registry is asked only the first time per QoS (a race registers the
        // same counter twice, which the registry answers with the one it has).
        Counter counter = deliveredByQos[qos];
        if (counter == null) {
            counter = Counter.builder(MeterCatalog.BROKER_DELIVERED)
                    .tag("qos", Integer.toString(qos))
                    .register(registry);
            deliveredByQos[qos] = counter;
        }
        counter.increment();
    }

    public void dropped(String reason) {
        Counter.builder(MeterCatalog.BROKER_DROPPED)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void willPublished() {
        wills.increment();
    }

    public void takeover() {
        takeovers.increment();
    }

    public void subscribeRefused(String reason) {
        Counter.builder(MeterCatalog.BROKER_SUBSCRIBE_REFUSED)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void command(String result) {
        Counter.builder(MeterCatalog.COMMANDS)
                .tag("result", result)
                .register(registry)
                .increment();
    }

    public double droppedCount(String reason) {
        Counter c =
                registry.find(MeterCatalog.BROKER_DROPPED).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    public double willCount() {
        return wills.count();
    }
}

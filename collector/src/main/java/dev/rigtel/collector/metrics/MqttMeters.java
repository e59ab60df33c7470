package dev.rigtel.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Meters of the MQTT transport ({@link MeterCatalog} documents them). */
public final class MqttMeters {

    /** By QoS 0-2, registered on first use; a race registers the same counter twice, harmlessly. */
    private final Counter[] publishesByQos = new Counter[3];

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter receivedBytes;
    private final Counter paused;
    private final Timer pausedTime;

    public MqttMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(MeterCatalog.MQTT_CONNECTIONS, connections, AtomicInteger::get)
                .register(registry);
        this.receivedBytes = Counter.builder(MeterCatalog.MQTT_RECEIVED_BYTES)
                .baseUnit("bytes")
                .register(registry);
        this.paused = Counter.builder(MeterCatalog.MQTT_PAUSED).register(registry);
        this.pausedTime = Timer.builder(MeterCatalog.MQTT_PAUSED_TIME).register(registry);
    }

    public void connect(String result) {
        Counter.builder(MeterCatalog.MQTT_CONNECTS)
                .tag("result", result)
                .register(registry)
                .increment();
    }

    public void opened() {
        connections.incrementAndGet();
    }

    /** Open connections that completed CONNECT. */
    public int connections() {
        return connections.get();
    }

    public void gone() {
        connections.decrementAndGet();
    }

    public void closed(String reason) {
        Counter.builder(MeterCatalog.MQTT_CLOSED)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void publish(int qos, int payloadBytes) {
        // Once per PUBLISH: the counter is looked up in the registry only the first time per QoS.
        Counter counter = publishesByQos[qos];
        if (counter == null) {
            counter = Counter.builder(MeterCatalog.MQTT_PUBLISHES)
                    .tag("qos", Integer.toString(qos))
                    .register(registry);
            publishesByQos[qos] = counter;
        }
        counter.increment();
        receivedBytes.increment(payloadBytes);
    }

    /** A PUBLISH refused by the transport before ingest or the broker saw it. */
    public void publishRefused(String reason) {
        Counter.builder(MeterCatalog.MQTT_PUBLISHES_REFUSED)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public double publishRefusedCount(String reason) {
        Counter counter = registry.find(MeterCatalog.MQTT_PUBLISHES_REFUSED)
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    public void throttled() {
        Counter.builder(MeterCatalog.MQTT_THROTTLED).register(registry).increment();
    }

    public void paused() {
        paused.increment();
    }

    public void resumed(long pausedNanos) {
        pausedTime.record(pausedNanos, TimeUnit.NANOSECONDS);
    }

    public double closedCount(String reason) {
        Counter counter =
                registry.find(MeterCatalog.MQTT_CLOSED).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    public double connectCount(String result) {
        Counter counter =
                registry.find(MeterCatalog.MQTT_CONNECTS).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}

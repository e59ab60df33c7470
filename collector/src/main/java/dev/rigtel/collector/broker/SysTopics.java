package dev.rigtel.collector.broker;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * The collector's own state as retained {@code $SYS/rigtel/...} topics, the convention brokers
 * follow. Wildcard filters starting with '+' or '#' never match them (section 4.7.2); subscribe to
 * {@code $SYS/#}.
 */
public final class SysTopics {

    public static final String PREFIX = "$SYS/rigtel/";

    private final Broker broker;
    private final IntSupplier connections;
    private final Clock clock;
    private final Instant started;

    public SysTopics(Broker broker, String version, IntSupplier connections, Clock clock) {
        this.broker = broker;
        this.connections = connections;
        this.clock = clock;
        this.started = clock.instant();
        put("version", version);
        put("started", started.toString());
    }

    /** Refreshes the counts; call every few seconds. */
    public void tick() {
        put("clients/connected", Integer.toString(connections.getAsInt()));
        put("sessions", Integer.toString(broker.sessionCount()));
        put("subscriptions", Integer.toString(broker.subscriptionCount()));
        put("retained", Integer.toString(broker.retainedCount()));
        put("uptime", Long.toString(clock.instant().getEpochSecond() - started.getEpochSecond()));
    }

    private void put(String name, String value) {
        broker.publish(BrokerMessage.of(PREFIX + name, value.getBytes(StandardCharsets.UTF_8), 0, true), null);
    }
}

package dev.rigtel.collector.testing;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.metrics.MeterCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;

/**
 * A collector with a real InfluxDB and the users the broker tests log in as: rigs rig-01..rig-NN
 * (password pw-NN), {@link #ADMIN}, {@link #VIEWER}, each with password "{user}-pw"; and the
 * broker's meters, which tell a test what the server did with a connection it cannot see on the
 * wire.
 */
public final class BrokerHarness implements AutoCloseable {

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    private final InfluxdbServer influx;
    private final Collector.Running collector;

    private BrokerHarness(InfluxdbServer influx, Collector.Running collector) {
        this.influx = influx;
        this.collector = collector;
    }

    public static BrokerHarness start(Path dir, int rigs) throws Exception {
        InfluxdbServer influx = InfluxdbServer.start();
        try {
            Path credentials = TestCollector.credentials(dir, rigs);
            TestCollector.addUser(credentials, ADMIN, Role.ADMIN, password(ADMIN));
            TestCollector.addUser(credentials, VIEWER, Role.VIEWER, password(VIEWER));
            return new BrokerHarness(influx, TestCollector.start(dir.resolve("collector"), credentials, influx.url()));
        } catch (Exception | Error e) {
            influx.close();
            throw e;
        }
    }

    /** The password of an admin or viewer user. */
    public static String password(String user) {
        return user + "-pw";
    }

    public int port() {
        return collector.mqttPort();
    }

    /** Broker sessions held, connected or not ({@code rigtel.broker.sessions}). */
    public int sessions() {
        return (int) gauge(MeterCatalog.BROKER_SESSIONS);
    }

    /** Wills published so far ({@code rigtel.broker.wills}). */
    public double wills() {
        return counter(MeterCatalog.BROKER_WILLS, null);
    }

    /** Messages the broker dropped for {@code reason} ({@code rigtel.broker.dropped}). */
    public double dropped(String reason) {
        return counter(MeterCatalog.BROKER_DROPPED, reason);
    }

    private double gauge(String name) {
        Gauge gauge = collector.registry().find(name).gauge();
        if (gauge == null) {
            throw new AssertionError("no gauge " + name);
        }
        return gauge.value();
    }

    private double counter(String name, String reason) {
        var search = collector.registry().find(name);
        if (reason != null) {
            search = search.tag("reason", reason);
        }
        Counter counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        try {
            collector.close();
        } finally {
            influx.close();
        }
    }
}

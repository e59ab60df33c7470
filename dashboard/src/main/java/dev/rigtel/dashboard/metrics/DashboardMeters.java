package dev.rigtel.dashboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every meter of the dashboard, in one place: {@link #CATALOG} is the table in
 * {@code dashboard/README.md} (a test keeps them in step). Tags are bounded: kinds, reasons,
 * results and status classes, never a rig, a token, a path or a browser.
 */
public final class DashboardMeters {

    /** One meter as documented: name, type, unit, tags, meaning. */
    public record Meter(String name, String type, String unit, List<String> tags, String meaning) {}

    public static final String ACCESS_REFUSED = "rigtel.dashboard.access.refused";
    public static final String BROWSERS = "rigtel.dashboard.browsers";
    public static final String BROWSERS_CLOSED = "rigtel.dashboard.browsers.closed";
    public static final String LIVE_MESSAGES = "rigtel.dashboard.live.messages";
    public static final String LIVE_DROPPED = "rigtel.dashboard.live.dropped";
    public static final String FEED_CONNECTED = "rigtel.dashboard.feed.connected";
    public static final String FEED_CONNECTS = "rigtel.dashboard.feed.connects";
    public static final String PROXY_REQUESTS = "rigtel.dashboard.proxy.requests";
    public static final String PROXY_FAILOVERS = "rigtel.dashboard.proxy.failovers";
    public static final String HTTP_RESPONSES = "rigtel.dashboard.http.responses";
    public static final String HTTP_REFUSED = "rigtel.dashboard.http.refused";
    public static final String HTTP_CONNECTIONS = "rigtel.dashboard.http.connections";

    public static final List<Meter> CATALOG = List.of(
            new Meter(
                    ACCESS_REFUSED,
                    "counter",
                    "requests",
                    List.of("reason"),
                    "requests refused: no-token, bad-token, no-control-rights, controls-off, cross-origin"),
            new Meter(BROWSERS, "gauge", "connections", List.of(), "open live streams (`/live/stream`)"),
            new Meter(
                    BROWSERS_CLOSED,
                    "counter",
                    "connections",
                    List.of("reason"),
                    "live streams the dashboard closed: overflow (queue full of messages that must not be"
                            + " dropped), error (the connection failed)"),
            new Meter(
                    LIVE_MESSAGES,
                    "counter",
                    "messages",
                    List.of("kind", "result"),
                    "live messages from the collector's broker: result accepted, invalid (not a JSON object),"
                            + " unknown-topic (kind unknown), superseded (a rig's state from a collector that is not"
                            + " its current source, see Several collectors)"),
            new Meter(
                    LIVE_DROPPED,
                    "counter",
                    "messages",
                    List.of("kind"),
                    "live messages a slow browser did not get (trace and motion only)"),
            new Meter(
                    FEED_CONNECTED,
                    "gauge",
                    "boolean",
                    List.of(),
                    "1 while the MQTT connection to the collector is up (with several --mqtt-url: every one)"),
            new Meter(
                    FEED_CONNECTS,
                    "counter",
                    "connects",
                    List.of("result"),
                    "MQTT connection attempts to the collectors (all feeds): ok, failed"),
            new Meter(
                    PROXY_REQUESTS,
                    "timer",
                    "seconds",
                    List.of("method", "result"),
                    "requests passed to the collector's HTTP API, by answer: 2xx, 3xx, 4xx, 5xx, unreachable,"
                            + " timeout, too-large, busy (16 at the collector at once and 1024 waiting: 503); a request"
                            + " that failed over counts once per collector tried"),
            new Meter(
                    PROXY_FAILOVERS,
                    "counter",
                    "requests",
                    List.of("reason"),
                    "requests moved on to the next --collector-url: unreachable (no connection; for GET also a"
                            + " connection lost before the answer), bad-gateway (the collector answered 502),"
                            + " unavailable (503)"),
            new Meter(
                    HTTP_RESPONSES,
                    "counter",
                    "responses",
                    List.of("status"),
                    "the dashboard's HTTP answers by status code (a live stream counts once, as 200)"),
            new Meter(
                    HTTP_REFUSED,
                    "counter",
                    "connections",
                    List.of("reason"),
                    "HTTP connections and requests the dashboard refused: connection-limit (over"
                            + " --max-connections open, closed at once), address-limit (over"
                            + " --max-connections-per-address from one address, closed at once), request-timeout (a"
                            + " request not whole within --request-timeout, answered 408), pipeline-limit (over 16"
                            + " requests sent ahead of their answers), unknown-host (a Host that is not an IP"
                            + " literal, localhost or in --allowed-hosts, answered 421), bad-host (no Host, two, or a"
                            + " malformed one, answered 400)"),
            new Meter(
                    HTTP_CONNECTIONS,
                    "gauge",
                    "connections",
                    List.of(),
                    "open HTTP connections, live streams included (refused ones never count)"));

    private final MeterRegistry registry;

    public DashboardMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void refused(String reason) {
        counter(ACCESS_REFUSED, "requests", "reason", reason).increment();
    }

    public void browserClosed(String reason) {
        counter(BROWSERS_CLOSED, "connections", "reason", reason).increment();
    }

    public void liveMessage(String kind, String result) {
        Counter.builder(LIVE_MESSAGES)
                .tag("kind", kind)
                .tag("result", result)
                .register(registry)
                .increment();
    }

    public void dropped(String kind) {
        counter(LIVE_DROPPED, "messages", "kind", kind).increment();
    }

    public void feedConnect(String result) {
        counter(FEED_CONNECTS, "connects", "result", result).increment();
    }

    public void proxied(String method, String result, Duration duration) {
        Timer.builder(PROXY_REQUESTS)
                .tag("method", method)
                .tag("result", result)
                .register(registry)
                .record(duration);
    }

    public void failover(String reason) {
        counter(PROXY_FAILOVERS, "requests", "reason", reason).increment();
    }

    public void httpRefused(String reason) {
        counter(HTTP_REFUSED, "connections", "reason", reason).increment();
    }

    public void response(int status) {
        counter(HTTP_RESPONSES, null, "status", Integer.toString(status)).increment();
    }

    /** Registers the gauge of open HTTP connections. */
    public void bindConnections(Supplier<Number> open) {
        Gauge.builder(HTTP_CONNECTIONS, open).baseUnit("connections").register(registry);
    }

    /** Registers the gauges that read live values. */
    public void bindGauges(Supplier<Number> browsers, Supplier<Number> feedConnected) {
        Gauge.builder(BROWSERS, browsers).register(registry);
        Gauge.builder(FEED_CONNECTED, feedConnected).register(registry);
    }

    /** The sum of the counters of that name and tags (tag key, value, ...); 0 if none was incremented. */
    public double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private Counter counter(String name, String unit, String tag, String value) {
        return Counter.builder(name).baseUnit(unit).tag(tag, value).register(registry);
    }
}

package dev.rigtel.dashboard.http;

/** Names of the dashboard's HTTP pipeline handlers, in pipeline order. */
public final class HandlerNames {

    public static final String CONNECTION_LIMIT = "connection-limit";
    public static final String READ_GATE = "read-gate";
    public static final String CODEC = "http-codec";
    public static final String KEEP_ALIVE = "keep-alive";
    public static final String AGGREGATOR = "aggregator";
    public static final String IN_ORDER = "in-order";
    public static final String HOST_CHECK = "host-check";
    public static final String ROUTES = "routes";
    /** Added by {@link HttpRoutes} when a request turns the connection into a live stream. */
    public static final String EVENT_STREAM = "event-stream";

    private HandlerNames() {}
}

package dev.rigtel.common.http;

/**
 * Names of an HTTP listener's handlers, in pipeline order ({@link HttpListenerPipeline} says why
 * so).
 */
public final class HttpHandlerNames {

    public static final String CONNECTION_LIMIT = "connection-limit";
    public static final String TLS = "tls";
    public static final String READ_GATE = "read-gate";
    public static final String CODEC = "http-codec";
    public static final String KEEP_ALIVE = "keep-alive";
    public static final String AGGREGATOR = "aggregator";
    public static final String IN_ORDER = "in-order";
    public static final String HOST_CHECK = "host-check";
    public static final String ROUTES = "routes";

    private HttpHandlerNames() {}
}

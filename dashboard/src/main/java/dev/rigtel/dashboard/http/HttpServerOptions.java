package dev.rigtel.dashboard.http;

import java.time.Duration;

/**
 * Limits of the dashboard's HTTP listener, validated ({@code DashboardOptions} holds them with the
 * other options).
 *
 * @param maxConnections open HTTP connections above which a new one is closed at once
 * @param maxConnectionsPerAddress open HTTP connections from one remote address above which a new
 *     one from it is closed at once
 * @param requestTimeout the longest a whole request (head and body) may take to arrive, from its
 *     first byte; past it the request is answered 408 and the connection closed. Not reset by each
 *     byte, so a client trickling bytes cannot hold a connection
 */
public record HttpServerOptions(int maxConnections, int maxConnectionsPerAddress, Duration requestTimeout) {
    // The collector's HttpServerOptions with the dashboard's option names: the dashboard does not
    // depend on the collector at run time.

    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 32;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The documented defaults. */
    public static final HttpServerOptions DEFAULTS = new HttpServerOptions(
            DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_REQUEST_TIMEOUT);

    public HttpServerOptions {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max-connections must be at least 1, got " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException(
                    "max-connections-per-address must be at least 1, got " + maxConnectionsPerAddress);
        }
        if (requestTimeout == null
                || requestTimeout.toMillis() < 100
                || requestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("request-timeout must be 100ms..10m, got " + requestTimeout);
        }
    }
}

package dev.rigtel.collector.http;

import java.time.Duration;

/**
 * Limits of the HTTP listener, validated; its address and port are {@code CollectorConfig}'s
 * {@code httpHost} and {@code httpPort}.
 *
 * @param maxConnections open HTTP connections above which a new one is closed at once
 * @param maxConnectionsPerAddress open HTTP connections from one remote address above which a new
 *     one from it is closed at once
 * @param requestTimeout the longest a whole request (head and body) may take to arrive, from its
 *     first byte; past it the request is answered 408 and the connection closed. Not reset by each
 *     byte, so a client trickling bytes cannot hold a connection
 */
public record HttpServerOptions(int maxConnections, int maxConnectionsPerAddress, Duration requestTimeout) {

    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 32;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The documented defaults. */
    public static final HttpServerOptions DEFAULTS = new HttpServerOptions(
            DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_REQUEST_TIMEOUT);

    public HttpServerOptions {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("http-max-connections must be at least 1, got " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException(
                    "http-max-connections-per-address must be at least 1, got " + maxConnectionsPerAddress);
        }
        if (requestTimeout == null
                || requestTimeout.toMillis() < 100
                || requestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("http-request-timeout must be 100ms..10m, got " + requestTimeout);
        }
    }
}

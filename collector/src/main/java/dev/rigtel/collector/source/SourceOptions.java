package dev.rigtel.collector.source;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * An external MQTT broker the collector consumes from ({@code --source}). Validated here; the
 * password is never in {@link #toString}.
 *
 * @param uri {@code mqtt://HOST:PORT} or {@code mqtts://HOST:PORT}
 * @param username empty for none
 * @param password empty for none
 * @param clientId the persistent session's client id: the same one across restarts resumes the
 *     session, with what the broker queued and what this collector had not acknowledged
 * @param caFile PEM certificates to trust for {@code mqtts://}; null for the JVM's trust store
 * @param sessionExpiry how long the broker keeps the session while the collector is away
 * @param receiveMaximum messages the broker may have in flight to the collector, unacknowledged
 * @param cluster cluster mode ({@code --source-group}); null for one collector with one session
 */
public record SourceOptions(
        URI uri,
        String username,
        String password,
        String clientId,
        Path caFile,
        Duration sessionExpiry,
        int receiveMaximum,
        ClusterOptions cluster) {

    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(7);
    public static final int DEFAULT_RECEIVE_MAXIMUM = 256;

    /** One collector, one session: no cluster. */
    public SourceOptions(
            URI uri,
            String username,
            String password,
            String clientId,
            Path caFile,
            Duration sessionExpiry,
            int receiveMaximum) {
        this(uri, username, password, clientId, caFile, sessionExpiry, receiveMaximum, null);
    }

    /** These options in cluster mode. */
    public SourceOptions withCluster(ClusterOptions options) {
        return new SourceOptions(uri, username, password, clientId, caFile, sessionExpiry, receiveMaximum, options);
    }

    public SourceOptions {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("mqtt") && !scheme.equals("mqtts")) {
            throw new IllegalArgumentException("--source must be mqtt://HOST:PORT or mqtts://HOST:PORT, not " + uri);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("--source needs a host: " + uri);
        }
        if (clientId == null || clientId.isEmpty() || clientId.length() > 64) {
            throw new IllegalArgumentException("--source-client-id must be 1 to 64 characters");
        }
        if (receiveMaximum < 1 || receiveMaximum > 65535) {
            throw new IllegalArgumentException("the source's receive maximum must be 1 to 65535");
        }
        if (sessionExpiry.isNegative() || sessionExpiry.toSeconds() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("the source's session expiry is out of range");
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
    }

    /** True for {@code mqtts://}. */
    public boolean tls() {
        return uri.getScheme().equalsIgnoreCase("mqtts");
    }

    /** The URI Paho understands: {@code tcp://} or {@code ssl://}, default ports 1883 and 8883. */
    public String pahoUri() {
        int port = uri.getPort() > 0 ? uri.getPort() : tls() ? 8883 : 1883;
        return (tls() ? "ssl://" : "tcp://") + uri.getHost() + ":" + port;
    }

    /** A client id derived from this machine's name: stable across restarts of the same collector. */
    public static String defaultClientId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        String id = "rigtel-collector-" + host.replaceAll("[^A-Za-z0-9._-]", "-");
        return id.length() > 64 ? id.substring(0, 64) : id;
    }

    @Override
    public String toString() {
        return "SourceOptions[uri=" + uri + ", username=" + username + ", clientId=" + clientId + ", caFile=" + caFile
                + ", sessionExpiry=" + sessionExpiry + ", receiveMaximum=" + receiveMaximum + ", cluster=" + cluster
                + "]";
    }
}

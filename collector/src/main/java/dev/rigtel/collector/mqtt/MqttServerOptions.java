package dev.rigtel.collector.mqtt;

import java.time.Duration;

/**
 * @param host address to listen on
 * @param port TCP port, 0 for any free port
 * @param maxMessageBytes largest remaining length of one MQTT packet accepted
 * @param connectTimeout time allowed between TCP connect and CONNECT
 * @param allowAnonymous accept CONNECT without credentials, taking the client id as rig id (development only)
 * @param maxConnections open connections above which new ones are closed at once
 * @param maxMessagesPerSecond PUBLISH packets, accepted or refused, one connection may send per second (bursts of twice
 *     that); above it the connection is not read until it is back under (throttled, not closed)
 * @param maxConnectionsPerAddress open connections of one remote address above which its new ones
 *     are closed at once, so that one host cannot hold every slot
 * @param maxKeepAlive the longest keep-alive an MQTT 5 client is held to (1 s .. 65535 s, default
 *     5 minutes): a client asking for 0 or more is given this one in CONNACK (Server Keep Alive), so
 *     a connection that died without a FIN is closed within 1.5 x this
 */
public record MqttServerOptions(
        String host,
        int port,
        int maxMessageBytes,
        Duration connectTimeout,
        boolean allowAnonymous,
        int maxConnections,
        int maxMessagesPerSecond,
        int maxConnectionsPerAddress,
        Duration maxKeepAlive) {

    public static final Duration DEFAULT_MAX_KEEP_ALIVE = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;
    public static final int DEFAULT_MAX_MESSAGES_PER_SECOND = 2000;

    /** With the default connection and rate limits. */
    public MqttServerOptions(
            String host, int port, int maxMessageBytes, Duration connectTimeout, boolean allowAnonymous) {
        this(
                host,
                port,
                maxMessageBytes,
                connectTimeout,
                allowAnonymous,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_MESSAGES_PER_SECOND,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    }

    /** With the default maximum keep-alive. */
    public MqttServerOptions(
            String host,
            int port,
            int maxMessageBytes,
            Duration connectTimeout,
            boolean allowAnonymous,
            int maxConnections,
            int maxMessagesPerSecond,
            int maxConnectionsPerAddress) {
        this(
                host,
                port,
                maxMessageBytes,
                connectTimeout,
                allowAnonymous,
                maxConnections,
                maxMessagesPerSecond,
                maxConnectionsPerAddress,
                DEFAULT_MAX_KEEP_ALIVE);
    }

    /** With the default per-address limit. */
    public MqttServerOptions(
            String host,
            int port,
            int maxMessageBytes,
            Duration connectTimeout,
            boolean allowAnonymous,
            int maxConnections,
            int maxMessagesPerSecond) {
        this(
                host,
                port,
                maxMessageBytes,
                connectTimeout,
                allowAnonymous,
                maxConnections,
                maxMessagesPerSecond,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    }

    public MqttServerOptions {
        if (maxMessageBytes < 1024 || maxMessageBytes > 268_435_455) {
            throw new IllegalArgumentException("maxMessageBytes must be 1024..268435455 (MQTT's limit)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (maxConnections < 1 || maxMessagesPerSecond < 1 || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException(
                    "maxConnections, maxConnectionsPerAddress and maxMessagesPerSecond must be positive");
        }
        if (maxKeepAlive.toSeconds() < 1 || maxKeepAlive.toSeconds() > 65_535) {
            throw new IllegalArgumentException(
                    "maxKeepAlive must be 1s..65535s (MQTT 5 Server Keep Alive is two bytes of seconds)");
        }
    }
}

package dev.rigtel.collector.mqtt;

import java.time.Duration;

/**
 * The MQTT listener's options, validated. Build them with {@link #builder()}, whose defaults are the
 * command line's; {@link #toBuilder()} changes some of a whole set.
 *
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

    /** Options with the command line's defaults, each named on its setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .host(host)
                .port(port)
                .maxMessageBytes(maxMessageBytes)
                .connectTimeout(connectTimeout)
                .allowAnonymous(allowAnonymous)
                .maxConnections(maxConnections)
                .maxMessagesPerSecond(maxMessagesPerSecond)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .maxKeepAlive(maxKeepAlive);
    }

    /** Builds {@link MqttServerOptions}; the record's constructor validates. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 1883;
        private int maxMessageBytes = 256 * 1024;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean allowAnonymous;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxMessagesPerSecond = DEFAULT_MAX_MESSAGES_PER_SECOND;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private Duration maxKeepAlive = DEFAULT_MAX_KEEP_ALIVE;

        private Builder() {}

        /** Default {@code 0.0.0.0}. */
        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** Default 1883; 0 for any free port. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Default 262144 (256 KiB). */
        public Builder maxMessageBytes(int value) {
            this.maxMessageBytes = value;
            return this;
        }

        /** Default 10 s. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /** Default false. */
        public Builder allowAnonymous(boolean value) {
            this.allowAnonymous = value;
            return this;
        }

        /** Default {@value MqttServerOptions#DEFAULT_MAX_CONNECTIONS}. */
        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        /** Default {@value MqttServerOptions#DEFAULT_MAX_MESSAGES_PER_SECOND}. */
        public Builder maxMessagesPerSecond(int value) {
            this.maxMessagesPerSecond = value;
            return this;
        }

        /** Default {@value MqttServerOptions#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}. */
        public Builder maxConnectionsPerAddress(int value) {
            this.maxConnectionsPerAddress = value;
            return this;
        }

        /** Default 5 minutes ({@link MqttServerOptions#DEFAULT_MAX_KEEP_ALIVE}). */
        public Builder maxKeepAlive(Duration value) {
            this.maxKeepAlive = value;
            return this;
        }

        public MqttServerOptions build() {
            return new MqttServerOptions(
                    host,
                    port,
                    maxMessageBytes,
                    connectTimeout,
                    allowAnonymous,
                    maxConnections,
                    maxMessagesPerSecond,
                    maxConnectionsPerAddress,
                    maxKeepAlive);
        }
    }
}

package dev.rigtel.collector.mqtt;

import java.time.Duration;

/**
 * @param host address to listen on
 * @param port TCP port, 0 for any free port
 * @param maxMessageBytes largest remaining length of one MQTT packet accepted
 * @param connectTimeout time allowed between TCP connect and CONNECT
 * @param allowAnonymous accept CONNECT without credentials, taking the client id as rig id (development only)
 */
public record MqttServerOptions(
        String host, int port, int maxMessageBytes, Duration connectTimeout, boolean allowAnonymous) {

    public MqttServerOptions {
        if (maxMessageBytes < 1024 || maxMessageBytes > 268_435_455) {
            throw new IllegalArgumentException("maxMessageBytes must be 1024..268435455 (MQTT's limit)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
    }
}

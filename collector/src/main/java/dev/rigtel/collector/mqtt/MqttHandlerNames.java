package dev.rigtel.collector.mqtt;

/** Names of every handler in an MQTT connection's pipeline, in pipeline order. */
public final class MqttHandlerNames {
    public static final String LIMITER = "mqtt-connection-limit";
    public static final String TLS = "mqtt-tls";
    public static final String FRAMER = "mqtt-framer";
    public static final String DECODER = "mqtt-decoder";
    public static final String ENCODER = "mqtt-encoder";
    public static final String DECODER_FAILURES = "mqtt-decoder-failures";
    public static final String IDLE = "mqtt-idle";
    public static final String IDLE_CLOSER = "mqtt-idle-closer";
    public static final String CONNECT = "mqtt-connect";
    public static final String PUBLISH = "mqtt-publish";
    public static final String CONTROL = "mqtt-control";

    private MqttHandlerNames() {}
}

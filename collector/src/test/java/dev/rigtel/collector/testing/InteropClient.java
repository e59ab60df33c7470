package dev.rigtel.collector.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One independent MQTT client implementation as the conformance tests drive it: Eclipse Paho for
 * MQTT 3.1.1 or MQTT 5, or Debian's {@code mosquitto_sub}/{@code mosquitto_pub} speaking either. A
 * test written against this interface runs unchanged with each of them. Paho connects when
 * opened; {@code mosquitto_sub} connects when a test subscribes, and every publish is one run of
 * {@code mosquitto_pub}.
 */
public interface InteropClient extends AutoCloseable {

    /** The client implementations and protocol versions under test. */
    enum Kind {
        PAHO_V3("Paho MQTT 3.1.1"),
        PAHO_V5("Paho MQTT 5"),
        MOSQUITTO_V311("mosquitto_sub/pub -V mqttv311"),
        MOSQUITTO_V5("mosquitto_sub/pub -V mqttv5");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public boolean v5() {
            return this == PAHO_V5 || this == MOSQUITTO_V5;
        }

        public boolean mosquitto() {
            return this == MOSQUITTO_V311 || this == MOSQUITTO_V5;
        }

        /** Opens a client; Paho connects at once and fails if the CONNACK refuses it. */
        public InteropClient open(int port, Options options) {
            return switch (this) {
                case PAHO_V3 -> PahoV3Client.connect(port, options);
                case PAHO_V5 -> PahoV5Client.connect(port, options);
                case MOSQUITTO_V311 -> new MosquittoClient(port, options, false);
                case MOSQUITTO_V5 -> new MosquittoClient(port, options, true);
            };
        }

        /** A client id unique to this kind and {@code name}. */
        public String clientId(String name) {
            return name + "-" + name().toLowerCase(Locale.ROOT).replace("_", "");
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * How a client connects.
     *
     * @param cleanSession CleanSession (3.1.1) or Clean Start (5); a persistent MQTT 5 session asks
     *     for a Session Expiry Interval of 300 s
     * @param willTopic a Last Will topic (published at QoS 1), or null for none
     * @param willDelaySeconds MQTT 5 Will Delay Interval, 0 for none
     * @param keepAliveSeconds the keep-alive the client announces
     */
    record Options(
            String clientId,
            String user,
            String password,
            boolean cleanSession,
            String willTopic,
            byte[] willPayload,
            long willDelaySeconds,
            int keepAliveSeconds) {

        public static Options of(String clientId, String user, String password) {
            return new Options(clientId, user, password, true, null, null, 0, 30);
        }

        /** CleanSession=0 / Clean Start=0 with a session that outlives the connection. */
        public Options persistent() {
            return new Options(
                    clientId, user, password, false, willTopic, willPayload, willDelaySeconds, keepAliveSeconds);
        }

        public Options will(String topic, String payload) {
            return new Options(
                    clientId,
                    user,
                    password,
                    cleanSession,
                    topic,
                    payload.getBytes(StandardCharsets.UTF_8),
                    willDelaySeconds,
                    keepAliveSeconds);
        }

        /** MQTT 5 only. */
        public Options willDelay(long seconds) {
            return new Options(
                    clientId, user, password, cleanSession, willTopic, willPayload, seconds, keepAliveSeconds);
        }

        public Options keepAlive(int seconds) {
            return new Options(
                    clientId, user, password, cleanSession, willTopic, willPayload, willDelaySeconds, seconds);
        }
    }

    /** One MQTT 5 user property. */
    record UserProperty(String name, String value) {}

    /**
     * An application message as sent or received; the MQTT 5 properties are null or empty when
     * absent (and always in MQTT 3.1.1).
     */
    record ApplicationMessage(
            String topic,
            byte[] payload,
            int qos,
            boolean retain,
            boolean dup,
            String contentType,
            List<UserProperty> userProperties,
            Long expirySeconds) {

        public static ApplicationMessage of(String topic, String payload, int qos, boolean retain) {
            return of(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
        }

        public static ApplicationMessage of(String topic, byte[] payload, int qos, boolean retain) {
            return new ApplicationMessage(topic, payload, qos, retain, false, null, List.of(), null);
        }

        public ApplicationMessage withContentType(String type) {
            return new ApplicationMessage(topic, payload, qos, retain, dup, type, userProperties, expirySeconds);
        }

        public ApplicationMessage withUserProperty(String name, String value) {
            List<UserProperty> more = new ArrayList<>(userProperties);
            more.add(new UserProperty(name, value));
            return new ApplicationMessage(topic, payload, qos, retain, dup, contentType, more, expirySeconds);
        }

        public ApplicationMessage withExpirySeconds(long seconds) {
            return new ApplicationMessage(topic, payload, qos, retain, dup, contentType, userProperties, seconds);
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** "topic payload", for comparing what arrived with what was expected. */
        public String topicAndText() {
            return topic + " " + text();
        }
    }

    /**
     * Subscribes every filter at {@code qos} (connecting first if this client has not) and returns
     * the SUBACK's return code per filter once it arrived: the granted QoS, or 0x80 and up for a
     * refusal.
     */
    List<Integer> subscribe(int qos, String... filters);

    /** Subscribes and then ends the connection with a normal DISCONNECT (reason 0x00) right after the SUBACK. */
    List<Integer> subscribeThenDisconnect(int qos, String... filters);

    /** Publishes and returns once the flow of its QoS completed; fails if the server refused it. */
    void publish(ApplicationMessage message);

    /**
     * Publishes and returns the MQTT 5 reason code of the PUBACK or PUBREC (MQTT 5 section 3.4.2.1),
     * 0 for QoS 0; failure codes are returned, not thrown. MQTT 5 clients only.
     */
    int publishForReasonCode(ApplicationMessage message);

    default void publish(String topic, String payload, int qos, boolean retain) {
        publish(ApplicationMessage.of(topic, payload, qos, retain));
    }

    /** Messages received so far, in arrival order. */
    List<ApplicationMessage> received();

    /**
     * CONNACK's Session Present flag of the last connection, or null if this client does not
     * report it ({@code mosquitto_sub} does not print it).
     */
    Boolean sessionPresent();

    /** Ends the connection without DISCONNECT: the socket is closed under Paho, the process killed (SIGKILL). */
    void drop();

    /** Releases everything: a normal disconnect if still connected, processes destroyed. */
    @Override
    void close();
}

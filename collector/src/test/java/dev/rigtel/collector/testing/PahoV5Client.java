package dev.rigtel.collector.testing;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Eclipse Paho's MQTT 5 client ({@code org.eclipse.paho.mqttv5.client}) as an {@link InteropClient}. */
public final class PahoV5Client implements InteropClient {

    /** The Session Expiry Interval a persistent session asks for. */
    public static final long SESSION_EXPIRY_SECONDS = 300;

    private static final long TIMEOUT_MILLIS = 10_000;

    private final MqttAsyncClient client;
    private final IMqttToken connectToken;
    private final List<ApplicationMessage> received = new CopyOnWriteArrayList<>();
    /** The MQTT 5 properties of each received message, in the order of {@link #received()}. */
    private final List<MqttProperties> receivedProperties = new CopyOnWriteArrayList<>();

    private final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();

    private PahoV5Client(MqttAsyncClient client, MqttConnectionOptions options) throws MqttException {
        this.client = client;
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnected.complete(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                MqttProperties p = message.getProperties();
                receivedProperties.add(p == null ? new MqttProperties() : p);
                received.add(new ApplicationMessage(
                        topic,
                        message.getPayload(),
                        message.getQos(),
                        message.isRetained(),
                        message.isDuplicate(),
                        p == null ? null : p.getContentType(),
                        p == null
                                ? List.of()
                                : p.getUserProperties().stream()
                                        .map(u -> new UserProperty(u.getKey(), u.getValue()))
                                        .toList(),
                        p == null ? null : p.getMessageExpiryInterval()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        this.connectToken = client.connect(options);
        connectToken.waitForCompletion(TIMEOUT_MILLIS);
    }

    /** The connection options an {@link Options} stands for; tests may add MQTT 5 settings to them. */
    public static MqttConnectionOptions connectionOptions(Options options) {
        MqttConnectionOptions connect = new MqttConnectionOptions();
        connect.setUserName(options.user());
        connect.setPassword(options.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        connect.setCleanStart(options.cleanSession());
        if (!options.cleanSession()) {
            connect.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
        }
        connect.setKeepAliveInterval(options.keepAliveSeconds());
        connect.setAutomaticReconnect(false);
        connect.setConnectionTimeout(10);
        if (options.willTopic() != null) {
            connect.setWill(options.willTopic(), new MqttMessage(options.willPayload(), 1, false, null));
            if (options.willDelaySeconds() > 0) {
                MqttProperties will = new MqttProperties();
                will.setWillDelayInterval(options.willDelaySeconds());
                connect.setWillMessageProperties(will);
            }
        }
        return connect;
    }

    public static PahoV5Client connect(int port, Options options) {
        return connect(port, options.clientId(), connectionOptions(options));
    }

    /** Connects with connection options a test built; fails if the server refuses. */
    public static PahoV5Client connect(int port, String clientId, MqttConnectionOptions connect) {
        try {
            return connectOrThrow(port, clientId, connect);
        } catch (MqttException e) {
            throw new IllegalStateException("Paho v5 could not connect: " + e, e);
        }
    }

    private static PahoV5Client connectOrThrow(int port, String clientId, MqttConnectionOptions connect)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        try {
            return new PahoV5Client(client, connect);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    @Override
    public List<Integer> subscribe(int qos, String... filters) {
        int[] qoss = new int[filters.length];
        Arrays.fill(qoss, qos);
        IMqttToken token = null;
        try {
            token = client.subscribe(filters, qoss);
            token.waitForCompletion(TIMEOUT_MILLIS);
        } catch (MqttException e) {
            // Paho may report a refused filter as an exception; the SUBACK's codes are still on the token.
            if (token == null || token.getReasonCodes() == null) {
                throw new IllegalStateException(e);
            }
        }
        return Arrays.stream(token.getReasonCodes()).boxed().toList();
    }

    /** SUBSCRIBE with an MQTT 5 Subscription Identifier; returns the SUBACK's reason codes. */
    public List<Integer> subscribeWithIdentifier(int subscriptionId, int qos, String filter) {
        MqttProperties properties = new MqttProperties();
        properties.setSubscriptionIdentifier(subscriptionId);
        try {
            IMqttToken token = client.subscribe(
                    new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                        new org.eclipse.paho.mqttv5.common.MqttSubscription(filter, qos)
                    },
                    null,
                    null,
                    properties);
            token.waitForCompletion(TIMEOUT_MILLIS);
            return Arrays.stream(token.getReasonCodes()).boxed().toList();
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MQTT 5 properties of the messages received so far, as Paho reports them. */
    public List<MqttProperties> receivedProperties() {
        return List.copyOf(receivedProperties);
    }

    @Override
    public List<Integer> subscribeThenDisconnect(int qos, String... filters) {
        List<Integer> codes = subscribe(qos, filters);
        disconnect();
        return codes;
    }

    @Override
    public void publish(ApplicationMessage message) {
        int code = publishForReasonCode(message);
        if (code >= 0x80) {
            throw new IllegalStateException(
                    "publish to " + message.topic() + " refused with reason 0x" + Integer.toHexString(code));
        }
    }

    @Override
    public int publishForReasonCode(ApplicationMessage message) {
        MqttProperties properties = new MqttProperties();
        if (message.contentType() != null) {
            properties.setContentType(message.contentType());
        }
        if (!message.userProperties().isEmpty()) {
            properties.setUserProperties(message.userProperties().stream()
                    .map(u -> new org.eclipse.paho.mqttv5.common.packet.UserProperty(u.name(), u.value()))
                    .toList());
        }
        if (message.expirySeconds() != null) {
            properties.setMessageExpiryInterval(message.expirySeconds());
        }
        return publishForReasonCode(
                message.topic(), new MqttMessage(message.payload(), message.qos(), message.retain(), properties));
    }

    public int publishForReasonCode(String topic, MqttMessage message) {
        IMqttToken token = null;
        try {
            token = client.publish(topic, message);
            token.waitForCompletion(TIMEOUT_MILLIS);
        } catch (MqttException e) {
            if (token == null || token.getReasonCodes() == null) {
                throw new IllegalStateException("publish to " + topic + " failed: " + e, e);
            }
        }
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    @Override
    public List<ApplicationMessage> received() {
        return List.copyOf(received);
    }

    @Override
    public Boolean sessionPresent() {
        return connectToken.getSessionPresent();
    }

    /** The CONNACK's properties (assigned client identifier, server limits). */
    public MqttProperties connackProperties() {
        return connectToken.getResponseProperties();
    }

    /** Completes once Paho reports the connection ended by the server or the network. */
    public CompletableFuture<MqttDisconnectResponse> disconnected() {
        return disconnected;
    }

    public boolean connected() {
        return client.isConnected();
    }

    /** A normal DISCONNECT (reason 0x00). */
    public void disconnect() {
        disconnect(0);
    }

    /** DISCONNECT with a reason code, e.g. 0x04 "Disconnect with Will Message". */
    public void disconnect(int reasonCode) {
        try {
            if (client.isConnected()) {
                client.disconnect(TIMEOUT_MILLIS, null, null, reasonCode, new MqttProperties())
                        .waitForCompletion(TIMEOUT_MILLIS);
            }
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Paho's {@code disconnectForcibly} without its DISCONNECT packet: the socket just closes. */
    @Override
    public void drop() {
        try {
            client.disconnectForcibly(0, 1, false);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TIMEOUT_MILLIS);
            }
        } catch (MqttException ignored) {
            // the server may already have closed it
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // closing is best effort
        }
    }
}

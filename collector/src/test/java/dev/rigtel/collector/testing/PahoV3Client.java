package dev.rigtel.collector.testing;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Eclipse Paho's MQTT 3.1.1 client ({@code org.eclipse.paho.client.mqttv3}) as an {@link InteropClient}. */
public final class PahoV3Client implements InteropClient {

    private static final long TIMEOUT_MILLIS = 10_000;

    private final MqttAsyncClient client;
    private final boolean sessionPresent;
    private final List<ApplicationMessage> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> lost = new CompletableFuture<>();

    private PahoV3Client(MqttAsyncClient client, MqttConnectOptions options) throws MqttException {
        this.client = client;
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.complete(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new ApplicationMessage(
                        topic,
                        message.getPayload(),
                        message.getQos(),
                        message.isRetained(),
                        message.isDuplicate(),
                        null,
                        List.of(),
                        null));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        IMqttToken connected = client.connect(options);
        connected.waitForCompletion(TIMEOUT_MILLIS);
        this.sessionPresent = connected.getSessionPresent();
    }

    /** Connects; throws {@link MqttException} (wrapped) if the server refuses. */
    public static PahoV3Client connect(int port, Options options) {
        try {
            return connectOrThrow(port, options);
        } catch (MqttException e) {
            throw new IllegalStateException("Paho v3 could not connect: " + e, e);
        }
    }

    /** Connects, or throws the refusal as Paho reports it (its reason code is the CONNACK return code). */
    private static PahoV3Client connectOrThrow(int port, Options options) throws MqttException {
        MqttConnectOptions connect = new MqttConnectOptions();
        connect.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        connect.setUserName(options.user());
        connect.setPassword(options.password().toCharArray());
        connect.setCleanSession(options.cleanSession());
        connect.setKeepAliveInterval(options.keepAliveSeconds());
        connect.setAutomaticReconnect(false);
        connect.setConnectionTimeout(10);
        connect.setMaxInflight(1000);
        if (options.willDelaySeconds() > 0) {
            throw new IllegalArgumentException("a will delay is MQTT 5 only");
        }
        if (options.willTopic() != null) {
            connect.setWill(options.willTopic(), options.willPayload(), 1, false);
        }
        MqttAsyncClient client =
                new MqttAsyncClient("tcp://127.0.0.1:" + port, options.clientId(), new MemoryPersistence());
        try {
            return new PahoV3Client(client, connect);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    @Override
    public List<Integer> subscribe(int qos, String... filters) {
        try {
            int[] qoss = new int[filters.length];
            Arrays.fill(qoss, qos);
            IMqttToken token = client.subscribe(filters, qoss);
            token.waitForCompletion(TIMEOUT_MILLIS);
            return Arrays.stream(token.getGrantedQos()).boxed().toList();
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<Integer> subscribeThenDisconnect(int qos, String... filters) {
        List<Integer> codes = subscribe(qos, filters);
        disconnect();
        return codes;
    }

    @Override
    public void publish(ApplicationMessage message) {
        try {
            client.publish(message.topic(), message.payload(), message.qos(), message.retain())
                    .waitForCompletion(TIMEOUT_MILLIS);
        } catch (MqttException e) {
            throw new IllegalStateException("publish to " + message.topic() + " failed: " + e, e);
        }
    }

    @Override
    public int publishForReasonCode(ApplicationMessage message) {
        throw new UnsupportedOperationException("MQTT 3.1.1 acknowledgements carry no reason code");
    }

    public void publish(String topic, byte[] payload, int qos) {
        publish(ApplicationMessage.of(topic, payload, qos, false));
    }

    @Override
    public List<ApplicationMessage> received() {
        return List.copyOf(received);
    }

    @Override
    public Boolean sessionPresent() {
        return sessionPresent;
    }

    /** Completes with the cause once Paho reports the connection lost (not after its own disconnect). */
    public CompletableFuture<Throwable> connectionLost() {
        return lost;
    }

    public boolean connected() {
        return client.isConnected();
    }

    /** A normal DISCONNECT. */
    public void disconnect() {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(TIMEOUT_MILLIS);
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
                client.disconnect(0).waitForCompletion(TIMEOUT_MILLIS);
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

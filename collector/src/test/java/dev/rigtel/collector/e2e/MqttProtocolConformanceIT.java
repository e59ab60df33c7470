package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.testing.BrokerHarness;
import dev.rigtel.collector.testing.InteropClient;
import dev.rigtel.collector.testing.InteropClient.ApplicationMessage;
import dev.rigtel.collector.testing.InteropClient.Kind;
import dev.rigtel.collector.testing.InteropClient.Options;
import dev.rigtel.collector.testing.InteropClient.UserProperty;
import dev.rigtel.collector.testing.MosquittoClient;
import dev.rigtel.collector.testing.PahoV3Client;
import dev.rigtel.collector.testing.PahoV5Client;
import dev.rigtel.collector.testing.RawMqttClient;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Protocol behaviours a library client hides or only one client can show, against one collector
 * with a real InfluxDB: redelivery and QoS 2 state across reconnects and keep-alive, driven with
 * hand-built packets ({@link RawMqttClient}); session takeover and client identifiers with Paho;
 * and the MQTT 5 features (reason codes, message expiry, Receive Maximum, Maximum Packet Size,
 * topic aliases, forwarded properties, will delay) with Paho v5 and {@code mosquitto_sub}/
 * {@code mosquitto_pub -V mqttv5}. {@link MqttConformanceIT} holds what every client does alike.
 */
class MqttProtocolConformanceIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ADMIN = BrokerHarness.ADMIN;

    @TempDir
    static Path dir;

    private static BrokerHarness broker;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = BrokerHarness.start(dir, 2);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T client) {
        opened.add(client);
        return client;
    }

    private InteropClient open(Kind kind, Options options) {
        return track(kind.open(broker.port(), options));
    }

    private static Options admin(String clientId) {
        return Options.of(clientId, ADMIN, BrokerHarness.password(ADMIN));
    }

    private PahoV3Client pahoV3(String clientId) {
        return track(PahoV3Client.connect(broker.port(), admin(clientId)));
    }

    private PahoV5Client pahoV5(String clientId) {
        return track(PahoV5Client.connect(broker.port(), admin(clientId)));
    }

    private PahoV5Client pahoV5(String clientId, MqttConnectionOptions options) {
        return track(PahoV5Client.connect(broker.port(), clientId, options));
    }

    private RawMqttClient raw(MqttVersion version) {
        return track(RawMqttClient.open(broker.port(), version));
    }

    private static io.netty.handler.codec.mqtt.MqttMessageBuilders.ConnectBuilder connect(
            MqttVersion version, String clientId) {
        return RawMqttClient.connect(version, clientId, ADMIN, BrokerHarness.password(ADMIN));
    }

    /** MQTT 5 CONNECT properties asking for a session that outlives the connection by a minute. */
    private static MqttProperties sessionExpiry(MqttVersion version) {
        MqttProperties properties = new MqttProperties();
        if (version == MqttVersion.MQTT_5) {
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 60));
        }
        return properties;
    }

    private static String topic(String test, Object variant) {
        return "proto/" + test + "/"
                + variant.toString().toLowerCase(Locale.ROOT).replace(' ', '-');
    }

    private static String text(MqttPublishMessage publish) {
        return new String(ByteBufUtil.getBytes(publish.payload()), StandardCharsets.UTF_8);
    }

    private static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    private static void assertAccepted(MqttMessage connack) {
        assertThat(((MqttConnAckMessage) connack).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    }

    /** Waits for a message on {@code topic} and returns the payloads received until then. */
    private static List<String> receivedThrough(InteropClient client, String topic) {
        Awaitility.await().atMost(WAIT).alias("a message on " + topic).until(() -> client.received().stream()
                .anyMatch(m -> m.topic().equals(topic)));
        List<String> texts = new ArrayList<>();
        for (ApplicationMessage m : client.received()) {
            texts.add(m.text());
            if (m.topic().equals(topic)) {
                break;
            }
        }
        return texts;
    }

    // 6. Redelivery (MQTT 3.1.1 section 4.4, MQTT 5 section 4.4)

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = MqttVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void unacknowledgedQos1MessageIsRedeliveredWithDupAfterReconnect(MqttVersion version) {
        String topic = topic("redeliver", version);
        String clientId = "redeliver-" + version;
        RawMqttClient first = raw(version);
        assertAccepted(first.handshake(connect(version, clientId)
                .cleanSession(false)
                .properties(sessionExpiry(version))
                .build()));
        first.send(RawMqttClient.subscribe(1, MqttQoS.AT_LEAST_ONCE, topic));
        first.next(MqttMessageType.SUBACK);
        pahoV3("redeliver-pub-" + version).publish(topic, "take 12".getBytes(StandardCharsets.UTF_8), 1);
        MqttPublishMessage delivered = first.next(MqttMessageType.PUBLISH);
        assertThat(delivered.fixedHeader().isDup()).isFalse();

        first.abort(); // no PUBACK, no DISCONNECT
        RawMqttClient second = raw(version);
        MqttConnAckMessage connack = (MqttConnAckMessage) second.handshake(connect(version, clientId)
                .cleanSession(false)
                .properties(sessionExpiry(version))
                .build());

        assertThat(connack.variableHeader().isSessionPresent()).isTrue();
        MqttPublishMessage again = second.next(MqttMessageType.PUBLISH);
        assertThat(again.fixedHeader().isDup()).isTrue();
        assertThat(again.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
        assertThat(again.variableHeader().topicName()).isEqualTo(topic);
        assertThat(again.variableHeader().packetId())
                .isEqualTo(delivered.variableHeader().packetId());
        assertThat(text(again)).isEqualTo("take 12");
        second.send(RawMqttClient.reply(
                MqttMessageType.PUBACK, again.variableHeader().packetId()));
        second.send(RawMqttClient.pingreq());
        assertThat(second.next().fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = MqttVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void qos2DeliveryInterruptedAfterPubrecResumesWithPubrelNotASecondPublish(MqttVersion version) {
        String topic = topic("pubrel", version);
        String clientId = "pubrel-" + version;
        RawMqttClient first = raw(version);
        assertAccepted(first.handshake(connect(version, clientId)
                .cleanSession(false)
                .properties(sessionExpiry(version))
                .build()));
        first.send(RawMqttClient.subscribe(1, MqttQoS.EXACTLY_ONCE, topic));
        first.next(MqttMessageType.SUBACK);
        pahoV3("pubrel-pub-" + version).publish(topic, "slate".getBytes(StandardCharsets.UTF_8), 2);
        MqttPublishMessage delivered = first.next(MqttMessageType.PUBLISH);
        int id = delivered.variableHeader().packetId();
        first.send(RawMqttClient.reply(MqttMessageType.PUBREC, id));
        assertThat(packetId(first.next(MqttMessageType.PUBREL))).isEqualTo(id);

        first.abort(); // no PUBCOMP
        RawMqttClient second = raw(version);
        second.handshake(connect(version, clientId)
                .cleanSession(false)
                .properties(sessionExpiry(version))
                .build());

        // Section 4.4: PUBREL again, never the PUBLISH the client already has.
        assertThat(packetId(second.next(MqttMessageType.PUBREL))).isEqualTo(id);
        second.send(RawMqttClient.reply(MqttMessageType.PUBCOMP, id));
        second.send(RawMqttClient.pingreq());
        assertThat(second.next().fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
    }

    // 7. QoS 2 from the publisher's side (section 4.3.3)

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = MqttVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void qos2PublishResentBeforePubrelIsDeliveredOnce(MqttVersion version) {
        String topic = topic("qos2-resend", version);
        PahoV3Client subscriber = pahoV3("qos2-resend-sub-" + version);
        subscriber.subscribe(2, topic, topic + "/end");
        RawMqttClient publisher = raw(version);
        assertAccepted(publisher.handshake(
                connect(version, "qos2-resend-pub-" + version).build()));
        byte[] payload = "cut".getBytes(StandardCharsets.UTF_8);

        publisher.send(RawMqttClient.publish(topic, MqttQoS.EXACTLY_ONCE, 7, payload, false, new MqttProperties()));
        assertThat(packetId(publisher.next(MqttMessageType.PUBREC))).isEqualTo(7);
        publisher.send(RawMqttClient.publish(topic, MqttQoS.EXACTLY_ONCE, 7, payload, true, new MqttProperties()));
        assertThat(packetId(publisher.next(MqttMessageType.PUBREC))).isEqualTo(7);
        publisher.send(RawMqttClient.reply(MqttMessageType.PUBREL, 7));
        assertThat(packetId(publisher.next(MqttMessageType.PUBCOMP))).isEqualTo(7);
        publisher.send(RawMqttClient.publish(
                topic + "/end",
                MqttQoS.EXACTLY_ONCE,
                7,
                "end".getBytes(StandardCharsets.UTF_8),
                false,
                new MqttProperties()));
        publisher.next(MqttMessageType.PUBREC);
        publisher.send(RawMqttClient.reply(MqttMessageType.PUBREL, 7));
        publisher.next(MqttMessageType.PUBCOMP);

        assertThat(receivedThrough(subscriber, topic + "/end"))
                .as("the resend is acknowledged again but not routed again; the id is free after PUBCOMP")
                .containsExactly("cut", "end");
    }

    // 8. Session takeover (MQTT 3.1.1 section 3.1.4, MQTT 5 section 3.1.4)

    @Test
    void secondConnectWithTheSameClientIdClosesTheFirstPahoV3Connection() {
        PahoV3Client first = pahoV3("takeover-v3");
        PahoV3Client second = pahoV3("takeover-v3");

        Awaitility.await().atMost(WAIT).until(() -> first.connectionLost().isDone());
        assertThat(first.connected()).isFalse();
        String topic = topic("takeover", "v3");
        second.subscribe(1, topic);
        second.publish(topic, "still here".getBytes(StandardCharsets.UTF_8), 1);
        assertThat(receivedThrough(second, topic)).containsExactly("still here");
    }

    @Test
    void mqtt5ConnectionTakenOverIsToldWithDisconnectReason0x8E() {
        PahoV5Client first = pahoV5("takeover-v5");
        PahoV5Client second = pahoV5("takeover-v5");

        Awaitility.await().atMost(WAIT).until(() -> first.disconnected().isDone());
        assertThat(first.disconnected().join().getReturnCode()).isEqualTo(0x8E);
        String topic = topic("takeover", "v5");
        second.subscribe(1, topic);
        second.publish(topic, "still here", 1, false);
        assertThat(receivedThrough(second, topic)).containsExactly("still here");
    }

    @Test
    void connectionTakenOverHasItsWillPublished() {
        String topic = topic("takeover-will", "v3");
        PahoV3Client watcher = pahoV3("takeover-will-watch");
        watcher.subscribe(1, topic);
        track(PahoV3Client.connect(broker.port(), admin("takeover-will").will(topic, "replaced")));

        pahoV3("takeover-will");

        // MQTT 3.1.1 section 3.1.2.5: the server closed the old connection, which sent no DISCONNECT.
        assertThat(receivedThrough(watcher, topic)).containsExactly("replaced");
    }

    @Test
    void sameClientIdUnderAnotherUserIsASeparateSession() {
        PahoV3Client admin = pahoV3("shared-id");
        PahoV3Client viewer = track(PahoV3Client.connect(
                broker.port(), Options.of("shared-id", BrokerHarness.VIEWER, BrokerHarness.password("viewer"))));

        String topic = topic("shared-id", "admin");
        admin.subscribe(1, topic);
        admin.publish(topic, "mine".getBytes(StandardCharsets.UTF_8), 1);
        assertThat(receivedThrough(admin, topic)).containsExactly("mine");
        assertThat(admin.connectionLost()).isNotDone();
        assertThat(viewer.connected()).isTrue();
    }

    // 9. Client identifiers (MQTT 3.1.1 section 3.1.3.1, MQTT 5 section 3.1.3.1)

    @Test
    void emptyClientIdWithCleanSessionIsAccepted() {
        PahoV3Client anonymous = pahoV3("");

        String topic = topic("empty-id", "v3");
        anonymous.subscribe(1, topic);
        anonymous.publish(topic, "hello".getBytes(StandardCharsets.UTF_8), 1);
        assertThat(receivedThrough(anonymous, topic)).containsExactly("hello");
    }

    @Test
    void emptyClientIdWithoutCleanSessionIsRefusedWithIdentifierRejected() {
        RawMqttClient client = raw(MqttVersion.MQTT_3_1_1);

        MqttConnAckMessage connack = (MqttConnAckMessage) client.handshake(
                connect(MqttVersion.MQTT_3_1_1, "").cleanSession(false).build());

        assertThat(connack.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        assertThat(connack.variableHeader().isSessionPresent()).isFalse();
        Awaitility.await().atMost(WAIT).until(client::closedByServer);
    }

    @Test
    void mqtt5ClientWithAnEmptyClientIdGetsAnAssignedClientIdentifier() {
        PahoV5Client paho = pahoV5("");
        assertThat(paho.connackProperties().getAssignedClientIdentifier()).isNotBlank();

        MosquittoClient.Run mosquitto = ((MosquittoClient) open(Kind.MOSQUITTO_V5, admin("unused")))
                .runPublisher(ApplicationMessage.of(topic("empty-id", "v5"), "x", 1, false), null);
        // mosquitto_pub -V mqttv5 without -i sends an empty id and then logs under the one assigned.
        assertThat(mosquitto.lines()).anyMatch(l -> l.equals("Client (null) sending CONNECT"));
        String connack = mosquitto.awaitLine(l -> l.contains("received CONNACK"));
        assertThat(connack).startsWith("Client ").doesNotContain("(null)");
        assertThat(connack.split(" ")[1]).isNotEqualTo(paho.connackProperties().getAssignedClientIdentifier());
    }

    // 10. Keep-alive (MQTT 3.1.1 section 3.1.2.10, MQTT 5 section 3.1.2.10)

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = MqttVersion.class,
            names = {"MQTT_3_1_1", "MQTT_5"})
    void silentClientIsClosedAfterOneAndAHalfTimesItsKeepAlive(MqttVersion version) {
        RawMqttClient client = raw(version);
        assertAccepted(client.handshake(
                connect(version, "silent-" + version).keepAlive(1).build()));
        long connected = System.nanoTime();

        Awaitility.await().atMost(Duration.ofSeconds(4)).until(client::closedByServer);

        double seconds = (client.closedAtNanos() - connected) / 1e9;
        assertThat(seconds).as("closed after 1.5 x 1 s").isBetween(1.3, 2.5);
        if (version == MqttVersion.MQTT_5) {
            MqttMessage disconnect = client.next(MqttMessageType.DISCONNECT);
            assertThat(((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode())
                    .as("Keep Alive timeout")
                    .isEqualTo((byte) 0x8D);
        }
    }

    @Test
    void pahoClientsThatPingStayConnectedPastOneAndAHalfTimesTheirKeepAlive() {
        PahoV3Client v3 =
                track(PahoV3Client.connect(broker.port(), admin("pinging-v3").keepAlive(1)));
        PahoV5Client v5 =
                track(PahoV5Client.connect(broker.port(), admin("pinging-v5").keepAlive(1)));

        Awaitility.await()
                .during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(4))
                .until(() -> v3.connected() && v5.connected());
    }

    // 11. MQTT 5 reason codes (MQTT 5 sections 3.4.2.1 and 2.4)

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"PAHO_V5", "MOSQUITTO_V5"})
    void publishNobodySubscribedToIsAcknowledgedWithReason0x10(Kind kind) {
        InteropClient publisher = open(kind, admin(kind.clientId("nomatch")));

        int reason = publisher.publishForReasonCode(ApplicationMessage.of(topic("nomatch", kind), "x", 1, false));

        assertThat(reason).as("No matching subscribers").isEqualTo(0x10);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"PAHO_V5", "MOSQUITTO_V5"})
    void publishTheUserMayNotMakeIsAcknowledgedWithReason0x87AndNotRouted(Kind kind) {
        InteropClient rig = open(kind, Options.of(kind.clientId("notauth-rig"), "rig-01", "pw-01"));
        rig.subscribe(1, "rigtel/v1/rig-01/command");
        InteropClient viewer = open(
                kind,
                Options.of(kind.clientId("notauth-viewer"), BrokerHarness.VIEWER, BrokerHarness.password("viewer")));

        int reason = viewer.publishForReasonCode(ApplicationMessage.of("rigtel/v1/rig-01/command", "forged", 1, false));

        assertThat(reason).as("Not authorized").isEqualTo(0x87);
        open(kind, admin(kind.clientId("notauth-admin"))).publish("rigtel/v1/rig-01/command", "genuine", 1, false);
        assertThat(receivedThrough(rig, "rigtel/v1/rig-01/command")).containsExactly("genuine");
    }

    // 11. MQTT 5 message expiry (MQTT 5 section 3.3.2.3.3)

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"PAHO_V5", "MOSQUITTO_V5"})
    void queuedMessageThatExpiredIsNotDeliveredToTheReturningSession(Kind kind) {
        String topic = topic("expiry", kind);
        Options persistent = admin(kind.clientId("expiry-sub")).persistent();
        open(kind, persistent).subscribeThenDisconnect(1, topic);
        InteropClient publisher = open(kind, admin(kind.clientId("expiry-pub")));
        double expired = broker.dropped("expired");
        publisher.publish(ApplicationMessage.of(topic, "short", 1, false).withExpirySeconds(1));
        publisher.publish(ApplicationMessage.of(topic, "long", 1, false).withExpirySeconds(60));

        // The broker purges expired queued messages about every second.
        Awaitility.await().atMost(WAIT).until(() -> broker.dropped("expired") > expired);
        InteropClient back = open(kind, persistent);
        if (kind.mosquitto()) {
            back.subscribe(1, topic, topic + "/end"); // mosquitto_sub only connects to subscribe
        } else {
            back.subscribe(1, topic + "/end");
        }
        publisher.publish(topic + "/end", "end", 1, false);

        assertThat(receivedThrough(back, topic + "/end")).containsExactly("long", "end");
        assertThat(back.received().get(0).expirySeconds())
                .as("the expiry forwarded is what is left of it")
                .isBetween(1L, 60L);
    }

    // 11. MQTT 5 Receive Maximum (MQTT 5 section 3.3.4)

    @Test
    void serverSendsNoMoreUnacknowledgedMessagesThanTheClientsReceiveMaximum() {
        String topic = topic("receive-maximum", "v5");
        RawMqttClient subscriber = raw(MqttVersion.MQTT_5);
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 1));
        assertAccepted(subscriber.handshake(connect(MqttVersion.MQTT_5, "receive-max")
                .properties(properties)
                .build()));
        subscriber.send(RawMqttClient.subscribe(1, MqttQoS.AT_LEAST_ONCE, topic));
        subscriber.next(MqttMessageType.SUBACK);
        PahoV3Client publisher = pahoV3("receive-max-pub");
        publisher.publish(topic, "first".getBytes(StandardCharsets.UTF_8), 1);
        publisher.publish(topic, "second".getBytes(StandardCharsets.UTF_8), 1);

        MqttPublishMessage first = subscriber.next(MqttMessageType.PUBLISH);
        assertThat(text(first)).isEqualTo("first");
        // Both PUBLISHes were routed before their PUBACKs reached Paho, so a second message the
        // server was going to send would be written before this PINGRESP.
        subscriber.send(RawMqttClient.pingreq());
        assertThat(subscriber.next().fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);

        subscriber.send(RawMqttClient.reply(
                MqttMessageType.PUBACK, first.variableHeader().packetId()));
        MqttPublishMessage second = subscriber.next(MqttMessageType.PUBLISH);
        assertThat(text(second)).isEqualTo("second");
        subscriber.send(RawMqttClient.reply(
                MqttMessageType.PUBACK, second.variableHeader().packetId()));
    }

    // 11. MQTT 5 Maximum Packet Size (MQTT 5 section 3.1.2.11.4)

    @Test
    void messageLargerThanTheClientsMaximumPacketSizeIsNotSentToIt() {
        String topic = topic("max-packet", "v5");
        MqttConnectionOptions options = PahoV5Client.connectionOptions(admin("max-packet-sub"));
        options.setMaximumPacketSize(256L);
        PahoV5Client subscriber = pahoV5("max-packet-sub", options);
        subscriber.subscribe(1, topic, topic + "/end");
        double tooLarge = broker.dropped("too-large");
        PahoV5Client publisher = pahoV5("max-packet-pub");

        publisher.publish(topic, "small", 1, false);
        publisher.publish(topic, "x".repeat(1000), 1, false);
        publisher.publish(topic + "/end", "end", 1, false);

        assertThat(receivedThrough(subscriber, topic + "/end")).containsExactly("small", "end");
        assertThat(broker.dropped("too-large")).isEqualTo(tooLarge + 1);
        assertThat(subscriber.connected()).isTrue();
    }

    // 11. MQTT 5 topic aliases (MQTT 5 section 3.3.2.3.4)

    @Test
    void topicAliasesPahoSetsAreResolvedForSubscribers() {
        String topic = topic("alias", "paho");
        PahoV3Client subscriber = pahoV3("alias-sub");
        subscriber.subscribe(1, topic);
        PahoV5Client publisher = pahoV5("alias-pub");
        // Paho v5 uses aliases by itself once CONNACK grants some: the first PUBLISH on a topic
        // sets an alias, the later ones send only the alias and an empty topic name.
        assertThat(publisher.connackProperties().getTopicAliasMaximum()).isPositive();

        for (int i = 1; i <= 3; i++) {
            publisher.publish(topic, "frame " + i, 1, false);
        }

        Awaitility.await().atMost(WAIT).until(() -> subscriber.received().size() == 3);
        assertThat(subscriber.received())
                .extracting(ApplicationMessage::topicAndText)
                .containsExactly(topic + " frame 1", topic + " frame 2", topic + " frame 3");
    }

    @Test
    void topicAliasSetOnceResolvesALaterPublishWithAnEmptyTopicName() {
        String topic = topic("alias", "raw");
        PahoV3Client subscriber = pahoV3("alias-raw-sub");
        subscriber.subscribe(1, topic);
        RawMqttClient publisher = raw(MqttVersion.MQTT_5);
        assertAccepted(
                publisher.handshake(connect(MqttVersion.MQTT_5, "alias-raw-pub").build()));

        publisher.send(RawMqttClient.publish(topic, MqttQoS.AT_LEAST_ONCE, 1, bytes("set"), false, alias(3)));
        publisher.next(MqttMessageType.PUBACK);
        publisher.send(RawMqttClient.publish("", MqttQoS.AT_LEAST_ONCE, 2, bytes("use"), false, alias(3)));
        publisher.next(MqttMessageType.PUBACK);

        Awaitility.await().atMost(WAIT).until(() -> subscriber.received().size() == 2);
        assertThat(subscriber.received())
                .extracting(ApplicationMessage::topicAndText)
                .containsExactly(topic + " set", topic + " use");
    }

    @Test
    void topicAliasAboveTheServersMaximumEndsTheConnectionWithReason0x94() {
        RawMqttClient publisher = raw(MqttVersion.MQTT_5);
        MqttConnAckMessage connack = (MqttConnAckMessage)
                publisher.handshake(connect(MqttVersion.MQTT_5, "alias-bad").build());
        int maximum = (Integer) connack.variableHeader()
                .properties()
                .getProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM)
                .value();

        publisher.send(RawMqttClient.publish(
                topic("alias", "bad"), MqttQoS.AT_LEAST_ONCE, 1, bytes("x"), false, alias(maximum + 1)));

        MqttMessage disconnect = publisher.next(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode())
                .as("Topic Alias invalid")
                .isEqualTo((byte) 0x94);
        Awaitility.await().atMost(WAIT).until(publisher::closedByServer);
    }

    private static MqttProperties alias(int alias) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
        return properties;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // 11. MQTT 5 properties forwarded (MQTT 5 section 3.3.2.3)

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"PAHO_V5", "MOSQUITTO_V5"})
    void userPropertiesAndContentTypeReachSubscribersUnchanged(Kind kind) {
        String topic = topic("properties", kind);
        InteropClient subscriber = open(kind, admin(kind.clientId("props-sub")));
        subscriber.subscribe(1, topic);
        InteropClient publisher = open(kind, admin(kind.clientId("props-pub")));

        publisher.publish(ApplicationMessage.of(topic, "{\"take\":12}", 1, false)
                .withContentType("application/json")
                .withUserProperty("take", "12")
                .withUserProperty("camera", "A")
                .withUserProperty("take", "13"));

        Awaitility.await().atMost(WAIT).until(() -> !subscriber.received().isEmpty());
        ApplicationMessage received = subscriber.received().get(0);
        assertThat(received.text()).isEqualTo("{\"take\":12}");
        assertThat(received.contentType()).isEqualTo("application/json");
        assertThat(received.userProperties())
                .as("in order, duplicates kept")
                .containsExactly(
                        new UserProperty("take", "12"),
                        new UserProperty("camera", "A"),
                        new UserProperty("take", "13"));
    }

    // 11. MQTT 5 will delay and DISCONNECT with will (MQTT 5 sections 3.1.3.2.2 and 3.14.2.1)

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"PAHO_V5", "MOSQUITTO_V5"})
    void willWithADelayIsPublishedOnlyAfterTheDelay(Kind kind) {
        String topic = topic("will-delay", kind);
        InteropClient watcher = open(kind, admin(kind.clientId("delay-watch")));
        watcher.subscribe(1, topic);
        InteropClient dying = open(
                kind,
                admin(kind.clientId("delay-dying"))
                        .persistent()
                        .will(topic, "gone")
                        .willDelay(2));
        dying.subscribe(0, topic + "/unused");

        long dropped = System.nanoTime();
        dying.drop();
        Awaitility.await().atMost(WAIT).until(() -> !watcher.received().isEmpty());

        assertThat((System.nanoTime() - dropped) / 1e9)
                .as("seconds until the will")
                .isGreaterThanOrEqualTo(1.9);
        assertThat(watcher.received()).extracting(ApplicationMessage::text).containsExactly("gone");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"PAHO_V5", "MOSQUITTO_V5"})
    void reconnectingWithinTheWillDelayCancelsTheWill(Kind kind) {
        String topic = topic("will-cancel", kind);
        InteropClient watcher = open(kind, admin(kind.clientId("cancel-watch")));
        watcher.subscribe(1, topic + "/#");
        Options returning = admin(kind.clientId("cancel-back"))
                .persistent()
                .will(topic + "/back", "gone")
                .willDelay(1);
        InteropClient back = open(kind, returning);
        back.subscribe(0, topic + "/unused");
        InteropClient control = open(
                kind,
                admin(kind.clientId("cancel-ctrl"))
                        .persistent()
                        .will(topic + "/control", "gone")
                        .willDelay(2));
        control.subscribe(0, topic + "/unused");

        back.drop();
        control.drop();
        open(kind, returning).subscribe(0, topic + "/unused");

        // The control's will is due a second after the other would have been: once it is out, the
        // other would have been out too.
        assertThat(receivedThrough(watcher, topic + "/control")).containsExactly("gone");
        assertThat(watcher.received()).extracting(ApplicationMessage::topic).containsExactly(topic + "/control");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"PAHO_V5", "MOSQUITTO_V5"})
    void disconnectWithReason0x04PublishesTheWill(Kind kind) {
        String topic = topic("will-on-disconnect", kind);
        InteropClient watcher = open(kind, admin(kind.clientId("will04-watch")));
        watcher.subscribe(1, topic);
        InteropClient leaving =
                open(kind, admin(kind.clientId("will04-leaving")).will(topic, "asked for"));
        leaving.subscribe(0, topic + "/unused");

        if (leaving instanceof PahoV5Client paho) {
            paho.disconnect(0x04);
        } else {
            // mosquitto_sub sends DISCONNECT with 0x04 on SIGTERM (client/sub_client.c).
            ((MosquittoClient) leaving).subscriber().terminate();
        }

        Awaitility.await().atMost(WAIT).until(() -> !watcher.received().isEmpty());
        assertThat(watcher.received()).extracting(ApplicationMessage::text).containsExactly("asked for");
    }
}

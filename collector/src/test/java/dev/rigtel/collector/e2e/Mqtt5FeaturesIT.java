package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.metrics.MeterCatalog;
import dev.rigtel.collector.testing.BrokerHarness;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.InteropClient.ApplicationMessage;
import dev.rigtel.collector.testing.InteropClient.Kind;
import dev.rigtel.collector.testing.InteropClient.Options;
import dev.rigtel.collector.testing.MosquittoClient;
import dev.rigtel.collector.testing.PahoV5Client;
import dev.rigtel.collector.testing.RawMqttClient;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT 5 features of the built-in broker (issue 18 item 5) against real collectors with a real
 * InfluxDB, seen by independent clients: Paho v5 and Debian's {@code mosquitto_sub}/{@code
 * mosquitto_pub -V mqttv5}; a raw Netty-codec client where only the wire shows it. Shared
 * subscriptions are fed by the live topics a rig's IMU batches produce.
 */
class Mqtt5FeaturesIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ADMIN = BrokerHarness.ADMIN;
    /** The second collector's --mqtt-max-keep-alive. */
    private static final int MAX_KEEP_ALIVE_SECONDS = 2;

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Collector.Running collector;
    /** A collector with --mqtt-max-keep-alive 2s, for the Server Keep Alive tests. */
    private static Collector.Running shortKeepAlive;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        influx = InfluxdbServer.start();
        Path credentials = TestCollector.credentials(dir, 3);
        TestCollector.addUser(credentials, ADMIN, Role.ADMIN, BrokerHarness.password(ADMIN));
        TestCollector.addUser(
                credentials, BrokerHarness.VIEWER, Role.VIEWER, BrokerHarness.password(BrokerHarness.VIEWER));
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
        CollectorConfig base = TestCollector.config(dir.resolve("collector-2"), credentials, influx.url());
        shortKeepAlive = Collector.start(
                base.toBuilder()
                        .mqtt(base.mqtt().toBuilder()
                                .port(0)
                                .maxKeepAlive(Duration.ofSeconds(MAX_KEEP_ALIVE_SECONDS))
                                .build())
                        .build(),
                TestClocks.clock());
    }

    @AfterAll
    static void stop() {
        try {
            if (shortKeepAlive != null) {
                shortKeepAlive.close();
            }
            if (collector != null) {
                collector.close();
            }
        } finally {
            if (influx != null) {
                influx.close();
            }
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

    private static Options user(String clientId, String user) {
        return Options.of(clientId, user, BrokerHarness.password(user));
    }

    private PahoV5Client pahoV5(int port, String clientId, String user) {
        return track(PahoV5Client.connect(port, user(clientId, user)));
    }

    private MosquittoClient mosquittoV5(String clientId, String user) {
        return track((MosquittoClient) Kind.MOSQUITTO_V5.open(collector.mqttPort(), user(clientId, user)));
    }

    /** IMU batch {@code i} of rig-01: the contract's example, each a new seq 50 ms after the last. */
    private static byte[] imuBatch(int i) {
        String json = new String(FirmwareNotes.example("imu-1khz.json"), StandardCharsets.UTF_8);
        return json.replace("\"seq\":1042", "\"seq\":" + (2000 + i))
                .replace("\"t0_us\":73012000", "\"t0_us\":" + (90_000_000L + i * 50_000L))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static double counter(Collector.Running c, String name, String reason) {
        Counter counter = c.registry().find(name).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void twoSharedSubscribersTogetherGetEveryMessageExactlyOnce() {
        // The rig's own topic: the collector routes each accepted batch to subscribers as it came.
        String filter = "$share/wall/rigtel/v1/rig-01/imu";
        PahoV5Client paho = pahoV5(collector.mqttPort(), "wall-paho", BrokerHarness.VIEWER);
        assertThat(paho.subscribe(0, filter)).containsExactly(0);
        MosquittoClient mosquitto = mosquittoV5("wall-mosquitto", BrokerHarness.VIEWER);
        assertThat(mosquitto.subscribe(0, filter)).containsExactly(0);
        PahoV5Client rig =
                track(PahoV5Client.connect(collector.mqttPort(), Options.of("rig-01-fw", "rig-01", "pw-01")));

        int batches = 20;
        for (int i = 0; i < batches; i++) {
            assertThat(rig.publishForReasonCode(
                            "rigtel/v1/rig-01/imu",
                            new org.eclipse.paho.mqttv5.common.MqttMessage(imuBatch(i), 1, false, null)))
                    .isZero();
        }

        Awaitility.await()
                .atMost(WAIT)
                .until(() -> paho.received().size() + mosquitto.received().size() >= batches);
        List<String> all = new ArrayList<>();
        paho.received().forEach(m -> all.add(new String(m.payload(), StandardCharsets.UTF_8)));
        mosquitto.received().forEach(m -> all.add(new String(m.payload(), StandardCharsets.UTF_8)));
        assertThat(paho.received()).as("the Paho member gets a share").isNotEmpty();
        assertThat(mosquitto.received())
                .as("the mosquitto_sub member gets a share")
                .isNotEmpty();
        assertThat(all).as("every batch exactly once").hasSize(batches).doesNotHaveDuplicates();
        assertThat(paho.received()).extracting(ApplicationMessage::topic).containsOnly("rigtel/v1/rig-01/imu");
    }

    @Test
    void subscriptionIdentifierComesBackInPublish() {
        PahoV5Client paho = pahoV5(collector.mqttPort(), "subid-paho", ADMIN);
        assertThat(paho.subscribeWithIdentifier(41, 1, "subid/#")).containsExactly(1);
        assertThat(paho.subscribeWithIdentifier(268_435_455, 1, "subid/+/x")).containsExactly(1);
        MosquittoClient mosquitto = mosquittoV5("subid-mosquitto", ADMIN);
        MosquittoClient.Run sub = mosquitto.startSubscriber(
                1, List.of("subid/#"), "-D", "subscribe", "subscription-identifier", "7", "-F", "SUBID|%S|%t|%p");
        MosquittoClient.subackCodes(sub);

        PahoV5Client publisher = pahoV5(collector.mqttPort(), "subid-pub", ADMIN);
        publisher.publish(ApplicationMessage.of("subid/a/x", "hello", 1, false));

        Awaitility.await().atMost(WAIT).until(() -> !paho.receivedProperties().isEmpty());
        assertThat(paho.receivedProperties().get(0).getSubscriptionIdentifiers())
                .as("every matching subscription's identifier")
                .containsExactlyInAnyOrder(41, 268_435_455);
        assertThat(sub.awaitLine(l -> l.startsWith("SUBID|"))).isEqualTo("SUBID|7|subid/a/x|hello");
    }

    @Test
    void serverKeepAliveIsAnnouncedAndASilentClientIsClosedAfterOneAndAHalfTimesIt() {
        // A keep-alive of 0 and one above the maximum both get the maximum in CONNACK.
        PahoV5Client none = track(PahoV5Client.connect(
                shortKeepAlive.mqttPort(),
                "ka-paho-0",
                PahoV5Client.connectionOptions(user("ka-paho-0", ADMIN).keepAlive(0))));
        assertThat(none.connackProperties().getServerKeepAlive()).isEqualTo(MAX_KEEP_ALIVE_SECONDS);
        PahoV5Client paho = track(PahoV5Client.connect(
                shortKeepAlive.mqttPort(),
                "ka-paho",
                PahoV5Client.connectionOptions(user("ka-paho", ADMIN).keepAlive(60))));
        assertThat(paho.connackProperties().getServerKeepAlive()).isEqualTo(MAX_KEEP_ALIVE_SECONDS);

        RawMqttClient silent = track(RawMqttClient.open(shortKeepAlive.mqttPort(), MqttVersion.MQTT_5));
        MqttConnAckMessage connack = (MqttConnAckMessage) silent.handshake(
                RawMqttClient.connect(MqttVersion.MQTT_5, "ka-silent", ADMIN, BrokerHarness.password(ADMIN))
                        .keepAlive(0)
                        .build());
        long connected = System.nanoTime();
        assertThat(connack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(connack.variableHeader()
                        .properties()
                        .getProperty(MqttProperties.SERVER_KEEP_ALIVE)
                        .value())
                .isEqualTo(MAX_KEEP_ALIVE_SECONDS);

        Awaitility.await().atMost(Duration.ofSeconds(6)).until(silent::closedByServer);
        double seconds = (silent.closedAtNanos() - connected) / 1e9;
        assertThat(seconds)
                .as("closed after 1.5 x the Server Keep Alive, not before")
                .isGreaterThan(2.8);
        MqttMessage disconnect = silent.next(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode())
                .isEqualTo((byte) 0x8D);
        // Paho Java v5 1.2.5 reads the Server Keep Alive but pings at its own 60 s: the server holds it
        // to the maximum all the same.
        Awaitility.await().atMost(Duration.ofSeconds(6)).until(() -> !paho.connected());
        assertThat(counter(shortKeepAlive, MeterCatalog.MQTT_CLOSED, "keep-alive-timeout"))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void topicAliasesSaveBytesAndClientsSeeTheFullTopics() {
        // Neither library client takes aliases from a server: Paho Java v5 1.2.5 maps the alias to the
        // empty topic of later PUBLISHes (paho.mqtt.java issue 866) and libmosquitto 2.0.11 ends the
        // connection on an empty topic name (mosquitto_sub -D connect topic-alias-maximum 4 prints
        // "network protocol error" at the second message). Both leave Topic Alias Maximum out by
        // default, so they get full topics; a raw client announces one and shows the wire.
        MosquittoClient mosquitto = mosquittoV5("alias-mosquitto", ADMIN);
        MosquittoClient.Run sub = mosquitto.startSubscriber(1, List.of("alias/#"), "-F", "ALIAS|%A|%t|%p");
        MosquittoClient.subackCodes(sub);
        RawMqttClient raw = track(RawMqttClient.open(collector.mqttPort(), MqttVersion.MQTT_5));
        MqttProperties aliasMaximum = new MqttProperties();
        aliasMaximum.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, 4));
        raw.handshake(RawMqttClient.connect(MqttVersion.MQTT_5, "alias-raw", ADMIN, BrokerHarness.password(ADMIN))
                .properties(aliasMaximum)
                .build());
        raw.send(RawMqttClient.subscribe(1, io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE, "alias/#"));
        raw.next(MqttMessageType.SUBACK);
        PahoV5Client paho = pahoV5(collector.mqttPort(), "alias-paho", ADMIN);
        assertThat(paho.subscribe(1, "alias/#")).containsExactly(1);

        PahoV5Client publisher = pahoV5(collector.mqttPort(), "alias-pub", ADMIN);
        List<String> topics = List.of("alias/cam-01/notes", "alias/cam-01/notes", "alias/x", "alias/cam-01/notes");
        for (int i = 0; i < topics.size(); i++) {
            publisher.publish(ApplicationMessage.of(topics.get(i), "m" + i, 1, false));
        }

        List<String> wire = new ArrayList<>();
        int savedBytes = 0;
        for (int i = 0; i < topics.size(); i++) {
            io.netty.handler.codec.mqtt.MqttPublishMessage p = raw.next(MqttMessageType.PUBLISH);
            MqttProperties.MqttProperty<?> alias =
                    p.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS);
            wire.add(p.variableHeader().topicName() + "@" + (alias == null ? "-" : alias.value()));
            savedBytes +=
                    topics.get(i).length() - p.variableHeader().topicName().length() - (alias == null ? 0 : 3);
            p.release();
        }
        assertThat(wire)
                .as("the first PUBLISH sets the alias, later ones use it with an empty topic; a short topic has none")
                .containsExactly("alias/cam-01/notes@1", "@1", "alias/x@-", "@1");
        assertThat(savedBytes).as("bytes saved on the wire by the aliases").isEqualTo(2 * 18 - 3 * 3);
        // A client that announces no Topic Alias Maximum gets every topic in full and no alias (%A).
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(sub.lines())
                .filteredOn(l -> l.startsWith("ALIAS|") || l.contains("rror"))
                .containsExactly(
                        "ALIAS||alias/cam-01/notes|m0",
                        "ALIAS||alias/cam-01/notes|m1",
                        "ALIAS||alias/x|m2",
                        "ALIAS||alias/cam-01/notes|m3"));
        Awaitility.await().atMost(WAIT).until(() -> paho.received().size() == topics.size());
        assertThat(paho.received())
                .as("a client that announces no Topic Alias Maximum gets full topics")
                .extracting(ApplicationMessage::topic)
                .containsExactlyElementsOf(topics);
    }

    @Test
    void adminPublishToADollarTopicIsAnsweredWithNotAuthorized() {
        PahoV5Client paho = pahoV5(collector.mqttPort(), "dollar-paho", ADMIN);
        MosquittoClient mosquitto = mosquittoV5("dollar-mosquitto", ADMIN);

        int pahoCode = paho.publishForReasonCode(ApplicationMessage.of("$SYS/rigtel/forged", "x", 1, false));
        int mosquittoCode = mosquitto.publishForReasonCode(ApplicationMessage.of("$SYS/rigtel/forged", "x", 1, false));

        assertThat(pahoCode).isEqualTo(0x87);
        assertThat(mosquittoCode).isEqualTo(0x87);
        assertThat(paho.connected()).isTrue();
        assertThat(counter(collector, MeterCatalog.MQTT_PUBLISHES_REFUSED, "reserved-topic"))
                .isGreaterThanOrEqualTo(2);
        assertThat(counter(collector, MeterCatalog.INGEST_REJECTED, "foreign-topic"))
                .as("not taken for a rig's topic")
                .isZero();
    }
}

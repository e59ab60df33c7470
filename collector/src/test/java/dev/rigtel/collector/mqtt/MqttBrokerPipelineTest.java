package dev.rigtel.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.CredentialsFile;
import dev.rigtel.collector.auth.PasswordHasher;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.broker.Broker;
import dev.rigtel.collector.broker.BrokerOptions;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.MqttMeters;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.testing.MqttFrames;
import dev.rigtel.collector.testing.RecordingSink;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.collector.testing.TestIngest;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publish/subscribe through the real MQTT pipeline in memory: several connections, one broker. */
class MqttBrokerPipelineTest {

    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BrokerMeters brokerMeters = new BrokerMeters(registry);
    private final Broker broker = new Broker(BrokerOptions.DEFAULTS, brokerMeters, Clock.systemUTC());
    private final List<Conn> conns = new ArrayList<>();
    private WriteBuffer buffer;
    private MqttServerInitializer initializer;

    /** One client connection: the server's pipeline and the client's codec. */
    private final class Conn {
        // Distinct ids: every EmbeddedChannel otherwise shares one, and a ChannelGroup keeps one of them.
        final EmbeddedChannel channel = new EmbeddedChannel(DefaultChannelId.newInstance(), initializer);
        final MqttFrames frames = new MqttFrames();

        Conn() {
            conns.add(this);
        }

        List<MqttMessage> send(MqttMessage message) {
            channel.writeInbound(frames.encode(message));
            return read();
        }

        List<MqttMessage> read() {
            channel.runPendingTasks();
            return frames.read(channel);
        }

        MqttConnAckMessage connect(MqttVersion version, String clientId, String user, boolean clean) {
            return connect(version, clientId, user, clean, MqttProperties.NO_PROPERTIES);
        }

        MqttConnAckMessage connect(
                MqttVersion version, String clientId, String user, boolean clean, MqttProperties properties) {
            frames.expectVersion(version);
            List<MqttMessage> replies = send(MqttMessageBuilders.connect()
                    .protocolVersion(version)
                    .clientId(clientId)
                    .cleanSession(clean)
                    .keepAlive(30)
                    .hasUser(true)
                    .username(user)
                    .hasPassword(true)
                    .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                    .properties(properties)
                    .build());
            return (MqttConnAckMessage) replies.get(0);
        }

        MqttConnAckMessage connect(MqttVersion version, String clientId, String user, int keepAlive) {
            frames.expectVersion(version);
            return (MqttConnAckMessage) send(MqttMessageBuilders.connect()
                            .protocolVersion(version)
                            .clientId(clientId)
                            .cleanSession(true)
                            .keepAlive(keepAlive)
                            .hasUser(true)
                            .username(user)
                            .hasPassword(true)
                            .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                            .build())
                    .get(0);
        }

        /** SUBSCRIBE at QoS 1 with these properties (a Subscription Identifier) and No Local as given. */
        List<MqttMessage> subscribeWith(int packetId, MqttProperties properties, boolean noLocal, String... filters) {
            MqttMessageBuilders.SubscribeBuilder subscribe =
                    MqttMessageBuilders.subscribe().messageId(packetId).properties(properties);
            for (String filter : filters) {
                subscribe.addSubscription(
                        filter,
                        new MqttSubscriptionOption(
                                MqttQoS.AT_LEAST_ONCE,
                                noLocal,
                                false,
                                MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE));
            }
            return send(subscribe.build());
        }

        List<Integer> subscribe(int packetId, String... filters) {
            MqttMessageBuilders.SubscribeBuilder subscribe =
                    MqttMessageBuilders.subscribe().messageId(packetId);
            for (String filter : filters) {
                subscribe.addSubscription(
                        filter,
                        new MqttSubscriptionOption(
                                MqttQoS.AT_LEAST_ONCE,
                                false,
                                false,
                                MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE));
            }
            return ((MqttSubAckMessage) send(subscribe.build()).get(0))
                    .payload()
                    .reasonCodes();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Path credentials = dir.resolve("credentials");
        CredentialsFile file = CredentialsFile.empty();
        for (String[] user :
                new String[][] {{"rig-01", "RIG"}, {"rig-02", "RIG"}, {"admin", "ADMIN"}, {"ops", "ADMIN"}}) {
            file = file.with(new CredentialsFile.Entry(
                    user[0], Role.valueOf(user[1]), PasswordHasher.hash(PASSWORD.toCharArray(), 1000)));
        }
        file.save(credentials);
        buffer = new WriteBuffer(
                        new RecordingSink(),
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool"))),
                        new WriteBufferOptions(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(10)),
                        new StoreMeters(registry))
                .start();
        IngestService ingest = TestIngest.create(
                new PayloadDecoder(WireMapper.create(), 4000),
                new DeviceClocks(Clock.systemUTC(), AlignerOptions.defaults()),
                TakeHistory.inMemory(ZoneOffset.UTC, Clock.systemUTC()),
                MotionConfig.defaults(),
                ZoneOffset.UTC,
                buffer,
                new IngestMeters(registry),
                Clock.systemUTC());
        initializer = new MqttServerInitializer(
                TestCollector.loopbackMqtt(64 * 1024).build(),
                new Authenticator(credentials, Runnable::run),
                ingest,
                broker,
                new RigCommands(
                        WireMapper.create(),
                        (t, b, q, r, e) -> {},
                        new InfluxWrites(buffer),
                        brokerMeters,
                        Clock.systemUTC()),
                new MqttMeters(registry),
                brokerMeters,
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        for (Conn c : conns) {
            c.channel.finishAndReleaseAll();
            c.frames.close();
        }
        buffer.close();
    }

    private static MqttMessage publish(String topic, MqttQoS qos, int packetId, String payload) {
        return publish(topic, qos, packetId, payload, MqttProperties.NO_PROPERTIES);
    }

    private static MqttMessage publish(
            String topic, MqttQoS qos, int packetId, String payload, MqttProperties properties) {
        return MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(qos)
                .messageId(packetId)
                .retained(false)
                .properties(properties)
                .payload(Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private static String text(MqttPublishMessage message) {
        String text = new String(ByteBufUtil.getBytes(message.payload()), StandardCharsets.UTF_8);
        message.release();
        return text;
    }

    private static MqttProperties alias(int alias) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
        return properties;
    }

    @Test
    void deliversAPublishToAMatchingSubscriptionOfAnotherConnectionUntilItIsAcknowledged() {
        Conn subscriber = new Conn();
        subscriber.connect(MqttVersion.MQTT_3_1_1, "sub", "admin", true);
        assertThat(subscriber.subscribe(1, "set/+/notes")).containsExactly(1);
        Conn publisher = new Conn();
        publisher.connect(MqttVersion.MQTT_3_1_1, "pub", "ops", true);

        List<MqttMessage> puback = publisher.send(publish("set/a/notes", MqttQoS.AT_LEAST_ONCE, 7, "take 3 good"));
        publisher.send(publish("set/a/other", MqttQoS.AT_LEAST_ONCE, 8, "not for the subscriber"));

        assertThat(puback).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.PUBACK);
        List<MqttMessage> received = subscriber.read();
        assertThat(received).hasSize(1);
        MqttPublishMessage delivered = (MqttPublishMessage) received.get(0);
        assertThat(delivered.variableHeader().topicName()).isEqualTo("set/a/notes");
        assertThat(delivered.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
        int packetId = delivered.variableHeader().packetId();
        assertThat(text(delivered)).isEqualTo("take 3 good");
        assertThat(broker.queuedCount()).isEqualTo(1);

        subscriber.send(MqttMessageBuilders.pubAck().packetId(packetId).build());
        assertThat(broker.queuedCount()).isZero();
    }

    @Test
    void answersEachV5FilterWithItsOwnReasonCode() {
        Conn rig = new Conn();
        rig.connect(MqttVersion.MQTT_5, "rig-01-fw", "rig-01", true);

        List<Integer> codes = rig.subscribe(
                3,
                "rigtel/v1/rig-01/command",
                "rigtel/v1/rig-02/command",
                "rigtel/#/bad",
                "$share/group/a",
                "$share/bad+name/rigtel/v1/rig-01/command",
                "$share/group/rigtel/v1/rig-01/command");

        // Granted QoS 1, then 0x87 Not authorized, 0x8F Topic Filter invalid; a shared subscription has
        // the rights of its filter (0x87) and a valid Share Name (0x8F), and is granted like any other.
        assertThat(codes).containsExactly(1, 0x87, 0x8F, 0x87, 0x8F, 1);
        assertThat(registry.get("rigtel.broker.subscribe.refused")
                        .tag("reason", "not-authorized")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void resolvesTopicAliasesAV5PublisherSets() {
        Conn subscriber = new Conn();
        subscriber.connect(MqttVersion.MQTT_3_1_1, "sub", "admin", true);
        subscriber.subscribe(1, "set/#");
        Conn publisher = new Conn();
        publisher.connect(MqttVersion.MQTT_5, "pub", "ops", true);

        publisher.send(publish("set/slate", MqttQoS.AT_MOST_ONCE, 0, "first", alias(3)));
        publisher.send(publish("", MqttQoS.AT_MOST_ONCE, 0, "second", alias(3)));

        List<MqttMessage> received = subscriber.read();
        assertThat(received).hasSize(2);
        for (MqttMessage m : received) {
            assertThat(((MqttPublishMessage) m).variableHeader().topicName()).isEqualTo("set/slate");
            ((MqttPublishMessage) m).release();
        }
        assertThat(publisher.channel.isOpen()).isTrue();
    }

    @Test
    void closesAV5ClientThatUsesATopicAliasItNeverSet() {
        Conn publisher = new Conn();
        publisher.connect(MqttVersion.MQTT_5, "pub", "ops", true);

        List<MqttMessage> replies = publisher.send(publish("", MqttQoS.AT_MOST_ONCE, 0, "x", alias(5)));

        assertThat(replies).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) replies.get(0).variableHeader()).reasonCode())
                .isEqualTo((byte) 0x82);
        assertThat(publisher.channel.isOpen()).isFalse();
    }

    @Test
    void aSecondConnectWithTheSameClientIdTakesTheSessionOverAndTellsTheFirstWhy() {
        MqttProperties expiry = new MqttProperties();
        expiry.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 60));
        Conn first = new Conn();
        assertThat(first.connect(MqttVersion.MQTT_5, "fw", "rig-01", true, expiry)
                        .variableHeader()
                        .isSessionPresent())
                .isFalse();
        first.subscribe(1, "rigtel/v1/rig-01/command");

        Conn second = new Conn();
        MqttConnAckMessage connack = second.connect(MqttVersion.MQTT_5, "fw", "rig-01", false, expiry);

        assertThat(connack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(connack.variableHeader().isSessionPresent()).isTrue();
        List<MqttMessage> told = first.read();
        assertThat(told).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) told.get(0).variableHeader()).reasonCode())
                .isEqualTo((byte) 0x8E);
        assertThat(first.channel.isOpen()).isFalse();
        assertThat(registry.get("rigtel.broker.takeovers").counter().count()).isEqualTo(1);

        // The subscription moved with the session.
        Conn admin = new Conn();
        admin.connect(MqttVersion.MQTT_3_1_1, "ops", "admin", true);
        admin.send(publish("rigtel/v1/rig-01/command", MqttQoS.AT_LEAST_ONCE, 1, "{\"command\":\"identify\"}"));
        assertThat(second.read()).hasSize(1);
    }

    @Test
    void theSameClientIdUnderAnotherUserIsAnotherSession() {
        Conn first = new Conn();
        first.connect(MqttVersion.MQTT_3_1_1, "shared-id", "rig-01", false);
        Conn second = new Conn();

        MqttConnAckMessage connack = second.connect(MqttVersion.MQTT_3_1_1, "shared-id", "rig-02", false);

        assertThat(connack.variableHeader().isSessionPresent()).isFalse();
        assertThat(first.channel.isOpen()).isTrue();
        assertThat(broker.sessionCount()).isEqualTo(2);
    }

    @Test
    void refusesADisconnectThatRaisesTheExpiryOfASessionThatWasToEnd() {
        Conn client = new Conn();
        client.connect(MqttVersion.MQTT_5, "fw", "rig-01", true);
        MqttProperties raise = new MqttProperties();
        raise.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 300));

        List<MqttMessage> replies = client.send(new MqttMessage(
                new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) 0, raise)));

        assertThat(replies).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) replies.get(0).variableHeader()).reasonCode())
                .isEqualTo((byte) 0x82);
        assertThat(broker.sessionCount()).isZero();
    }

    @Test
    void refusesAWillOnAnotherRigsTopic() {
        Conn client = new Conn();
        client.frames.expectVersion(MqttVersion.MQTT_3_1_1);
        List<MqttMessage> replies = client.send(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId("fw")
                .cleanSession(true)
                .hasUser(true)
                .username("rig-01")
                .hasPassword(true)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .willFlag(true)
                .willTopic("rigtel/v1/rig-02/status")
                .willMessage("offline".getBytes(StandardCharsets.UTF_8))
                .willQoS(MqttQoS.AT_LEAST_ONCE)
                .build());

        assertThat(((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        assertThat(client.channel.isOpen()).isFalse();
    }

    /** CONNECT of {@code user} with a will; returns the CONNACK's return code. */
    private static MqttConnectReturnCode connectWithWill(
            Conn client, MqttVersion version, String user, String willTopic, String willPayload, boolean retain) {
        client.frames.expectVersion(version);
        List<MqttMessage> replies = client.send(MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId("fw")
                .cleanSession(true)
                .hasUser(true)
                .username(user)
                .hasPassword(true)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .willFlag(true)
                .willTopic(willTopic)
                .willMessage(willPayload.getBytes(StandardCharsets.UTF_8))
                .willQoS(MqttQoS.AT_LEAST_ONCE)
                .willRetain(retain)
                .build());
        return ((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode();
    }

    private double connects(String result) {
        io.micrometer.core.instrument.Counter counter =
                registry.find("rigtel.mqtt.connects").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void refusesARigsWillOnItsOwnTelemetryCommandOrErrorTopics() {
        Conn watcher = new Conn();
        watcher.connect(MqttVersion.MQTT_3_1_1, "watch", "admin", true);
        watcher.subscribe(1, "rigtel/v1/rig-01/#");
        List<String> topics = List.of("imu", "timecode", "status", "command", "command/result", "error", "state");
        for (String level : topics) {
            Conn rig = new Conn();
            // A will is never ingested nor checked as a PUBLISH is: it would reach subscribers (and,
            // retained, every later one) as telemetry or a command no one validated.
            MqttConnectReturnCode code = connectWithWill(
                    rig, MqttVersion.MQTT_3_1_1, "rig-01", "rigtel/v1/rig-01/" + level, "{\"v\":1,\"seq\":", true);

            // MQTT 3.1.1 section 3.2.2.3: 0x05 not authorized.
            assertThat(code).as(level).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            assertThat(rig.channel.isOpen()).as(level).isFalse();
        }
        assertThat(connects("not-authorized")).isEqualTo(topics.size());
        assertThat(broker.retainedCount()).isZero();
        assertThat(watcher.read()).isEmpty();
        assertThat(brokerMeters.willCount()).isZero();
    }

    @Test
    void refusesAnMqtt5RigsWillOnItsCommandTopicWithNotAuthorized() {
        Conn rig = new Conn();
        MqttConnectReturnCode code =
                connectWithWill(rig, MqttVersion.MQTT_5, "rig-01", "rigtel/v1/rig-01/command", "{}", true);

        // MQTT 5 section 3.2.2.2: 0x87 not authorized.
        assertThat(code).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
        assertThat(rig.channel.isOpen()).isFalse();
    }

    @Test
    void refusesARigsWillOnItsOnlineTopicUnlessItSaysFalse() {
        Conn v5 = new Conn();
        MqttConnectReturnCode code =
                connectWithWill(v5, MqttVersion.MQTT_5, "rig-01", "rigtel/v1/rig-01/online", "offline", true);
        Conn v3 = new Conn();
        MqttConnectReturnCode v3Code =
                connectWithWill(v3, MqttVersion.MQTT_3_1_1, "rig-01", "rigtel/v1/rig-01/online", "true", true);

        // MQTT 5 section 3.2.2.2: 0x99 payload format invalid; MQTT 3.1.1 has no such code: 0x05.
        assertThat(code).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_PAYLOAD_FORMAT_INVALID);
        assertThat(v3Code).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        assertThat(connects("bad-will")).isEqualTo(2);
        assertThat(v5.channel.isOpen()).isFalse();
        assertThat(v3.channel.isOpen()).isFalse();
    }

    @Test
    void refusesAnAdminsWillOnARigsTelemetryOrTheSlateTopic() {
        for (String topic : List.of("rigtel/v1/rig-01/status", "rigtel/v1/slate")) {
            Conn admin = new Conn();
            MqttConnectReturnCode code = connectWithWill(admin, MqttVersion.MQTT_3_1_1, "admin", topic, "{}", true);

            // An admin's PUBLISH there is refused by ingest (foreign topic, or validated); so is its will.
            assertThat(code).as(topic).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        Conn admin = new Conn();
        assertThat(connectWithWill(admin, MqttVersion.MQTT_3_1_1, "admin", "ops/admin/online", "gone", true))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    }

    @Test
    void publishesAWillWhenTheConnectionDropsWithoutDisconnect() {
        Conn watcher = new Conn();
        watcher.connect(MqttVersion.MQTT_3_1_1, "watch", "admin", true);
        watcher.subscribe(1, "rigtel/v1/rig-01/#");
        Conn rig = new Conn();
        rig.frames.expectVersion(MqttVersion.MQTT_3_1_1);
        rig.send(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId("fw")
                .cleanSession(true)
                .hasUser(true)
                .username("rig-01")
                .hasPassword(true)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .willFlag(true)
                .willTopic("rigtel/v1/rig-01/online")
                .willMessage("false".getBytes(StandardCharsets.UTF_8))
                .willQoS(MqttQoS.AT_LEAST_ONCE)
                .build());

        rig.channel.close();

        List<MqttMessage> received = watcher.read();
        assertThat(received).hasSize(1);
        MqttPublishMessage will = (MqttPublishMessage) received.get(0);
        assertThat(will.variableHeader().topicName()).isEqualTo("rigtel/v1/rig-01/online");
        assertThat(text(will)).isEqualTo("false");
        assertThat(brokerMeters.willCount()).isEqualTo(1);
    }

    @Test
    void aNormalDisconnectDiscardsTheWill() {
        Conn watcher = new Conn();
        watcher.connect(MqttVersion.MQTT_3_1_1, "watch", "admin", true);
        watcher.subscribe(1, "rigtel/v1/rig-01/#");
        Conn rig = new Conn();
        rig.frames.expectVersion(MqttVersion.MQTT_3_1_1);
        rig.send(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId("fw")
                .cleanSession(true)
                .hasUser(true)
                .username("rig-01")
                .hasPassword(true)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .willFlag(true)
                .willTopic("rigtel/v1/rig-01/online")
                .willMessage("false".getBytes(StandardCharsets.UTF_8))
                .build());

        rig.send(new MqttMessage(
                new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)));

        assertThat(rig.channel.isOpen()).isFalse();
        assertThat(watcher.read()).isEmpty();
        assertThat(brokerMeters.willCount()).isZero();
    }

    @Test
    void completesAnOutgoingQos2FlowWithPubrelAndPubcomp() {
        Conn subscriber = new Conn();
        subscriber.connect(MqttVersion.MQTT_3_1_1, "sub", "admin", true);
        subscriber.send(MqttMessageBuilders.subscribe()
                .messageId(1)
                .addSubscription(MqttQoS.EXACTLY_ONCE, "set/#")
                .build());
        Conn publisher = new Conn();
        publisher.connect(MqttVersion.MQTT_3_1_1, "pub", "ops", true);
        publisher.send(publish("set/x", MqttQoS.EXACTLY_ONCE, 4, "once"));

        MqttPublishMessage delivered = (MqttPublishMessage) subscriber.read().get(0);
        assertThat(delivered.fixedHeader().qosLevel()).isEqualTo(MqttQoS.EXACTLY_ONCE);
        int id = delivered.variableHeader().packetId();
        delivered.release();
        List<MqttMessage> pubrel = subscriber.send(MqttSession.reply(MqttMessageType.PUBREC, id, (byte) 0));
        assertThat(pubrel).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.PUBREL);
        assertThat(((MqttMessageIdVariableHeader) pubrel.get(0).variableHeader()).messageId())
                .isEqualTo(id);
        assertThat(broker.queuedCount()).isEqualTo(1);

        subscriber.send(MqttSession.reply(MqttMessageType.PUBCOMP, id, (byte) 0));

        assertThat(broker.queuedCount()).isZero();
    }

    @Test
    void aShutdownTellsV5ClientsWhyAndPublishesNoWills() {
        Conn watcher = new Conn();
        watcher.connect(MqttVersion.MQTT_3_1_1, "watch", "admin", true);
        watcher.subscribe(1, "rigtel/v1/rig-01/#");
        Conn rig = new Conn();
        rig.frames.expectVersion(MqttVersion.MQTT_5);
        rig.send(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId("fw")
                .cleanSession(true)
                .hasUser(true)
                .username("rig-01")
                .hasPassword(true)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .willFlag(true)
                .willTopic("rigtel/v1/rig-01/online")
                .willMessage("false".getBytes(StandardCharsets.UTF_8))
                .build());

        // Embedded channels run their tasks only when asked: the wait for them to close times out
        // and the close happens in runPendingTasks below.
        initializer.closeConnections();
        List<MqttMessage> told = rig.read();

        assertThat(told).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) told.get(0).variableHeader()).reasonCode())
                .isEqualTo((byte) 0x8B);
        assertThat(rig.channel.isOpen()).isFalse();
        assertThat(brokerMeters.willCount()).isZero();
    }

    // --- MQTT 5 completeness: shared subscriptions, subscription identifiers, server keep-alive,
    // server-to-client topic aliases, '$' topics ------------------------------------------------

    private static MqttProperties subscriptionId(int id) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
        return properties;
    }

    private static List<MqttPublishMessage> publishes(List<MqttMessage> messages) {
        return messages.stream()
                .filter(m -> m instanceof MqttPublishMessage)
                .map(m -> (MqttPublishMessage) m)
                .toList();
    }

    private static Integer intProperty(MqttPublishMessage message, int id) {
        MqttProperties.MqttProperty<?> p = message.variableHeader().properties().getProperty(id);
        return p == null ? null : (Integer) p.value();
    }

    private static byte disconnectReason(List<MqttMessage> replies) {
        assertThat(replies).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.DISCONNECT);
        return ((MqttReasonCodeAndPropertiesVariableHeader) replies.get(0).variableHeader()).reasonCode();
    }

    @Test
    void sharedSubscribersOfV5AndV311EachGetAShareAndTogetherEveryMessageOnce() {
        Conn a = new Conn();
        a.connect(MqttVersion.MQTT_5, "viewer-a", "admin", true);
        Conn b = new Conn();
        b.connect(MqttVersion.MQTT_3_1_1, "viewer-b", "ops", true);
        assertThat(a.subscribe(1, "$share/wall/set/+/notes")).containsExactly(1);
        // Accepted from MQTT 3.1.1 clients too, as Mosquitto does.
        assertThat(b.subscribe(1, "$share/wall/set/+/notes")).containsExactly(1);
        Conn publisher = new Conn();
        publisher.connect(MqttVersion.MQTT_3_1_1, "pub", "ops", true);

        for (int i = 0; i < 10; i++) {
            publisher.send(publish("set/a/notes", MqttQoS.AT_MOST_ONCE, 0, "n" + i));
        }

        List<String> toA =
                publishes(a.read()).stream().map(MqttBrokerPipelineTest::text).toList();
        List<String> toB =
                publishes(b.read()).stream().map(MqttBrokerPipelineTest::text).toList();
        assertThat(toA).containsExactly("n0", "n2", "n4", "n6", "n8");
        assertThat(toB).containsExactly("n1", "n3", "n5", "n7", "n9");
    }

    @Test
    void refusesABadShareNameFromAV311ClientWithTheFailureCode() {
        Conn viewer = new Conn();
        viewer.connect(MqttVersion.MQTT_3_1_1, "viewer", "admin", true);

        assertThat(viewer.subscribe(1, "$share//set/#", "$share/a#/set/#", "$share/only"))
                .containsExactly(0x80, 0x80, 0x80);
        assertThat(registry.get("rigtel.broker.subscribe.refused")
                        .tag("reason", "invalid-filter")
                        .counter()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void refusesSharedSubscriptionsBeyondTheCapOfOneSessionWithQuotaExceeded() {
        Conn viewer = new Conn();
        viewer.connect(MqttVersion.MQTT_5, "viewer", "admin", true);
        String[] filters = new String[Broker.MAX_SHARED_SUBSCRIPTIONS_PER_SESSION + 1];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = "$share/g" + i + "/set/#";
        }

        List<Integer> codes = viewer.subscribe(1, filters);

        assertThat(codes.subList(0, Broker.MAX_SHARED_SUBSCRIPTIONS_PER_SESSION))
                .containsOnly(1);
        assertThat(codes.get(Broker.MAX_SHARED_SUBSCRIPTIONS_PER_SESSION)).isEqualTo(0x97);
        // Subscribing again to one it holds replaces it: no new place needed.
        assertThat(viewer.subscribe(2, "$share/g0/set/#")).containsExactly(1);
        assertThat(registry.get("rigtel.broker.subscribe.refused")
                        .tag("reason", "shared-limit")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() {
        Conn viewer = new Conn();
        viewer.connect(MqttVersion.MQTT_5, "viewer", "admin", true);

        List<MqttMessage> replies = viewer.subscribeWith(1, MqttProperties.NO_PROPERTIES, true, "$share/g/set/#");

        // MQTT 5 section 3.8.3.1.
        assertThat(disconnectReason(replies)).isEqualTo((byte) 0x82);
        assertThat(viewer.channel.isOpen()).isFalse();
    }

    @Test
    void aPublishCarriesTheIdentifiersOfEveryMatchingSubscription() {
        Conn viewer = new Conn();
        viewer.connect(MqttVersion.MQTT_5, "viewer", "admin", true);
        viewer.subscribeWith(1, subscriptionId(5), false, "set/#");
        viewer.subscribeWith(2, subscriptionId(268_435_455), false, "set/+/notes");
        viewer.subscribe(3, "set/a/+");
        Conn publisher = new Conn();
        publisher.connect(MqttVersion.MQTT_3_1_1, "pub", "ops", true);

        publisher.send(publish("set/a/notes", MqttQoS.AT_MOST_ONCE, 0, "x"));

        List<MqttPublishMessage> received = publishes(viewer.read());
        assertThat(received).hasSize(1);
        assertThat(received.get(0).variableHeader().properties().getProperties(MqttProperties.SUBSCRIPTION_IDENTIFIER))
                .extracting(p -> (Integer) p.value())
                .containsExactlyInAnyOrder(5, 268_435_455);
        received.forEach(MqttPublishMessage::release);
    }

    @Test
    void aSubscriptionIdentifierOfZeroIsAProtocolError() {
        Conn viewer = new Conn();
        viewer.connect(MqttVersion.MQTT_5, "viewer", "admin", true);

        List<MqttMessage> replies = viewer.subscribeWith(1, subscriptionId(0), false, "set/#");

        // MQTT 5 section 3.8.2.1.2: 0 is a Protocol Error, DISCONNECT 0x82.
        assertThat(disconnectReason(replies)).isEqualTo((byte) 0x82);
        assertThat(broker.subscriptionCount()).isZero();
    }

    @Test
    void announcesSharedSubscriptionsAndSubscriptionIdentifiersInConnack() {
        Conn viewer = new Conn();
        MqttProperties props = viewer.connect(MqttVersion.MQTT_5, "viewer", "admin", true)
                .variableHeader()
                .properties();

        assertThat(props.getProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE)
                        .value())
                .isEqualTo(1);
        assertThat(props.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE)
                        .value())
                .isEqualTo(1);
    }

    @Test
    void givesAV5ClientWithoutKeepAliveTheServersMaximumAndClosesAfterOneAndAHalfTimesIt() {
        Conn none = new Conn();
        MqttConnAckMessage connack = none.connect(MqttVersion.MQTT_5, "idle", "admin", 0);
        Conn tooLong = new Conn();
        MqttConnAckMessage tooLongAck = tooLong.connect(MqttVersion.MQTT_5, "slow", "admin", 3600);
        Conn fine = new Conn();
        MqttConnAckMessage fineAck = fine.connect(MqttVersion.MQTT_5, "fine", "admin", 60);
        Conn old = new Conn();
        old.connect(MqttVersion.MQTT_3_1_1, "old", "admin", 0);

        long max = MqttServerOptions.DEFAULT_MAX_KEEP_ALIVE.toSeconds();
        assertThat(connack.variableHeader()
                        .properties()
                        .getProperty(MqttProperties.SERVER_KEEP_ALIVE)
                        .value())
                .isEqualTo((int) max);
        assertThat(tooLongAck
                        .variableHeader()
                        .properties()
                        .getProperty(MqttProperties.SERVER_KEEP_ALIVE)
                        .value())
                .isEqualTo((int) max);
        assertThat(fineAck.variableHeader().properties().getProperty(MqttProperties.SERVER_KEEP_ALIVE))
                .as("a keep-alive within the maximum is the client's own")
                .isNull();
        assertThat(idleMillis(none)).isEqualTo(max * 1500);
        assertThat(idleMillis(tooLong)).isEqualTo(max * 1500);
        assertThat(idleMillis(fine)).isEqualTo(60 * 1500);
        assertThat(old.channel.pipeline().get(MqttHandlerNames.IDLE))
                .as("MQTT 3.1.1 cannot be told: keep-alive 0 stays without a limit")
                .isNull();
    }

    private static long idleMillis(Conn conn) {
        return ((io.netty.handler.timeout.IdleStateHandler)
                        conn.channel.pipeline().get(MqttHandlerNames.IDLE))
                .getReaderIdleTimeInMillis();
    }

    @Test
    void sendsATopicAliasWithTheFirstPublishOfATopicAndAnEmptyTopicAfterwards() {
        MqttProperties aliases = new MqttProperties();
        aliases.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, 2));
        Conn viewer = new Conn();
        viewer.connect(MqttVersion.MQTT_5, "viewer", "admin", true, aliases);
        viewer.subscribe(1, "set/#", "s/#");
        Conn publisher = new Conn();
        publisher.connect(MqttVersion.MQTT_3_1_1, "pub", "ops", true);

        for (String topic : List.of(
                "set/a/notes", "set/a/notes", "s/x", "set/b/notes", "set/a/notes", "set/c/notes", "set/b/notes")) {
            publisher.send(publish(topic, MqttQoS.AT_MOST_ONCE, 0, topic));
        }

        List<MqttPublishMessage> received = publishes(viewer.read());
        assertThat(received)
                .extracting(m -> m.variableHeader().topicName())
                .containsExactly("set/a/notes", "", "s/x", "set/b/notes", "", "set/c/notes", "set/b/notes");
        assertThat(received)
                .extracting(m -> intProperty(m, MqttProperties.TOPIC_ALIAS))
                // A short topic gets none; the third long one takes the least recently used alias (b's,
                // 2), so b is sent again in full with an alias of its own.
                .containsExactly(1, 1, null, 2, 1, 2, 1);
        assertThat(received)
                .extracting(MqttBrokerPipelineTest::text)
                .containsExactly(
                        "set/a/notes",
                        "set/a/notes",
                        "s/x",
                        "set/b/notes",
                        "set/a/notes",
                        "set/c/notes",
                        "set/b/notes");
    }

    @Test
    void aNewConnectionStartsWithoutAliasesSoQueuedMessagesComeWithTheirFullTopic() {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, 4));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 600));
        Conn first = new Conn();
        first.connect(MqttVersion.MQTT_5, "viewer", "admin", true, props);
        first.subscribe(1, "set/#");
        Conn publisher = new Conn();
        publisher.connect(MqttVersion.MQTT_3_1_1, "pub", "ops", true);
        publisher.send(publish("set/a/notes", MqttQoS.AT_LEAST_ONCE, 1, "one"));
        List<MqttPublishMessage> firstReceived = publishes(first.read());
        assertThat(firstReceived)
                .extracting(m -> m.variableHeader().topicName())
                .containsExactly("set/a/notes");
        firstReceived.forEach(MqttPublishMessage::release);
        first.channel.close();
        first.channel.runPendingTasks();

        publisher.send(publish("set/a/notes", MqttQoS.AT_LEAST_ONCE, 2, "two"));
        Conn second = new Conn();
        second.frames.expectVersion(MqttVersion.MQTT_5);
        List<MqttMessage> afterConnack = second.send(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId("viewer")
                .cleanSession(false)
                .keepAlive(30)
                .hasUser(true)
                .username("admin")
                .hasPassword(true)
                .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .properties(props)
                .build());
        afterConnack.addAll(second.read());

        List<MqttPublishMessage> again = publishes(afterConnack);
        // The unacknowledged one again (DUP) with its full topic and a new alias, then the queued one by alias.
        assertThat(again).extracting(m -> m.variableHeader().topicName()).containsExactly("set/a/notes", "");
        assertThat(again).extracting(m -> m.fixedHeader().isDup()).containsExactly(true, false);
        assertThat(again)
                .extracting(m -> intProperty(m, MqttProperties.TOPIC_ALIAS))
                .containsExactly(1, 1);
        again.forEach(MqttPublishMessage::release);
    }

    @Test
    void refusesAnAdminsPublishToADollarTopicAsReservedNotAsARigsTopic() {
        Conn subscriber = new Conn();
        subscriber.connect(MqttVersion.MQTT_5, "sys", "ops", true);
        subscriber.subscribe(1, "$SYS/#", "$share/g/x");
        Conn admin = new Conn();
        admin.connect(MqttVersion.MQTT_5, "adm", "admin", true);

        List<MqttMessage> qos1 = admin.send(publish("$SYS/rigtel/forged", MqttQoS.AT_LEAST_ONCE, 4, "x"));
        List<MqttMessage> qos0 = admin.send(publish("$share/g/x", MqttQoS.AT_MOST_ONCE, 0, "x"));
        List<MqttMessage> qos2 = admin.send(publish("$SYS/rigtel/forged", MqttQoS.EXACTLY_ONCE, 5, "x"));

        assertThat(qos1).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.PUBACK);
        assertThat(((io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader)
                                qos1.get(0).variableHeader())
                        .reasonCode())
                .isEqualTo((byte) 0x87);
        assertThat(qos0).as("QoS 0 has no answer").isEmpty();
        assertThat(((io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader)
                                qos2.get(0).variableHeader())
                        .reasonCode())
                .isEqualTo((byte) 0x87);
        assertThat(admin.channel.isOpen()).isTrue();
        assertThat(publishes(subscriber.read()))
                .extracting(m -> m.variableHeader().topicName())
                .doesNotContain("$SYS/rigtel/forged");
        assertThat(registry.get("rigtel.mqtt.publishes.refused")
                        .tag("reason", "reserved-topic")
                        .counter()
                        .count())
                .isEqualTo(3);
        assertThat(registry.find("rigtel.ingest.rejected")
                        .tag("reason", "foreign-topic")
                        .counter())
                .as("not treated as a rig's topic")
                .isNull();
    }

    @Test
    void closesAV311ConnectionThatPublishesToADollarTopic() {
        Conn admin = new Conn();
        admin.connect(MqttVersion.MQTT_3_1_1, "adm", "admin", true);

        List<MqttMessage> replies = admin.send(publish("$SYS/rigtel/forged", MqttQoS.AT_LEAST_ONCE, 4, "x"));

        assertThat(replies).isEmpty();
        assertThat(admin.channel.isOpen()).isFalse();
        assertThat(registry.get("rigtel.mqtt.closed")
                        .tag("reason", "reserved-topic")
                        .counter()
                        .count())
                .isEqualTo(1);
    }
}

package dev.rigtel.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

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
import dev.rigtel.collector.testing.CapturedLog;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.MqttFrames;
import dev.rigtel.collector.testing.RecordingSink;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.collector.testing.TestIngest;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole MQTT pipeline in memory, fed real wire bytes. */
class MqttPipelineTest {

    private static final String RIG = "rig-01";
    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MqttMeters mqttMeters = new MqttMeters(registry);
    private final BrokerMeters brokerMeters = new BrokerMeters(registry);
    private final Broker broker = new Broker(BrokerOptions.DEFAULTS, brokerMeters, Clock.systemUTC());
    private final IngestMeters ingestMeters = new IngestMeters(registry);
    private final RecordingSink sink = new RecordingSink();
    private final MqttFrames client = new MqttFrames();
    private final List<Runnable> deferredAuth = new ArrayList<>();
    private WriteBuffer buffer;
    private EmbeddedChannel channel;
    private boolean deferAuth;

    @BeforeEach
    void setUp() throws Exception {
        Path credentials = dir.resolve("credentials");
        CredentialsFile.empty()
                .with(new CredentialsFile.Entry(RIG, Role.RIG, PasswordHasher.hash(PASSWORD.toCharArray(), 1000)))
                .with(new CredentialsFile.Entry(
                        "viewer", Role.VIEWER, PasswordHasher.hash(PASSWORD.toCharArray(), 1000)))
                .save(credentials);
        buffer = new WriteBuffer(
                        sink,
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool"))),
                        new WriteBufferOptions(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(10)),
                        new StoreMeters(registry))
                .start();
        channel = server(credentials, false);
    }

    private EmbeddedChannel server(Path credentials, boolean allowAnonymous) throws Exception {
        Executor authExecutor = task -> {
            if (deferAuth) {
                deferredAuth.add(task);
            } else {
                task.run();
            }
        };
        IngestService ingest = ingest();
        MqttServerOptions options = TestCollector.loopbackMqtt(64 * 1024)
                .allowAnonymous(allowAnonymous)
                .build();
        return new EmbeddedChannel(new MqttServerInitializer(
                options,
                new Authenticator(credentials, authExecutor),
                ingest,
                broker,
                new RigCommands(
                        WireMapper.create(),
                        (t, b, q, r, e) -> {},
                        new InfluxWrites(buffer),
                        brokerMeters,
                        Clock.systemUTC()),
                mqttMeters,
                brokerMeters,
                Clock.systemUTC()));
    }

    private IngestService ingest() {
        return TestIngest.create(
                new PayloadDecoder(WireMapper.create(), 4000),
                new DeviceClocks(Clock.systemUTC(), AlignerOptions.defaults()),
                TakeHistory.inMemory(ZoneOffset.UTC, Clock.systemUTC()),
                MotionConfig.defaults(),
                ZoneOffset.UTC,
                buffer,
                ingestMeters,
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        client.close();
        buffer.close();
    }

    private List<MqttMessage> exchange(ByteBuf... frames) {
        for (ByteBuf frame : frames) {
            channel.writeInbound(frame);
        }
        channel.runPendingTasks();
        return client.read(channel);
    }

    private void connected(MqttVersion version) {
        List<MqttMessage> replies = exchange(client.connect(version, "cam-a", RIG, PASSWORD, 10));
        assertThat(replies).hasSize(1);
        assertThat(((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    }

    private List<MqttMessage> awaitReplies(int count) {
        List<MqttMessage> replies = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            channel.runPendingTasks();
            replies.addAll(client.read(channel));
            return replies.size() >= count;
        });
        return replies;
    }

    private static int ackedPacketId(MqttMessage message) {
        assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        return ((io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    @Test
    void acceptsAConnectWithValidCredentials() {
        connected(MqttVersion.MQTT_3_1_1);
        assertThat(channel.isOpen()).isTrue();
        assertThat(mqttMeters.connectCount("accepted")).isEqualTo(1);
        assertThat(registry.get("rigtel.mqtt.connections").gauge().value()).isEqualTo(1);
    }

    @Test
    void refusesAWrongPasswordWithReturnCode4AndCloses() {
        List<MqttMessage> replies = exchange(client.connect(MqttVersion.MQTT_3_1_1, "cam-a", RIG, "guess", 10));

        assertThat(((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.connectCount("bad-credentials")).isEqualTo(1);
    }

    @Test
    void refusesAConnectWithoutCredentialsWhileAnonymousAccessIsOff() {
        List<MqttMessage> replies = exchange(client.connect(MqttVersion.MQTT_3_1_1, RIG, null, null, 10));

        assertThat(((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anonymousAccessTakesTheClientIdAsRigIdWhenTurnedOn() throws Exception {
        channel.finishAndReleaseAll();
        channel = server(dir.resolve("credentials"), true);
        List<MqttMessage> replies = new ArrayList<>(exchange(
                client.connect(MqttVersion.MQTT_3_1_1, "rig-09", null, null, 10),
                client.publish(
                        "rigtel/v1/rig-09/imu", MqttQoS.AT_LEAST_ONCE, 1, FirmwareNotes.example("imu-1khz.json"))));
        replies.addAll(awaitReplies(2 - replies.size()));

        assertThat(((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(ackedPacketId(replies.get(1))).isEqualTo(1);
        assertThat(mqttMeters.connectCount("anonymous")).isEqualTo(1);
        assertThat(sink.lines()).anyMatch(l -> l.startsWith("imu,rig=rig-09 "));
    }

    @Test
    void refusesAnAnonymousClientWhoseIdIsAReservedRigId() throws Exception {
        channel.finishAndReleaseAll();
        channel = server(dir.resolve("credentials"), true);
        List<MqttMessage> replies = exchange(client.connect(MqttVersion.MQTT_3_1_1, "live", null, null, 10));

        // As for any client id that cannot be a rig id (MQTT 3.1.1 section 3.2.2.3: 0x02).
        assertThat(((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.connectCount("reserved-name")).isEqualTo(1);
        assertThat(mqttMeters.connectCount("anonymous")).isZero();
    }

    /** Credentials that hold rig {@code slate}, as a file written before reserved names were refused. */
    private Path credentialsWithAReservedRig() throws Exception {
        Path credentials = dir.resolve("old-credentials");
        java.nio.file.Files.writeString(
                credentials, "slate rig " + PasswordHasher.hash(PASSWORD.toCharArray(), 1000) + "\n");
        return credentials;
    }

    @Test
    void refusesARigWithAReservedNameFromAnExistingCredentialsFile() throws Exception {
        channel.finishAndReleaseAll();
        channel = server(credentialsWithAReservedRig(), false);
        List<MqttMessage> replies = exchange(client.connect(MqttVersion.MQTT_3_1_1, "cam-a", "slate", PASSWORD, 10));

        // MQTT 3.1.1 section 3.2.2.3: 0x05 not authorized; the password was right.
        assertThat(((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.connectCount("reserved-name")).isEqualTo(1);
        assertThat(mqttMeters.connectCount("accepted")).isZero();
    }

    @Test
    void refusesAnMqtt5RigWithAReservedNameWithNotAuthorized() throws Exception {
        channel.finishAndReleaseAll();
        channel = server(credentialsWithAReservedRig(), false);
        client.expectVersion(MqttVersion.MQTT_5);
        List<MqttMessage> replies = exchange(client.connect(MqttVersion.MQTT_5, "cam-a", "slate", PASSWORD, 10));

        // MQTT 5 section 3.2.2.2: 0x87 not authorized.
        assertThat(((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesConnectionOnMalformedFrame() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0b0000_0000, 0x00})); // packet type 0 is reserved

        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.closedCount("malformed-packet")).isEqualTo(1);
    }

    @Test
    void closesWhenTheFirstPacketIsNotConnect() {
        exchange(client.publish("rigtel/v1/rig-01/imu", MqttQoS.AT_MOST_ONCE, 0, new byte[] {1}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.closedCount("first-packet-not-connect")).isEqualTo(1);
    }

    @Test
    void closesOnASecondConnect() {
        connected(MqttVersion.MQTT_3_1_1);
        exchange(client.connect(MqttVersion.MQTT_3_1_1, "cam-a", RIG, PASSWORD, 10));

        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.closedCount("second-connect")).isEqualTo(1);
    }

    @Test
    void refusesAnOversizedPacketFromItsFixedHeaderAlone() {
        connected(MqttVersion.MQTT_3_1_1);
        // PUBLISH announcing 10 MB; only the header is sent: nothing should wait for the rest.
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x05}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.closedCount("packet-too-large")).isEqualTo(1);
    }

    /**
     * A status PUBLISH (QoS 1, packet id 1) to this rig whose remaining length is exactly
     * {@code remaining}: the example payload padded with JSON white space.
     */
    private ByteBuf statusPublishOfRemainingLength(int remaining) {
        String topic = "rigtel/v1/" + RIG + "/status";
        byte[] example = FirmwareNotes.example("status.json");
        // Remaining length of a 3.1.1 QoS 1 PUBLISH: topic length (2) + topic + packet id (2) + payload.
        byte[] payload = new byte[remaining - 2 - topic.length() - 2];
        java.util.Arrays.fill(payload, (byte) ' ');
        System.arraycopy(example, 0, payload, 0, example.length);
        ByteBuf frame = client.publish(topic, MqttQoS.AT_LEAST_ONCE, 1, payload);
        // 1 byte of packet type and flags, 3 bytes of remaining length (16,384..2,097,151).
        assertThat(frame.readableBytes()).isEqualTo(1 + 3 + remaining);
        return frame;
    }

    @Test
    void acceptsAPacketWhoseRemainingLengthIsExactlyTheLimit() {
        connected(MqttVersion.MQTT_3_1_1);
        List<MqttMessage> replies = new ArrayList<>(exchange(statusPublishOfRemainingLength(64 * 1024)));
        assertThat(mqttMeters.closedCount("malformed-packet")).isZero();
        assertThat(channel.isOpen()).isTrue();
        replies.addAll(awaitReplies(1 - replies.size()));

        assertThat(ackedPacketId(replies.get(0))).isEqualTo(1);
        assertThat(ingestMeters.rejectedCount("malformed-payload")).isZero();
        assertThat(registry.get("rigtel.ingest.messages")
                        .tag("kind", "status")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void refusesAPacketWhoseRemainingLengthIsOneByteOverTheLimit() {
        connected(MqttVersion.MQTT_3_1_1);
        exchange(statusPublishOfRemainingLength(64 * 1024 + 1));

        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.closedCount("packet-too-large")).isEqualTo(1);
        assertThat(mqttMeters.closedCount("malformed-packet")).isZero();
    }

    @Test
    void announcesToMqtt5ClientsTheLargestWholePacketItAccepts() {
        client.expectVersion(MqttVersion.MQTT_5);
        List<MqttMessage> replies = exchange(client.connect(MqttVersion.MQTT_5, "cam-a", RIG, PASSWORD, 10));

        MqttConnAckMessage connAck = (MqttConnAckMessage) replies.get(0);
        // MQTT 5 section 3.2.2.3.6: the whole packet; a remaining length of 65,536 takes 3 bytes.
        assertThat(connAck.variableHeader()
                        .properties()
                        .getProperty(io.netty.handler.codec.mqtt.MqttProperties.MAXIMUM_PACKET_SIZE)
                        .value())
                .isEqualTo(1 + 3 + 64 * 1024);
    }

    @Test
    void refusesARemainingLengthOfMoreThanFourBytes() {
        channel.writeInbound(
                Unpooled.wrappedBuffer(new byte[] {0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}));

        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.closedCount("malformed-packet")).isEqualTo(1);
    }

    @Test
    void answersAnUnsupportedProtocolLevelWithReturnCode1() {
        // CONNECT with protocol name MQTT and level 9.
        byte[] connect = {0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x09, 0x02, 0x00, 0x0a, 0x00, 0x00};
        List<MqttMessage> replies = exchange(Unpooled.wrappedBuffer(connect));

        assertThat(((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void acksQos1OnceTheBatchIsDurableInTheSpoolEvenWhileInfluxDbIsDown() {
        connected(MqttVersion.MQTT_3_1_1);
        sink.down(true);
        List<MqttMessage> replies = new ArrayList<>(exchange(client.publish(
                "rigtel/v1/rig-01/imu", MqttQoS.AT_LEAST_ONCE, 7, FirmwareNotes.example("imu-1khz.json"))));
        replies.addAll(awaitReplies(1 - replies.size()));

        assertThat(ackedPacketId(replies.get(0))).isEqualTo(7);
        assertThat(sink.lines()).isEmpty();
        assertThat(buffer.queuedPoints()).isGreaterThanOrEqualTo(50);

        sink.down(false);

        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        sink.lines().stream().filter(l -> l.startsWith("imu,")).count() == 50);
    }

    @Test
    void sendsPubacksInTheOrderThePublishesArrivedEvenForRejectedOnes() {
        connected(MqttVersion.MQTT_3_1_1);
        sink.down(true);
        List<MqttMessage> replies = new ArrayList<>(exchange(
                client.publish(
                        "rigtel/v1/rig-01/imu", MqttQoS.AT_LEAST_ONCE, 1, FirmwareNotes.example("imu-1khz.json")),
                client.publish(
                        "rigtel/v1/rig-01/imu",
                        MqttQoS.AT_LEAST_ONCE,
                        2,
                        "not json".getBytes(StandardCharsets.UTF_8))));
        sink.down(false);
        replies.addAll(awaitReplies(2 - replies.size()));
        assertThat(replies).extracting(MqttPipelineTest::ackedPacketId).containsExactly(1, 2);
        assertThat(ingestMeters.rejectedCount("malformed-payload")).isEqualTo(1);
    }

    @Test
    void tellsMqtt5RigsWhyAPayloadWasRejected() {
        client.expectVersion(MqttVersion.MQTT_5);
        connected(MqttVersion.MQTT_5);
        List<MqttMessage> replies = exchange(client.publish(
                "rigtel/v1/rig-01/imu", MqttQoS.AT_LEAST_ONCE, 3, FirmwareNotes.example("bad/imu-out-of-range.json")));

        MqttPubReplyMessageVariableHeader header =
                (MqttPubReplyMessageVariableHeader) replies.get(0).variableHeader();
        assertThat(header.messageId()).isEqualTo(3);
        assertThat(header.reasonCode()).isEqualTo((byte) 0x99);
        assertThat(sink.lines()).isEmpty();
    }

    @Test
    void closesAnMqtt311RigThatPublishesUnderAnotherRigsId() {
        connected(MqttVersion.MQTT_3_1_1);
        exchange(client.publish(
                "rigtel/v1/rig-02/imu", MqttQoS.AT_LEAST_ONCE, 1, FirmwareNotes.example("imu-1khz.json")));

        assertThat(channel.isOpen()).isFalse();
        assertThat(mqttMeters.closedCount("foreign-topic")).isEqualTo(1);
        assertThat(sink.lines()).isEmpty();
    }

    @Test
    void storesAQos2PublishOnceAndCompletesTheExchangeAfterPubrel() {
        connected(MqttVersion.MQTT_3_1_1);
        byte[] batch = FirmwareNotes.example("imu-1khz.json");
        channel.writeInbound(client.publish("rigtel/v1/rig-01/imu", MqttQoS.EXACTLY_ONCE, 7, batch));
        List<MqttMessage> pubrec = awaitReplies(1);
        assertThat(pubrec.get(0).fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBREC);
        assertThat(packetId(pubrec.get(0))).isEqualTo(7);

        // Section 4.3.3: the same packet id again before PUBREL is acknowledged, not processed again.
        List<MqttMessage> again = exchange(client.publish("rigtel/v1/rig-01/imu", MqttQoS.EXACTLY_ONCE, 7, batch));
        assertThat(again).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.PUBREC);
        List<MqttMessage> pubcomp = exchange(client.encode(new MqttMessage(
                new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(7))));

        assertThat(pubcomp).extracting(m -> m.fixedHeader().messageType()).containsExactly(MqttMessageType.PUBCOMP);
        assertThat(packetId(pubcomp.get(0))).isEqualTo(7);
        assertThat(registry.get("rigtel.ingest.messages")
                        .tag("kind", "imu")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(channel.isOpen()).isTrue();
    }

    private static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    @Test
    void viewersMayNotPublishTelemetry() {
        exchange(client.connect(MqttVersion.MQTT_3_1_1, "dash", "viewer", PASSWORD, 10));
        exchange(client.publish(
                "rigtel/v1/viewer/imu", MqttQoS.AT_LEAST_ONCE, 1, FirmwareNotes.example("imu-1khz.json")));

        assertThat(channel.isOpen()).isFalse();
        assertThat(sink.lines()).isEmpty();
    }

    @Test
    void answersPingAndFailsEverySubscription() {
        connected(MqttVersion.MQTT_3_1_1);
        List<MqttMessage> replies = exchange(
                client.encode(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(
                        MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0))),
                client.encode(MqttMessageBuilders.subscribe()
                        .messageId(5)
                        .addSubscription(MqttQoS.AT_LEAST_ONCE, "rigtel/#")
                        .addSubscription(MqttQoS.AT_MOST_ONCE, "a/b")
                        .build()));

        assertThat(replies.get(0).fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
        MqttSubAckMessage subAck = (MqttSubAckMessage) replies.get(1);
        assertThat(subAck.payload().grantedQoSLevels()).containsExactly(0x80, 0x80);
    }

    @Test
    void registersASubscriptionBeforeWritingItsSuback() {
        connected(MqttVersion.MQTT_3_1_1);
        List<Integer> subscriptionsAtSuback = new ArrayList<>();
        channel.pipeline().addAfter(MqttHandlerNames.ENCODER, "suback-probe", new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof MqttSubAckMessage) {
                    subscriptionsAtSuback.add(broker.subscriptionCount());
                }
                ctx.write(msg, promise);
            }
        });

        exchange(client.encode(MqttMessageBuilders.subscribe()
                .messageId(5)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "rigtel/v1/rig-01/command")
                .build()));

        // A client holding the SUBACK may at once have a message published for it (section 3.9:
        // SUBACK confirms the SUBSCRIBE was processed).
        assertThat(subscriptionsAtSuback).containsExactly(1);
    }

    @Test
    void replacesTheConnectTimeoutWithOneAndAHalfTimesTheKeepAlive() {
        assertThat(((IdleStateHandler) channel.pipeline().get(MqttHandlerNames.IDLE)).getReaderIdleTimeInMillis())
                .isEqualTo(10_000);
        connected(MqttVersion.MQTT_3_1_1);

        assertThat(((IdleStateHandler) channel.pipeline().get(MqttHandlerNames.IDLE)).getReaderIdleTimeInMillis())
                .isEqualTo(15_000);
    }

    @Test
    void keepsPacketsPipelinedBehindConnectUntilAuthenticationEnds() {
        deferAuth = true;
        List<MqttMessage> early = exchange(
                client.connect(MqttVersion.MQTT_3_1_1, "cam-a", RIG, PASSWORD, 10),
                client.publish(
                        "rigtel/v1/rig-01/imu", MqttQoS.AT_LEAST_ONCE, 9, FirmwareNotes.example("imu-1khz.json")));
        assertThat(early).isEmpty();
        assertThat(channel.isOpen()).isTrue();

        deferredAuth.forEach(Runnable::run);
        List<MqttMessage> replies = awaitReplies(2);

        assertThat(replies.get(0).fixedHeader().messageType()).isEqualTo(MqttMessageType.CONNACK);
        assertThat(ackedPacketId(replies.get(1))).isEqualTo(9);
    }

    @Test
    void closesOnDisconnect() {
        connected(MqttVersion.MQTT_3_1_1);
        exchange(client.encode(MqttMessageBuilders.disconnect().build()));

        assertThat(channel.isOpen()).isFalse();
        assertThat(registry.get("rigtel.mqtt.connections").gauge().value()).isZero();
    }

    /** A server whose connections may send {@code maxMessagesPerSecond} PUBLISHes (bursts of twice that). */
    private EmbeddedChannel serverWithRate(int maxMessagesPerSecond) throws Exception {
        return new EmbeddedChannel(new MqttServerInitializer(
                TestCollector.loopbackMqtt(64 * 1024)
                        .maxConnections(10)
                        .maxMessagesPerSecond(maxMessagesPerSecond)
                        .build(),
                new Authenticator(dir.resolve("credentials"), Runnable::run),
                ingest(),
                broker,
                new RigCommands(
                        WireMapper.create(),
                        (t, b, q, r, e) -> {},
                        new InfluxWrites(buffer),
                        brokerMeters,
                        Clock.systemUTC()),
                mqttMeters,
                brokerMeters,
                Clock.systemUTC()));
    }

    @Test
    void throttlesAConnectionOverItsPublishRateWithoutDroppingWhatItSent() throws Exception {
        channel.finishAndReleaseAll();
        channel = serverWithRate(5);
        connected(MqttVersion.MQTT_3_1_1);
        for (int i = 1; i <= 20; i++) {
            channel.writeInbound(client.publish(
                    "rigtel/v1/rig-01/status", MqttQoS.AT_LEAST_ONCE, i, FirmwareNotes.example("status.json")));
        }

        assertThat(registry.get("rigtel.mqtt.throttled").counter().count()).isEqualTo(1);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(awaitReplies(20)).hasSize(20);
    }

    @Test
    void throttlesAConnectionWhosePublishesAreAllRejected() throws Exception {
        channel.finishAndReleaseAll();
        channel = serverWithRate(5);
        connected(MqttVersion.MQTT_3_1_1);
        // Refusals cost the collector as much CPU as accepted messages: they draw from the same
        // budget (5/s, bursts of 10), so the 11th is over it.
        for (int i = 1; i <= 20; i++) {
            channel.writeInbound(
                    i % 2 == 0
                            ? client.publish("rigtel/v1/rig-01/nonsense", MqttQoS.AT_LEAST_ONCE, i, new byte[] {1})
                            : client.publish(
                                    "rigtel/v1/rig-01/imu",
                                    MqttQoS.AT_LEAST_ONCE,
                                    i,
                                    "not json".getBytes(StandardCharsets.UTF_8)));
        }

        assertThat(registry.get("rigtel.mqtt.throttled").counter().count()).isEqualTo(1);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(ingestMeters.rejectedCount("unknown-topic")).isEqualTo(10);
        assertThat(ingestMeters.rejectedCount("malformed-payload")).isEqualTo(10);
        // Throttled, not dropped: each is still answered as firmware-notes say.
        assertThat(awaitReplies(20)).extracting(MqttPipelineTest::ackedPacketId).hasSize(20);
    }

    @Test
    void closesConnectionsOverTheLimitAtOnce() throws Exception {
        MqttServerInitializer limited = new MqttServerInitializer(
                TestCollector.loopbackMqtt(64 * 1024)
                        .maxConnections(2)
                        .maxMessagesPerSecond(100)
                        .build(),
                new Authenticator(dir.resolve("credentials"), Runnable::run),
                ingest(),
                broker,
                new RigCommands(
                        WireMapper.create(),
                        (t, b, q, r, e) -> {},
                        new InfluxWrites(buffer),
                        brokerMeters,
                        Clock.systemUTC()),
                mqttMeters,
                brokerMeters,
                Clock.systemUTC());
        EmbeddedChannel first = new EmbeddedChannel(limited);
        EmbeddedChannel second = new EmbeddedChannel(limited);
        EmbeddedChannel third;
        EmbeddedChannel fourth;
        List<String> lines;
        try (CapturedLog log = CapturedLog.of(ConnectionLimiter.class)) {
            third = new EmbeddedChannel(limited);
            fourth = new EmbeddedChannel(limited);
            lines = log.lines();
        }

        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        assertThat(third.isOpen()).isFalse();
        assertThat(fourth.isOpen()).isFalse();
        assertThat(mqttMeters.closedCount("connection-limit")).isEqualTo(2);
        // Logged once, naming the option to raise; the second refusal is only counted.
        assertThat(lines).singleElement(STRING).contains("closed at once: 2 open at most (--max-connections;");
        first.finishAndReleaseAll();
        assertThat(new EmbeddedChannel(limited).isOpen()).isTrue();
        second.finishAndReleaseAll();
    }

    @Test
    void tellsARigThatSubscribedToItsErrorTopicWhyAMessageWasRefused() throws Exception {
        connected(MqttVersion.MQTT_3_1_1);
        List<MqttMessage> replies = exchange(client.encode(MqttMessageBuilders.subscribe()
                .messageId(5)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "rigtel/v1/rig-01/error")
                .addSubscription(MqttQoS.AT_MOST_ONCE, "rigtel/v1/rig-02/error")
                .build()));
        assertThat(((MqttSubAckMessage) replies.get(0)).payload().grantedQoSLevels())
                .containsExactly(1, 0x80);

        List<MqttMessage> answer = exchange(client.publish(
                "rigtel/v1/rig-01/imu", MqttQoS.AT_LEAST_ONCE, 9, FirmwareNotes.example("bad/imu-out-of-range.json")));

        answer.addAll(awaitReplies(2 - answer.size()));
        assertThat(ackedPacketId(answer.get(0))).isEqualTo(9);
        io.netty.handler.codec.mqtt.MqttPublishMessage notice =
                (io.netty.handler.codec.mqtt.MqttPublishMessage) answer.get(1);
        assertThat(notice.variableHeader().topicName()).isEqualTo("rigtel/v1/rig-01/error");
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(io.netty.buffer.ByteBufUtil.getBytes(notice.payload()));
        notice.release();
        assertThat(json.get("reason").asText()).isEqualTo("out-of-range");
        assertThat(json.get("topic").asText()).isEqualTo("rigtel/v1/rig-01/imu");
        assertThat(json.get("packet_id").asInt()).isEqualTo(9);
        assertThat(json.get("message").asText()).contains("4000 deg/s");
    }
}

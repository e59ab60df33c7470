package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.LoginGate;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.auth.TopicRights;
import dev.rigtel.collector.broker.Broker;
import dev.rigtel.collector.broker.BrokerMessage;
import dev.rigtel.collector.broker.BrokerSession;
import dev.rigtel.collector.broker.MessageProperties;
import dev.rigtel.collector.broker.Topics;
import dev.rigtel.collector.broker.Will;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.metrics.MqttMeters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * CONNECT: the first packet must be CONNECT and there must be only one (MQTT 3.1.1 section 3.1).
 * Credentials are checked on the authenticator's executor while the channel stops reading, so the
 * event loop never waits for PBKDF2. The rig id is the authenticated username, never the client id.
 */
@ChannelHandler.Sharable
final class ConnectHandler extends ChannelInboundHandlerAdapter {

    /** Packets that arrived while CONNECT is being authenticated (section 3.1.4 lets clients pipeline). */
    private static final AttributeKey<ArrayDeque<MqttMessage>> CONNECTING =
            AttributeKey.valueOf("rigtel.mqtt.connecting");

    private static final int MAX_PIPELINED = 32;

    /** QoS 1/2 PUBLISHes a client may leave unacknowledged (MQTT 5 Receive Maximum). */
    static final int RECEIVE_MAXIMUM = 64;

    /** MQTT 5 topic aliases a client may set on this connection (section 3.2.2.3.8). */
    static final int TOPIC_ALIAS_MAXIMUM = 32;

    private final MqttServerOptions options;
    private final Authenticator authenticator;
    private final MqttMeters meters;
    private final Disconnects disconnects;
    private final Broker broker;
    private final IngestService ingest;
    private final Clock clock;
    /** Connections past CONNECT, so that a shutdown can tell MQTT 5 clients why they are closed. */
    private final ChannelGroup connected = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    ConnectHandler(
            MqttServerOptions options,
            Authenticator authenticator,
            MqttMeters meters,
            Disconnects disconnects,
            Broker broker,
            IngestService ingest,
            Clock clock) {
        this.options = options;
        this.authenticator = authenticator;
        this.meters = meters;
        this.disconnects = disconnects;
        this.broker = broker;
        this.ingest = ingest;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttMessage message = (MqttMessage) msg;
        boolean connect = message.fixedHeader().messageType() == MqttMessageType.CONNECT;
        boolean connected = MqttSession.of(ctx.channel()) != null;
        boolean connecting = ctx.channel().attr(CONNECTING).get() != null;
        if (connected && !connect) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (connecting && !connect) {
            ArrayDeque<MqttMessage> early = ctx.channel().attr(CONNECTING).get();
            if (early.size() < MAX_PIPELINED) {
                early.addLast(message);
                return;
            }
            ReferenceCountUtil.release(msg);
            disconnects.close(
                    ctx.channel(),
                    "unexpected-packet",
                    Disconnects.PROTOCOL_ERROR,
                    "more than " + MAX_PIPELINED + " packets before CONNACK");
            return;
        }
        try {
            if (connect && !connected && !connecting) {
                onConnect(ctx, (MqttConnectMessage) message);
            } else if (connect) {
                disconnects.close(
                        ctx.channel(),
                        "second-connect",
                        Disconnects.PROTOCOL_ERROR,
                        "a second CONNECT (MQTT 3.1.1 section 3.1.0-2)");
            } else {
                disconnects.close(
                        ctx.channel(),
                        "first-packet-not-connect",
                        Disconnects.PROTOCOL_ERROR,
                        message.fixedHeader().messageType() + " before CONNECT");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** What accept needs of CONNECT, read before the message is released. */
    private record ConnectInfo(
            MqttVersion version,
            String clientId,
            String assignedClientId,
            int keepAliveSeconds,
            boolean cleanStart,
            long expirySeconds,
            int receiveMaximum,
            long maximumPacketBytes,
            int topicAliasMaximum,
            Will will) {}

    private void onConnect(ChannelHandlerContext ctx, MqttConnectMessage connect) {
        Channel channel = ctx.channel();
        channel.attr(CONNECTING).set(new ArrayDeque<>());
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(
                connect.variableHeader().name(), (byte) connect.variableHeader().version());
        boolean v5 = version == MqttVersion.MQTT_5;
        String clientId = connect.payload().clientIdentifier();
        String assignedClientId = null;
        if (clientId == null || clientId.isEmpty()) {
            if (v5) {
                assignedClientId = "rigtel-" + UUID.randomUUID();
                clientId = assignedClientId;
            } else if (!connect.variableHeader().isCleanSession()) {
                // MQTT 3.1.1 section 3.1.3-8: a zero-byte id needs CleanSession=1.
                refuse(
                        channel,
                        version,
                        "bad-client-id",
                        "empty client id without clean session",
                        MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
                return;
            } else {
                // Section 3.1.3-6: the server assigns a unique id; it is never seen by the client.
                clientId = "rigtel-" + UUID.randomUUID();
            }
        }
        ConnectInfo info;
        try {
            info = connectInfo(connect, version, clientId, assignedClientId);
        } catch (IllegalArgumentException e) {
            refuse(
                    channel,
                    version,
                    "bad-connect",
                    e.getMessage(),
                    null,
                    MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
            return;
        }
        if (!connect.variableHeader().hasUserName()) {
            if (!options.allowAnonymous()) {
                refuse(
                        channel,
                        version,
                        "no-credentials",
                        "CONNECT without username; anonymous access is off",
                        MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                        MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
                return;
            }
            String problem = RigId.rigProblem(clientId);
            if (problem != null) {
                // The client id is the rig id here: one that is no rig id, or a reserved one (a rig
                // named "live" could read rigtel/v1/live/#), is refused like a bad client id (MQTT
                // 3.1.1 section 3.2.2.3: 0x02; MQTT 5 section 3.2.2.2: 0x85).
                refuse(
                        channel,
                        version,
                        RigId.problem(clientId) == null ? "reserved-name" : "bad-client-id",
                        "anonymous client id is not a valid rig id: " + problem,
                        MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
                return;
            }
            meters.connect("anonymous");
            accept(channel, new RigId(clientId), Role.RIG, null, info);
            return;
        }
        String username = connect.payload().userName();
        byte[] password = connect.payload().passwordInBytes();
        channel.config().setAutoRead(false);
        authenticator
                .authenticate(
                        username, password == null ? new byte[0] : password, remoteAddress(channel), channel::isActive)
                .whenComplete((result, error) -> channel.eventLoop().execute(() -> {
                    if (!channel.isActive()) {
                        return;
                    }
                    channel.config().setAutoRead(true);
                    if (result instanceof Authenticator.Result.Accepted accepted) {
                        meters.connect("accepted");
                        accept(channel, new RigId(accepted.username()), accepted.role(), accepted.username(), info);
                    } else if (result instanceof Authenticator.Result.Reserved reserved) {
                        // A user whose name is reserved (the Authenticator logged it when it read the
                        // file): MQTT 3.1.1 section 3.2.2.3 0x05, MQTT 5 section 3.2.2.2 0x87.
                        refuse(
                                channel,
                                version,
                                "reserved-name",
                                "user '" + reserved.username() + "': " + reserved.reason(),
                                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                                MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
                    } else if (result instanceof Authenticator.Result.Refused refused
                            && refused.reason().equals(LoginGate.Refusal.BUSY.tag())) {
                        // Too many logins of this address or user under way: come back later
                        // (MQTT 3.1.1 section 3.2.2.3 0x03; MQTT 5 section 3.2.2.2 0x89 Server busy).
                        refuse(
                                channel,
                                version,
                                refused.reason(),
                                "too many logins under way from this address or for this user",
                                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY);
                    } else if (result instanceof Authenticator.Result.Refused refused) {
                        // An address that failed too often: answered as bad credentials, which
                        // tells it nothing new, without a PBKDF2 check.
                        refuse(
                                channel,
                                version,
                                refused.reason(),
                                "too many failed logins from this address",
                                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD);
                    } else {
                        refuse(
                                channel,
                                version,
                                "bad-credentials",
                                error == null ? "wrong username or password" : "authentication failed: " + error,
                                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD);
                    }
                }));
    }

    /** Reads session wishes and the will; throws IllegalArgumentException for a protocol error. */
    private ConnectInfo connectInfo(
            MqttConnectMessage connect, MqttVersion version, String clientId, String assignedClientId) {
        boolean v5 = version == MqttVersion.MQTT_5;
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttProperties props = header.properties();
        long expiry;
        int receiveMaximum = 65_535;
        long maximumPacket = Long.MAX_VALUE;
        int topicAliasMaximum = 0;
        if (v5) {
            // Section 3.1.2.11.5: how many aliases the client accepts from us; absent means none.
            Integer a = PublishProperties.intValue(props, MqttProperties.TOPIC_ALIAS_MAXIMUM);
            topicAliasMaximum = a == null ? 0 : a;
            Integer e = PublishProperties.intValue(props, MqttProperties.SESSION_EXPIRY_INTERVAL);
            // 0xFFFFFFFF means "never" in MQTT 5; we cap it like any other interval (--max-session-expiry).
            expiry = e == null ? 0 : Math.min(Integer.toUnsignedLong(e), BrokerSession.NEVER_EXPIRES - 1);
            Integer r = PublishProperties.intValue(props, MqttProperties.RECEIVE_MAXIMUM);
            if (r != null) {
                if (r == 0) {
                    throw new IllegalArgumentException("Receive Maximum 0 (MQTT 5 section 3.1.2.11.3)");
                }
                receiveMaximum = r;
            }
            Integer m = PublishProperties.intValue(props, MqttProperties.MAXIMUM_PACKET_SIZE);
            if (m != null) {
                if (m == 0) {
                    throw new IllegalArgumentException("Maximum Packet Size 0 (MQTT 5 section 3.1.2.11.4)");
                }
                maximumPacket = Integer.toUnsignedLong(m);
            }
        } else {
            // Section 3.1.2.4: CleanSession=0 keeps the session after the connection closes (the
            // broker ends it --max-session-expiry later, as section 4.1 allows).
            expiry = header.isCleanSession() ? 0 : BrokerSession.NEVER_EXPIRES;
        }
        Will will = null;
        if (header.isWillFlag()) {
            String topic = connect.payload().willTopic();
            String problem = Topics.nameProblem(topic);
            if (problem != null) {
                throw new IllegalArgumentException("will: " + problem);
            }
            MqttProperties willProps = connect.payload().willProperties();
            long now = clock.millis();
            byte[] payload = connect.payload().willMessageInBytes();
            BrokerMessage message = new BrokerMessage(
                    topic,
                    payload == null ? new byte[0] : payload,
                    header.willQos(),
                    header.isWillRetain(),
                    v5 ? PublishProperties.of(willProps) : MessageProperties.NONE,
                    v5 ? PublishProperties.expiresAtMillis(willProps, now) : BrokerMessage.NEVER);
            Integer delay = v5 ? PublishProperties.intValue(willProps, MqttProperties.WILL_DELAY_INTERVAL) : null;
            will = new Will(message, delay == null ? 0 : Integer.toUnsignedLong(delay));
        }
        return new ConnectInfo(
                version,
                clientId,
                assignedClientId,
                header.keepAliveTimeSeconds(),
                header.isCleanSession(),
                expiry,
                receiveMaximum,
                maximumPacket,
                topicAliasMaximum,
                will);
    }

    private void accept(Channel channel, RigId rig, Role role, String username, ConnectInfo info) {
        if (info.will() != null && !willAllowed(channel, rig, role, info)) {
            return;
        }
        if (!broker.roomForSession(username, info.clientId(), info.cleanStart(), info.expirySeconds())) {
            // --max-sessions-per-user persistent sessions of this user are all online (MQTT 5 section
            // 3.2.2.2 0x97 Quota exceeded; 3.1.1 has no such code: 0x03 Server unavailable).
            refuse(
                    channel,
                    info.version(),
                    "sessions-per-user",
                    "every persistent session this user may have is online",
                    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED);
            return;
        }
        ArrayDeque<MqttMessage> early = channel.attr(CONNECTING).getAndSet(null);
        MqttSession session = new MqttSession(info.version(), rig, role, info.clientId());
        channel.attr(MqttSession.KEY).set(session);
        connected.add(channel);
        meters.opened();
        ChannelOutlet outlet = new ChannelOutlet(
                channel, session.v5(), info.maximumPacketBytes(), info.topicAliasMaximum(), clock, disconnects);
        // The CONNACK below is written in this event-loop task; whatever the broker releases to the
        // outlet (redeliveries, queued messages) is queued as later tasks, so it follows the CONNACK.
        Broker.Attached attached = broker.attach(
                new Broker.ConnectRequest(
                        username,
                        info.clientId(),
                        info.cleanStart(),
                        info.expirySeconds(),
                        info.receiveMaximum(),
                        info.will()),
                outlet);
        if (attached == null) {
            // Another connection of this user took the last place since the check above.
            channel.attr(MqttSession.KEY).set(null);
            connected.remove(channel);
            disconnects.close(channel, "sessions-per-user", (byte) 0x97, "no room for another persistent session");
            return;
        }
        session.broker = attached.session();
        session.outlet = outlet;
        session.connectExpiryZero = info.expirySeconds() == 0;
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        int keepAliveSeconds = keepAliveSeconds(info);
        if (session.v5()) {
            MqttMessageBuilders.ConnAckPropertiesBuilder builder = new MqttMessageBuilders.ConnAckPropertiesBuilder()
                    .retainAvailable(true)
                    .maximumPacketSize(MqttFrameLimiter.largestPacketBytes(options.maxMessageBytes()))
                    .topicAliasMaximum(TOPIC_ALIAS_MAXIMUM)
                    .receiveMaximum(RECEIVE_MAXIMUM)
                    .wildcardSubscriptionAvailable(true)
                    .subscriptionIdentifiersAvailable(true)
                    .sharedSubscriptionAvailable(true)
                    .assignedClientId(info.assignedClientId());
            if (keepAliveSeconds != info.keepAliveSeconds()) {
                // MQTT 5 section 3.2.2.3.14: the client must use the Server Keep Alive instead of its own.
                builder.serverKeepAlive(keepAliveSeconds);
            }
            if (attached.grantedExpirySeconds() != info.expirySeconds()) {
                // MQTT 5 section 3.2.2.3.2: tell the client the interval we use instead of its own.
                builder.sessionExpiryInterval(attached.grantedExpirySeconds());
            }
            properties = builder.build();
        }
        if (role == Role.RIG) {
            ingest.rigConnected(rig);
        }
        channel.writeAndFlush(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                // Section 3.2.2.2: always 0 for CleanSession=1.
                .sessionPresent(attached.sessionPresent())
                .properties(properties)
                .build());
        // Section 3.1.2.10: the server closes after 1.5 x keep-alive without a packet; 0 means no limit
        // (only MQTT 3.1.1 clients keep 0: an MQTT 5 client was given --mqtt-max-keep-alive).
        if (keepAliveSeconds > 0) {
            long limitMillis = keepAliveSeconds * 1500L;
            channel.pipeline()
                    .replace(
                            MqttHandlerNames.IDLE,
                            MqttHandlerNames.IDLE,
                            new IdleStateHandler(limitMillis, 0, 0, TimeUnit.MILLISECONDS));
        } else {
            channel.pipeline().remove(MqttHandlerNames.IDLE);
        }
        ChannelHandlerContext ctx = channel.pipeline().context(this);
        while (early != null && !early.isEmpty() && ctx != null) {
            ctx.fireChannelRead(early.pollFirst());
        }
    }

    /**
     * The keep-alive the server holds the connection to: an MQTT 5 client's own, unless it is 0 or
     * above {@code --mqtt-max-keep-alive}, when it gets that maximum in CONNACK (MQTT 5 section
     * 3.2.2.3.14). MQTT 3.1.1 has no way to tell a client, so its keep-alive stays its own.
     */
    private int keepAliveSeconds(ConnectInfo info) {
        int requested = info.keepAliveSeconds();
        if (info.version() != MqttVersion.MQTT_5) {
            return requested;
        }
        int max = (int) Math.min(65_535, options.maxKeepAlive().toSeconds());
        return requested == 0 || requested > max ? max : requested;
    }

    /** The client's IP address as text, for per-address limits; "unknown" where there is none. */
    static String remoteAddress(Channel channel) {
        return channel.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : "unknown";
    }

    /**
     * Checks the Last Will, which the broker publishes past every check a PUBLISH gets
     * (firmware-notes/README.md, "Will"): refuses the connection and returns false if it may not be
     * set. MQTT 3.1.1 section 3.2.2.3 has only 0x05 for it; MQTT 5 section 3.2.2.2 has 0x87 for a
     * topic not allowed and 0x99 for a payload not allowed.
     */
    private boolean willAllowed(Channel channel, RigId rig, Role role, ConnectInfo info) {
        BrokerMessage will = info.will().message();
        if (PublishHandler.ingestTopic(will.topic()) || !TopicRights.canPublishWill(role, rig.value(), will.topic())) {
            refuse(
                    channel,
                    info.version(),
                    "not-authorized",
                    "may not set a will on " + will.topic()
                            + (role == Role.RIG
                                    ? " (a rig's will goes to " + TopicRights.onlineTopic(rig.value()) + ")"
                                    : ""),
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
            return false;
        }
        if (role == Role.RIG
                && !TopicRights.OFFLINE_PAYLOAD.equals(new String(will.payload(), StandardCharsets.UTF_8))) {
            refuse(
                    channel,
                    info.version(),
                    "bad-will",
                    "a rig's will on " + will.topic() + " must say " + TopicRights.OFFLINE_PAYLOAD + ", not "
                            + will.payload().length + " other bytes",
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                    MqttConnectReturnCode.CONNECTION_REFUSED_PAYLOAD_FORMAT_INVALID);
            return false;
        }
        return true;
    }

    private void refuse(
            Channel channel,
            MqttVersion version,
            String result,
            String detail,
            MqttConnectReturnCode v3Code,
            MqttConnectReturnCode v5Code) {
        ArrayDeque<MqttMessage> early = channel.attr(CONNECTING).getAndSet(null);
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
        }
        disconnects.countRefusal(result, detail, channel);
        if (version != MqttVersion.MQTT_5 && v3Code == null) {
            // MQTT 3.1.1 section 4.8: a protocol violation closes the connection, with no CONNACK.
            channel.close();
            return;
        }
        channel.writeAndFlush(MqttMessageBuilders.connAck()
                        .returnCode(version == MqttVersion.MQTT_5 ? v5Code : v3Code)
                        .sessionPresent(false)
                        .build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Closes every connection for a server shutdown: MQTT 5 clients get DISCONNECT 0x8B "Server
     * shutting down" first (MQTT 5 section 4.13). Wills are not published: the collector is
     * leaving, not the clients. Waits up to {@code waitMillis} for the connections to close.
     */
    void closeAll(long waitMillis) {
        for (Channel channel : connected) {
            channel.eventLoop().execute(() -> {
                MqttSession session = MqttSession.of(channel);
                if (session != null) {
                    session.disconnected = true;
                }
                if (session != null && session.v5() && channel.isActive()) {
                    channel.writeAndFlush(MqttMessageBuilders.disconnect()
                                    .reasonCode(Disconnects.SERVER_SHUTTING_DOWN)
                                    .build())
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    channel.close();
                }
            });
        }
        connected.newCloseFuture().awaitUninterruptibly(waitMillis);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ArrayDeque<MqttMessage> early = ctx.channel().attr(CONNECTING).getAndSet(null);
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
        }
        MqttSession session = MqttSession.of(ctx.channel());
        if (session != null) {
            meters.gone();
            if (session.broker != null) {
                // Section 3.1.2.5: the will is published unless the client sent DISCONNECT (MQTT 5:
                // unless it sent DISCONNECT with reason 0x04, which asks for it).
                boolean publishWill = !session.disconnected || session.willOnDisconnect;
                broker.detach(session.broker, session.outlet, publishWill, session.disconnectExpirySeconds);
            }
            if (session.role() == Role.RIG) {
                ingest.rigDisconnected(session.rig());
            }
        }
        ctx.fireChannelInactive();
    }
}

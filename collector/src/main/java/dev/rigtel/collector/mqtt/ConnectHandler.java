package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.metrics.MqttMeters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
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

    /** QoS 1 PUBLISHes a client may leave unacknowledged (MQTT 5 Receive Maximum). */
    static final int RECEIVE_MAXIMUM = 64;

    private final MqttServerOptions options;
    private final Authenticator authenticator;
    private final MqttMeters meters;
    private final Disconnects disconnects;

    ConnectHandler(MqttServerOptions options, Authenticator authenticator, MqttMeters meters, Disconnects disconnects) {
        this.options = options;
        this.authenticator = authenticator;
        this.meters = meters;
        this.disconnects = disconnects;
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
            }
        }
        int keepAliveSeconds = connect.variableHeader().keepAliveTimeSeconds();
        String finalClientId = clientId;
        String finalAssigned = assignedClientId;
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
            if (RigId.problem(clientId) != null) {
                refuse(
                        channel,
                        version,
                        "bad-client-id",
                        "anonymous client id is not a valid rig id: " + RigId.problem(clientId),
                        MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
                return;
            }
            meters.connect("anonymous");
            accept(channel, version, new RigId(clientId), Role.RIG, finalClientId, finalAssigned, keepAliveSeconds);
            return;
        }
        String username = connect.payload().userName();
        byte[] password = connect.payload().passwordInBytes();
        channel.config().setAutoRead(false);
        authenticator
                .authenticate(username, password == null ? new byte[0] : password)
                .whenComplete((result, error) -> channel.eventLoop().execute(() -> {
                    if (!channel.isActive()) {
                        return;
                    }
                    channel.config().setAutoRead(true);
                    if (result instanceof Authenticator.Result.Accepted accepted) {
                        meters.connect("accepted");
                        accept(
                                channel,
                                version,
                                new RigId(accepted.username()),
                                accepted.role(),
                                finalClientId,
                                finalAssigned,
                                keepAliveSeconds);
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

    private void accept(
            Channel channel,
            MqttVersion version,
            RigId rig,
            Role role,
            String clientId,
            String assignedClientId,
            int keepAliveSeconds) {
        ArrayDeque<MqttMessage> early = channel.attr(CONNECTING).getAndSet(null);
        MqttSession session = new MqttSession(version, rig, role, clientId);
        channel.attr(MqttSession.KEY).set(session);
        meters.opened();
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (session.v5()) {
            properties = new MqttMessageBuilders.ConnAckPropertiesBuilder()
                    .maximumQos((byte) 1)
                    .retainAvailable(false)
                    .maximumPacketSize(options.maxMessageBytes() + 5L)
                    .topicAliasMaximum(0)
                    .receiveMaximum(RECEIVE_MAXIMUM)
                    .wildcardSubscriptionAvailable(false)
                    .subscriptionIdentifiersAvailable(false)
                    .sharedSubscriptionAvailable(false)
                    .assignedClientId(assignedClientId)
                    .build();
        }
        channel.writeAndFlush(MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(false)
                .properties(properties)
                .build());
        // Section 3.1.2.10: the server closes after 1.5 x keep-alive without a packet; 0 means no limit.
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
        channel.writeAndFlush(MqttMessageBuilders.connAck()
                        .returnCode(version == MqttVersion.MQTT_5 ? v5Code : v3Code)
                        .sessionPresent(false)
                        .build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ArrayDeque<MqttMessage> early = ctx.channel().attr(CONNECTING).getAndSet(null);
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
        }
        if (MqttSession.of(ctx.channel()) != null) {
            meters.gone();
        }
        ctx.fireChannelInactive();
    }
}

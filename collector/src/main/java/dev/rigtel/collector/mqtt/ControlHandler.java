package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.auth.TopicRights;
import dev.rigtel.collector.broker.Broker;
import dev.rigtel.collector.broker.Subscription;
import dev.rigtel.collector.broker.Topics;
import dev.rigtel.collector.metrics.BrokerMeters;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Every packet after CONNECT that is not a PUBLISH: PINGREQ, DISCONNECT, SUBSCRIBE, UNSUBSCRIBE and
 * the acknowledgements of QoS 1/2 flows. Packets only a server sends (CONNACK, SUBACK, ...) are
 * protocol violations.
 */
@ChannelHandler.Sharable
final class ControlHandler extends ChannelInboundHandlerAdapter {

    private static final MqttMessage PINGRESP =
            new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));

    /** MQTT 5 reason codes of SUBACK and UNSUBACK (sections 3.9.3 and 3.11.3). */
    private static final int SUBACK_FAILURE = 0x80;

    private static final int NOT_AUTHORIZED = 0x87;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final int NO_SUBSCRIPTION_EXISTED = 0x11;

    private final Disconnects disconnects;
    private final Broker broker;
    private final BrokerMeters brokerMeters;
    private final Clock clock;

    ControlHandler(Disconnects disconnects, Broker broker, BrokerMeters brokerMeters, Clock clock) {
        this.disconnects = disconnects;
        this.broker = broker;
        this.brokerMeters = brokerMeters;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttMessage message = (MqttMessage) msg;
        MqttSession session = MqttSession.of(ctx.channel());
        try {
            switch (message.fixedHeader().messageType()) {
                case PINGREQ -> ctx.writeAndFlush(PINGRESP);
                case DISCONNECT -> disconnect(ctx, session, message);
                case SUBSCRIBE -> subscribe(ctx, session, (MqttSubscribeMessage) message);
                case UNSUBSCRIBE -> unsubscribe(ctx, session, (MqttUnsubscribeMessage) message);
                case PUBACK -> session.broker.acknowledged(packetId(message), clock.millis());
                case PUBREC -> {
                    int id = packetId(message);
                    byte reason = reasonCode(message);
                    // MQTT 5 section 4.3.3: a PUBREC with a failure code ends the flow without PUBREL.
                    if ((reason & 0x80) != 0) {
                        session.broker.completed(id, clock.millis());
                    } else if (!session.broker.received(id)) {
                        ctx.writeAndFlush(MqttSession.reply(
                                MqttMessageType.PUBREL, id, session.v5() ? Disconnects.PACKET_ID_NOT_FOUND : 0));
                    }
                }
                case PUBCOMP -> session.broker.completed(packetId(message), clock.millis());
                case PUBREL -> {
                    // Section 4.3.3: PUBCOMP ends the incoming QoS 2 flow; the id may be reused after it.
                    int id = packetId(message);
                    boolean known = session.broker.released(id);
                    ctx.writeAndFlush(MqttSession.reply(
                            MqttMessageType.PUBCOMP, id, known || !session.v5() ? 0 : Disconnects.PACKET_ID_NOT_FOUND));
                }
                default ->
                    disconnects.close(
                            ctx.channel(),
                            "unexpected-packet",
                            Disconnects.PROTOCOL_ERROR,
                            message.fixedHeader().messageType() + " from a client");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void disconnect(ChannelHandlerContext ctx, MqttSession session, MqttMessage message) {
        session.disconnected = true;
        if (session.v5() && message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            // MQTT 5 section 3.14.2.1: 0x04 "Disconnect with Will Message".
            session.willOnDisconnect = header.reasonCode() == 0x04;
            Integer expiry = PublishProperties.intValue(header.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
            if (expiry != null) {
                if (session.connectExpiryZero && expiry != 0) {
                    // MQTT 5 section 3.14.2.2.2: a session that was to end may not be revived here.
                    session.disconnected = false;
                    disconnects.close(
                            ctx.channel(),
                            "protocol-error",
                            Disconnects.PROTOCOL_ERROR,
                            "DISCONNECT sets a Session Expiry Interval after CONNECT set 0");
                    return;
                }
                session.disconnectExpirySeconds = Integer.toUnsignedLong(expiry);
            }
        }
        ctx.close();
    }

    private void subscribe(ChannelHandlerContext ctx, MqttSession session, MqttSubscribeMessage subscribe) {
        int subscriptionId = 0;
        if (session.v5()) {
            var ids = subscribe
                    .idAndPropertiesVariableHeader()
                    .properties()
                    .getProperties(MqttProperties.SUBSCRIPTION_IDENTIFIER);
            // MQTT 5 section 3.8.2.1.2: at most one, 1..268,435,455; 0 or two are a Protocol Error,
            // which ends the connection with DISCONNECT 0x82 (section 4.13).
            if (ids.size() > 1) {
                disconnects.close(
                        ctx.channel(),
                        "protocol-error",
                        Disconnects.PROTOCOL_ERROR,
                        "SUBSCRIBE with more than one Subscription Identifier");
                return;
            }
            if (ids.size() == 1) {
                subscriptionId = (Integer) ids.get(0).value();
                if (subscriptionId < 1 || subscriptionId > Subscription.MAX_SUBSCRIPTION_ID) {
                    disconnects.close(
                            ctx.channel(),
                            "protocol-error",
                            Disconnects.PROTOCOL_ERROR,
                            "Subscription Identifier " + subscriptionId + " outside 1..268435455");
                    return;
                }
            }
        }
        // Section 3.9.3: one return code per filter, in order.
        List<Integer> codes = new ArrayList<>();
        List<Subscription> granted = new ArrayList<>();
        int sharedRoom = Broker.MAX_SHARED_SUBSCRIPTIONS_PER_SESSION - session.broker.sharedSubscriptions();
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            String filter = s.topicFilter();
            var option = s.option();
            boolean shared = Topics.isShared(filter);
            String problem = shared ? Topics.sharedFilterProblem(filter) : Topics.filterProblem(filter);
            if (shared && problem == null && session.v5() && option.isNoLocal()) {
                // MQTT 5 section 3.8.3.1: No Local on a shared subscription is a Protocol Error.
                disconnects.close(
                        ctx.channel(),
                        "protocol-error",
                        Disconnects.PROTOCOL_ERROR,
                        "No Local set on shared subscription " + filter);
                return;
            }
            if (problem != null) {
                brokerMeters.subscribeRefused("invalid-filter");
                codes.add(session.v5() ? Disconnects.TOPIC_FILTER_INVALID & 0xFF : SUBACK_FAILURE);
            } else if (!TopicRights.canSubscribe(session.role(), session.user(), Topics.matchedFilter(filter))) {
                // A shared subscription gives the same rights as its filter: a group cannot read more.
                brokerMeters.subscribeRefused("not-authorized");
                codes.add(session.v5() ? NOT_AUTHORIZED : SUBACK_FAILURE);
            } else if (shared && !session.broker.subscribed(filter) && sharedRoom <= 0) {
                // A fixed cap on shared subscriptions per session (README: limits), so a client cannot
                // make unbounded groups; MQTT 5 section 3.9.3 0x97 Quota exceeded.
                brokerMeters.subscribeRefused("shared-limit");
                codes.add(session.v5() ? QUOTA_EXCEEDED : SUBACK_FAILURE);
            } else {
                if (shared && !session.broker.subscribed(filter)) {
                    sharedRoom--;
                }
                // Section 3.8.4: the server may grant a lower QoS; we grant what was asked (0..2).
                int qos = Math.min(2, option.qos().value());
                granted.add(new Subscription(
                        filter,
                        qos,
                        session.v5() && option.isNoLocal(),
                        session.v5() && option.isRetainAsPublished(),
                        session.v5() ? option.retainHandling().value() : 0,
                        subscriptionId));
                codes.add(qos);
            }
        }
        // Section 3.9: SUBACK confirms the SUBSCRIBE was processed, so the subscriptions exist before
        // it is written; a message published once the client holds it must reach the client. The
        // retained messages the broker releases here still follow the SUBACK: the outlet writes
        // them as later event-loop tasks.
        if (!granted.isEmpty()) {
            broker.subscribe(session.broker, granted);
        }
        int packetId = subscribe.idAndPropertiesVariableHeader().messageId();
        ctx.writeAndFlush(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes)));
    }

    private void unsubscribe(ChannelHandlerContext ctx, MqttSession session, MqttUnsubscribeMessage unsubscribe) {
        List<Short> codes = new ArrayList<>();
        for (String filter : unsubscribe.payload().topics()) {
            boolean had = broker.unsubscribe(session.broker, filter);
            codes.add((short) (had ? 0x00 : NO_SUBSCRIPTION_EXISTED));
        }
        int packetId = unsubscribe.idAndPropertiesVariableHeader().messageId();
        // MQTT 5 section 3.11.3: one reason code per filter; a 3.1.1 UNSUBACK carries none.
        ctx.writeAndFlush(new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes)));
    }

    private static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    private static byte reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() : 0;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        disconnects.close(ctx.channel(), "io-error", (byte) 0, String.valueOf(cause.getMessage()));
    }
}

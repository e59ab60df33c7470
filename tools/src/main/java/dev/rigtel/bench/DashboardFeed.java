package dev.rigtel.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the dashboard costs the collector: one subscription to every live topic ({@value #FILTER}
 * at QoS 1), as the dashboard's feed holds it for as long as it runs, whether or not a browser is
 * open. Counts what it gets, and acknowledges each QoS 1 message.
 */
final class DashboardFeed extends ChannelInboundHandlerAdapter {

    /** The dashboard's filter (dashboard LiveTopic.FILTER). */
    static final String FILTER = "rigtel/v1/live/#";

    private final String username;
    private final String password;
    private Promise<DashboardFeed> subscribed;
    final LongAdder messages = new LongAdder();
    final LongAdder traces = new LongAdder();
    final LongAdder errors = new LongAdder();

    DashboardFeed(String username, String password) {
        this.username = username;
        this.password = password;
    }

    void whenSubscribed(Promise<DashboardFeed> promise) {
        this.subscribed = promise;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId("bench-dashboard-" + ProcessHandle.current().pid())
                .cleanSession(true)
                .keepAlive(60)
                .hasUser(true)
                .username(username)
                .hasPassword(true)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .build());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof MqttMessage message) || message.fixedHeader() == null) {
                errors.increment();
                return;
            }
            switch (message.fixedHeader().messageType()) {
                case CONNACK -> {
                    MqttConnectReturnCode code =
                            ((MqttConnAckMessage) message).variableHeader().connectReturnCode();
                    if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        subscribed.tryFailure(new IllegalStateException("dashboard feed: CONNACK " + code));
                        ctx.close();
                        return;
                    }
                    ctx.writeAndFlush(MqttMessageBuilders.subscribe()
                            .messageId(1)
                            .addSubscription(MqttQoS.AT_LEAST_ONCE, FILTER)
                            .build());
                }
                case SUBACK -> {
                    if (((MqttSubAckMessage) message)
                            .payload().grantedQoSLevels().stream().anyMatch(q -> q > 2)) {
                        subscribed.tryFailure(new IllegalStateException("dashboard feed: subscription refused"));
                    } else {
                        subscribed.trySuccess(this);
                    }
                }
                case PUBLISH -> {
                    MqttPublishMessage publish = (MqttPublishMessage) message;
                    messages.increment();
                    if (publish.variableHeader().topicName().endsWith("/trace")) {
                        traces.increment();
                    }
                    if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                        ctx.writeAndFlush(new MqttMessage(
                                new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                                MqttMessageIdVariableHeader.from(
                                        publish.variableHeader().packetId())));
                    }
                }
                default -> {}
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
            ctx.writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (subscribed != null) {
            subscribed.tryFailure(new IllegalStateException("dashboard feed: connection closed"));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors.increment();
        ctx.close();
    }
}

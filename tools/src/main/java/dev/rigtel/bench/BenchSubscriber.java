package dev.rigtel.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.nio.charset.StandardCharsets;

/**
 * An MQTT 3.1.1 subscriber of the bench: logs in, subscribes once CONNACK accepted it, completes its
 * promise on SUBACK, sends PINGREQ when idle, and hands each PUBLISH to {@link #published}. What it
 * subscribes to and what it does with a message are the subclass's.
 */
abstract class BenchSubscriber<S extends BenchSubscriber<S>> extends ChannelInboundHandlerAdapter {

    private final String name;
    private final String username;
    private final String password;
    private Promise<S> subscribed;

    /** @param name for the client id ({@code bench-<name>-<pid>}) and error messages */
    BenchSubscriber(String name, String username, String password) {
        this.name = name;
        this.username = username;
        this.password = password;
    }

    void whenSubscribed(Promise<S> promise) {
        this.subscribed = promise;
    }

    /** The SUBSCRIBE to send once connected (packet id 1). */
    abstract MqttMessage subscribe();

    /** A PUBLISH that came; released after the call. */
    abstract void published(ChannelHandlerContext ctx, MqttPublishMessage publish, long receivedNanos);

    /** Something the subscriber could not read. */
    abstract void error();

    abstract S self();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId("bench-" + name + "-" + ProcessHandle.current().pid())
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
        long now = System.nanoTime();
        try {
            if (!(msg instanceof MqttMessage message) || message.fixedHeader() == null) {
                error();
                return;
            }
            switch (message.fixedHeader().messageType()) {
                case CONNACK -> {
                    MqttConnectReturnCode code =
                            ((MqttConnAckMessage) message).variableHeader().connectReturnCode();
                    if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        subscribed.tryFailure(new IllegalStateException(name + ": CONNACK " + code));
                        ctx.close();
                        return;
                    }
                    ctx.writeAndFlush(subscribe());
                }
                case SUBACK -> {
                    if (((MqttSubAckMessage) message)
                            .payload().grantedQoSLevels().stream().anyMatch(q -> q > 2)) {
                        subscribed.tryFailure(new IllegalStateException(name + ": subscription refused"));
                    } else {
                        subscribed.trySuccess(self());
                    }
                }
                case PUBLISH -> published(ctx, (MqttPublishMessage) message, now);
                default -> {}
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        MqttLoad.pingWhenIdle(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (subscribed != null) {
            subscribed.tryFailure(new IllegalStateException(name + ": connection closed"));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        error();
        ctx.close();
    }
}

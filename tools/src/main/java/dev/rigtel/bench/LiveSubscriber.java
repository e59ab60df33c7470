package dev.rigtel.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A subscriber to rigs' own telemetry topics ({@code rigtel/v1/{rig}/imu}), which the collector routes
 * to subscribers as soon as ingest accepted a batch (collector README, "The collector as an MQTT
 * broker"): the live path a dashboard on set sees. Each batch it gets is matched, by topic and by the
 * {@code seq} read from the payload, to when the generator published it.
 */
final class LiveSubscriber extends ChannelInboundHandlerAdapter {

    private final String username;
    private final String password;
    private final List<LoadRig> rigs;
    private final Map<String, LoadRig> byTopic;
    private final ImuPayloads payloads;
    private final LoadStats stats;
    private Promise<LiveSubscriber> subscribed;

    LiveSubscriber(String username, String password, List<LoadRig> rigs, ImuPayloads payloads, LoadStats stats) {
        this.username = username;
        this.password = password;
        this.rigs = List.copyOf(rigs);
        this.byTopic = rigs.stream().collect(Collectors.toMap(LoadRig::topic, Function.identity()));
        this.payloads = payloads;
        this.stats = stats;
    }

    void whenSubscribed(Promise<LiveSubscriber> promise) {
        this.subscribed = promise;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId("bench-live-" + ProcessHandle.current().pid())
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
                stats.protocolErrors.increment();
                return;
            }
            switch (message.fixedHeader().messageType()) {
                case CONNACK -> {
                    MqttConnectReturnCode code =
                            ((MqttConnAckMessage) message).variableHeader().connectReturnCode();
                    if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        subscribed.tryFailure(new IllegalStateException("subscriber: CONNACK " + code));
                        ctx.close();
                        return;
                    }
                    MqttMessageBuilders.SubscribeBuilder subscribe =
                            MqttMessageBuilders.subscribe().messageId(1);
                    for (LoadRig rig : rigs) {
                        subscribe.addSubscription(MqttQoS.AT_MOST_ONCE, rig.topic());
                    }
                    ctx.writeAndFlush(subscribe.build());
                }
                case SUBACK -> {
                    List<Integer> granted =
                            ((MqttSubAckMessage) message).payload().grantedQoSLevels();
                    if (granted.stream().anyMatch(q -> q > 2)) {
                        subscribed.tryFailure(new IllegalStateException("subscriber: SUBACK " + granted));
                    } else {
                        subscribed.trySuccess(this);
                    }
                }
                case PUBLISH -> received((MqttPublishMessage) message, now);
                default -> {}
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void received(MqttPublishMessage publish, long now) {
        LoadRig rig = byTopic.get(publish.variableHeader().topicName());
        if (rig == null) {
            return;
        }
        ByteBuf payload = publish.payload();
        int base = payload.readerIndex();
        long seq = payloads.seqOf(i -> payload.getByte(base + i), payload.readableBytes());
        long sent = seq < 1 ? -1 : rig.sentNanos(seq);
        if (sent < 0) {
            stats.protocolErrors.increment();
            return;
        }
        stats.live(sent, now);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (subscribed != null) {
            subscribed.tryFailure(new IllegalStateException("subscriber: connection closed"));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.protocolErrors.increment();
        ctx.close();
    }
}

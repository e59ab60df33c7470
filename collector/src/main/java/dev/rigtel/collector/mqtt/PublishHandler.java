package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.ingest.ErrorNotice;
import dev.rigtel.collector.ingest.IngestResult;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.RejectReason;
import dev.rigtel.collector.metrics.MqttMeters;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.TimeUnit;

/**
 * PUBLISH from a connected rig. Copies the payload out of the {@code ByteBuf} (nothing past
 * {@code mqtt/} holds one), hands it to {@link IngestService}, and sends the QoS 1 PUBACK only when
 * the write path reports the data stored. When the write buffer is over capacity the channel stops
 * reading until it drains: back-pressure through TCP instead of a growing heap.
 */
@ChannelHandler.Sharable
final class PublishHandler extends ChannelInboundHandlerAdapter {

    private final IngestService ingest;
    private final MqttMeters meters;
    private final Disconnects disconnects;

    private final double ratePerNano;
    private final double burst;

    PublishHandler(IngestService ingest, MqttMeters meters, Disconnects disconnects, int maxMessagesPerSecond) {
        this.ingest = ingest;
        this.meters = meters;
        this.disconnects = disconnects;
        this.ratePerNano = maxMessagesPerSecond / 1e9;
        this.burst = 2.0 * maxMessagesPerSecond;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttPublishMessage publish)) {
            ctx.fireChannelRead(msg);
            return;
        }
        byte[] payload;
        try {
            payload = ByteBufUtil.getBytes(publish.payload());
        } finally {
            publish.release();
        }
        Channel channel = ctx.channel();
        MqttSession session = MqttSession.of(channel);
        MqttQoS qos = publish.fixedHeader().qosLevel();
        String topic = publish.variableHeader().topicName();
        meters.publish(qos.value(), payload.length);
        if (qos == MqttQoS.EXACTLY_ONCE) {
            // We announce Maximum QoS 1 (MQTT 5 section 3.2.2.3.4); 3.1.1 has no way to refuse but closing.
            disconnects.close(
                    channel, "qos2-unsupported", Disconnects.QOS_NOT_SUPPORTED, "PUBLISH at QoS 2 on " + topic);
            return;
        }
        Object ackSlot = qos == MqttQoS.AT_LEAST_ONCE
                ? session.expectAck(publish.variableHeader().packetId())
                : null;
        Runnable onStored = ackSlot == null
                ? () -> {}
                : () -> channel.eventLoop().execute(() -> session.ackReady(channel, ackSlot, (byte) 0));
        IngestResult result = ingest.accept(session.publisher(), topic, payload, onStored);
        if (result instanceof IngestResult.Rejected rejected) {
            if ((rejected.reason() == RejectReason.FOREIGN_TOPIC || rejected.reason() == RejectReason.NOT_AUTHORIZED)
                    && !session.v5()) {
                // MQTT 3.1.1 section 3.3.5: an unauthorised PUBLISH is either acknowledged or the
                // connection closed; a rig writing under another rig's id is misconfigured or hostile.
                disconnects.close(channel, rejected.reason().tag(), (byte) 0, "PUBLISH to " + topic);
                return;
            }
            if (ackSlot != null) {
                session.ackReady(channel, ackSlot, reasonCode(rejected.reason()));
            }
            if (session.errorSubscribed) {
                byte[] notice = ErrorNotice.json(
                        rejected.reason().tag(),
                        rejected.message(),
                        topic,
                        qos == MqttQoS.AT_LEAST_ONCE ? publish.variableHeader().packetId() : 0);
                channel.writeAndFlush(MqttMessageBuilders.publish()
                        .topicName(session.errorTopic())
                        .qos(MqttQoS.AT_MOST_ONCE)
                        .retained(false)
                        .payload(Unpooled.wrappedBuffer(notice))
                        .build());
            }
            return;
        }
        if (!session.paused && ingest.overCapacity()) {
            pause(channel, session);
        }
        throttle(channel, session);
    }

    /**
     * Per-connection rate limit, a token bucket: a connection over its rate is not read until it is
     * back under (TCP slows the client down); what it already sent is processed, never dropped.
     */
    private void throttle(Channel channel, MqttSession session) {
        long now = System.nanoTime();
        if (session.tokensAtNanos == 0) {
            session.tokens = burst;
        } else {
            session.tokens = Math.min(burst, session.tokens + (now - session.tokensAtNanos) * ratePerNano);
        }
        session.tokensAtNanos = now;
        session.tokens -= 1;
        if (session.tokens < 0 && !session.throttled) {
            session.throttled = true;
            channel.config().setAutoRead(false);
            meters.throttled();
            long waitNanos = (long) (-session.tokens / ratePerNano) + 1;
            channel.eventLoop()
                    .schedule(
                            () -> {
                                session.throttled = false;
                                if (!session.paused) {
                                    channel.config().setAutoRead(true);
                                }
                            },
                            waitNanos,
                            TimeUnit.NANOSECONDS);
        }
    }

    private void pause(Channel channel, MqttSession session) {
        session.paused = true;
        session.pausedSinceNanos = System.nanoTime();
        channel.config().setAutoRead(false);
        meters.paused();
        ingest.whenReadyToRead(() -> channel.eventLoop().execute(() -> {
            session.paused = false;
            meters.resumed(System.nanoTime() - session.pausedSinceNanos);
            if (!session.throttled) {
                channel.config().setAutoRead(true);
            }
        }));
    }

    /** MQTT 5 PUBACK reason codes (section 3.4.2.1); 3.1.1 PUBACKs carry none. */
    private static byte reasonCode(RejectReason reason) {
        return switch (reason) {
            case FOREIGN_TOPIC, NOT_AUTHORIZED -> Disconnects.NOT_AUTHORIZED;
            case UNKNOWN_TOPIC -> Disconnects.TOPIC_NAME_INVALID;
            default -> Disconnects.PAYLOAD_FORMAT_INVALID;
        };
    }
}

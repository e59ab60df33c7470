package dev.rigtel.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
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
final class LiveSubscriber extends BenchSubscriber<LiveSubscriber> {

    private final List<LoadRig> rigs;
    private final Map<String, LoadRig> byTopic;
    private final ImuPayloads payloads;
    private final LoadStats stats;

    LiveSubscriber(String username, String password, List<LoadRig> rigs, ImuPayloads payloads, LoadStats stats) {
        super("live", username, password);
        this.rigs = List.copyOf(rigs);
        this.byTopic = rigs.stream().collect(Collectors.toMap(LoadRig::topic, Function.identity()));
        this.payloads = payloads;
        this.stats = stats;
    }

    @Override
    MqttMessage subscribe() {
        MqttMessageBuilders.SubscribeBuilder subscribe =
                MqttMessageBuilders.subscribe().messageId(1);
        for (LoadRig rig : rigs) {
            subscribe.addSubscription(MqttQoS.AT_MOST_ONCE, rig.topic());
        }
        return subscribe.build();
    }

    @Override
    void published(ChannelHandlerContext ctx, MqttPublishMessage publish, long now) {
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
    void error() {
        stats.protocolErrors.increment();
    }

    @Override
    LiveSubscriber self() {
        return this;
    }
}

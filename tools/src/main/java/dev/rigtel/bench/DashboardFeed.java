package dev.rigtel.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the dashboard costs the collector: one subscription to every live topic ({@value #FILTER}
 * at QoS 1), as the dashboard's feed holds it for as long as it runs, whether or not a browser is
 * open. Counts what it gets, and acknowledges each QoS 1 message.
 */
final class DashboardFeed extends BenchSubscriber<DashboardFeed> {

    /** The dashboard's filter (dashboard LiveTopic.FILTER). */
    static final String FILTER = "rigtel/v1/live/#";

    final LongAdder messages = new LongAdder();
    final LongAdder traces = new LongAdder();
    final LongAdder errors = new LongAdder();

    DashboardFeed(String username, String password) {
        super("dashboard", username, password);
    }

    @Override
    MqttMessage subscribe() {
        return MqttMessageBuilders.subscribe()
                .messageId(1)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, FILTER)
                .build();
    }

    @Override
    void published(ChannelHandlerContext ctx, MqttPublishMessage publish, long receivedNanos) {
        messages.increment();
        if (publish.variableHeader().topicName().endsWith("/trace")) {
            traces.increment();
        }
        if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            ctx.writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                    MqttMessageIdVariableHeader.from(publish.variableHeader().packetId())));
        }
    }

    @Override
    void error() {
        errors.increment();
    }

    @Override
    DashboardFeed self() {
        return this;
    }
}

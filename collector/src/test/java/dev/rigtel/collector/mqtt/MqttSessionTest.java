package dev.rigtel.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.ingest.RigId;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MqttSessionTest {

    private final AtomicInteger flushes = new AtomicInteger();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
        }
    });
    private final MqttSession session =
            new MqttSession(MqttVersion.MQTT_3_1_1, new RigId("rig-01"), Role.RIG, "rig-01");

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private List<Integer> acknowledged() {
        List<Integer> ids = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            MqttMessage message = (MqttMessage) out;
            assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
            ids.add(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
        }
        return ids;
    }

    @Test
    void acknowledgementsMadeReadyTogetherOffTheLoopLeaveInOrderInOneFlush() throws Exception {
        List<Object> slots = new ArrayList<>();
        for (int id = 1; id <= 10; id++) {
            slots.add(session.expectAck(id, MqttQoS.AT_LEAST_ONCE));
        }
        // Like the spool's sync thread after one group commit: out of the event loop, in order.
        Thread sync = new Thread(() -> slots.forEach(slot -> session.ackReadyLater(channel, slot)));
        sync.start();
        sync.join();
        assertThat(acknowledged())
                .as("nothing leaves before the event loop runs")
                .isEmpty();

        channel.runPendingTasks();

        assertThat(acknowledged()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(flushes.get()).isEqualTo(1);
        assertThat(session.pendingAcks()).isZero();
    }

    @Test
    void aDurableAcknowledgementWaitsForTheOnesBeforeIt() {
        Object first = session.expectAck(1, MqttQoS.AT_LEAST_ONCE);
        Object second = session.expectAck(2, MqttQoS.AT_LEAST_ONCE);

        session.ackReadyLater(channel, second);
        channel.runPendingTasks();
        assertThat(acknowledged()).isEmpty();

        session.ackReady(channel, first, (byte) 0);
        assertThat(acknowledged()).containsExactly(1, 2);
    }
}

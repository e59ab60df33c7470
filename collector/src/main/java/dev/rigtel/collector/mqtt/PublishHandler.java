package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.auth.TopicRights;
import dev.rigtel.collector.broker.Broker;
import dev.rigtel.collector.broker.BrokerMessage;
import dev.rigtel.collector.broker.MessageProperties;
import dev.rigtel.collector.broker.Topics;
import dev.rigtel.collector.commands.CommandTopics;
import dev.rigtel.collector.commands.ResultOutcome;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.ingest.ErrorNotice;
import dev.rigtel.collector.ingest.IngestResult;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.RejectReason;
import dev.rigtel.collector.ingest.RigTopic;
import dev.rigtel.collector.metrics.MqttMeters;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * PUBLISH from a connected client. Copies the payload out of the {@code ByteBuf} (nothing past
 * {@code mqtt/} holds one). Telemetry and slate events go to {@link IngestService}, and their QoS 1
 * PUBACK or QoS 2 PUBREC is sent only when the write path reports the data durable; other topics
 * the client may publish on go to subscribers only. Whatever is accepted is routed through the
 * {@link Broker} at once. When the write buffer is over capacity the channel stops reading until it
 * drains: back-pressure through TCP instead of a growing heap.
 */
@ChannelHandler.Sharable
final class PublishHandler extends ChannelInboundHandlerAdapter {

    private final IngestService ingest;
    private final MqttMeters meters;
    private final Disconnects disconnects;
    private final Broker broker;
    private final RigCommands commands;
    private final Clock clock;

    private final double ratePerNano;
    private final double burst;

    PublishHandler(
            IngestService ingest,
            MqttMeters meters,
            Disconnects disconnects,
            int maxMessagesPerSecond,
            Broker broker,
            RigCommands commands,
            Clock clock) {
        this.ingest = ingest;
        this.broker = broker;
        this.commands = commands;
        this.clock = clock;
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
        int packetId = publish.variableHeader().packetId();
        MqttProperties properties = publish.variableHeader().properties();
        meters.publish(qos.value(), payload.length);
        // Every PUBLISH draws from the connection's budget, refused or not: a refusal costs as much
        // CPU as an acceptance (decode, count, answer), so rejects must not be a way around it.
        throttle(channel, session);
        String topic = topic(channel, session, publish.variableHeader().topicName(), properties);
        if (topic == null) {
            return;
        }
        if (qos != MqttQoS.AT_MOST_ONCE && session.v5() && session.unacknowledged() >= ConnectHandler.RECEIVE_MAXIMUM) {
            // MQTT 5 section 3.3.4: more unacknowledged QoS 1/2 PUBLISHes than our Receive Maximum.
            disconnects.close(
                    channel,
                    "receive-maximum-exceeded",
                    Disconnects.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than " + ConnectHandler.RECEIVE_MAXIMUM + " unacknowledged PUBLISHes");
            return;
        }
        if (topic.startsWith("$")) {
            refuseReservedTopic(channel, session, topic, qos, packetId);
            return;
        }
        if (qos == MqttQoS.EXACTLY_ONCE && !session.broker.firstDelivery(packetId)) {
            // Section 4.3.3: a QoS 2 PUBLISH seen again before PUBREL is not processed again, only
            // acknowledged again.
            session.ackReady(channel, session.expectAck(packetId, qos), (byte) 0);
            return;
        }
        Object ackSlot = qos == MqttQoS.AT_MOST_ONCE ? null : session.expectAck(packetId, qos);
        long now = clock.millis();
        BrokerMessage message = new BrokerMessage(
                topic,
                payload,
                qos.value(),
                publish.fixedHeader().isRetain(),
                session.v5() ? PublishProperties.of(properties) : MessageProperties.NONE,
                session.v5() ? PublishProperties.expiresAtMillis(properties, now) : BrokerMessage.NEVER);
        if (!ingestTopic(topic) && TopicRights.canPublish(session.role(), session.user(), topic)) {
            String resultOf = CommandTopics.resultRig(topic);
            if (resultOf != null && commands.result(resultOf, payload) instanceof ResultOutcome.Rejected rejected) {
                // firmware-notes/commands.md: a refused result is acknowledged like refused telemetry.
                if (qos == MqttQoS.EXACTLY_ONCE) {
                    session.broker.released(packetId);
                }
                if (ackSlot != null) {
                    session.ackReady(channel, ackSlot, Disconnects.PAYLOAD_FORMAT_INVALID);
                }
                byte[] notice = ErrorNotice.json(
                        rejected.reason(), rejected.message(), topic, qos == MqttQoS.AT_MOST_ONCE ? 0 : packetId);
                broker.publish(BrokerMessage.of(session.errorTopic(), notice, 0, false), null);
                return;
            }
            // Not telemetry: command results and an admin's own topics go to subscribers only.
            int offered = broker.publish(message, session.broker.key());
            if (ackSlot != null) {
                session.ackReady(channel, ackSlot, offered == 0 ? Disconnects.NO_MATCHING_SUBSCRIBERS : 0);
            }
            return;
        }
        Runnable onStored = ackSlot == null ? () -> {} : () -> session.ackReadyLater(channel, ackSlot);
        // The spool dropped it after a failed fsync, unacknowledged: closing the connection makes the
        // client send it again once it reconnects (MQTT 3.1.1 section 4.4, MQTT 5 section 4.4).
        Runnable onLost = ackSlot == null
                ? () -> {}
                : () -> channel.eventLoop().execute(() -> {
                    if (qos == MqttQoS.EXACTLY_ONCE && session.broker != null) {
                        session.broker.released(packetId);
                    }
                    disconnects.close(
                            channel,
                            "not-durable",
                            Disconnects.UNSPECIFIED_ERROR,
                            "the spool could not make a message durable (disk fault); send it again");
                });
        IngestResult result = ingest.accept(session.publisher(), topic, payload, onStored, onLost);
        if (result instanceof IngestResult.Rejected rejected) {
            if (qos == MqttQoS.EXACTLY_ONCE) {
                // Refused, so nothing was delivered: a retry with this packet id is a new message.
                session.broker.released(packetId);
            }
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
            // Anyone allowed to read the publisher's error topic learns why (firmware-notes).
            byte[] notice = ErrorNotice.json(
                    rejected.reason().tag(), rejected.message(), topic, qos == MqttQoS.AT_MOST_ONCE ? 0 : packetId);
            broker.publish(BrokerMessage.of(session.errorTopic(), notice, 0, false), null);
            return;
        }
        // Accepted for storage: subscribers get it now; the publisher's acknowledgement waits for
        // durability.
        broker.publish(message, session.broker.key());
        if (!session.paused && ingest.overCapacity()) {
            pause(channel, session);
        }
    }

    /**
     * The PUBLISH's topic after MQTT 5 topic alias handling (section 3.3.2.3.4), or null if the
     * connection was closed for a bad topic or alias.
     */
    private String topic(Channel channel, MqttSession session, String name, MqttProperties properties) {
        String topic = name == null ? "" : name;
        Integer alias = session.v5() ? PublishProperties.intValue(properties, MqttProperties.TOPIC_ALIAS) : null;
        if (alias != null) {
            if (alias == 0 || alias > ConnectHandler.TOPIC_ALIAS_MAXIMUM) {
                disconnects.close(
                        channel,
                        "topic-alias-invalid",
                        Disconnects.TOPIC_ALIAS_INVALID,
                        "topic alias " + alias + " outside 1.." + ConnectHandler.TOPIC_ALIAS_MAXIMUM);
                return null;
            }
            if (topic.isEmpty()) {
                topic = session.topicAliases.get(alias);
                if (topic == null) {
                    disconnects.close(
                            channel,
                            "topic-alias-invalid",
                            Disconnects.PROTOCOL_ERROR,
                            "topic alias " + alias + " used before it was set");
                    return null;
                }
            } else {
                session.topicAliases.put(alias, topic);
            }
        }
        String problem = Topics.nameProblem(topic);
        if (problem != null) {
            disconnects.close(channel, "bad-topic", Disconnects.TOPIC_NAME_INVALID, problem);
            return null;
        }
        return topic;
    }

    /**
     * A PUBLISH to a topic beginning with '$' ({@code $SYS/...}, {@code $share/...}): those names are
     * the server's (MQTT 5 section 4.7.2, MQTT 3.1.1 section 4.7.2), so no client may publish one,
     * an admin included. Not a rig's topic, so not ingest's business: refused here, counted as
     * {@code rigtel.mqtt.publishes.refused{reason=reserved-topic}} and logged once a minute. MQTT 5
     * QoS 1/2 gets PUBACK/PUBREC 0x87 Not authorized, the code Mosquitto gives and the one this
     * server gives every other publish the user may not make (0x90 Topic Name invalid would say the
     * name is wrong, but it is well-formed, only reserved); QoS 0 has no answer. MQTT 3.1.1 has no
     * reason codes: the connection is closed, as for every other refused PUBLISH of a 3.1.1 client,
     * since acknowledging it would tell the client it was delivered.
     */
    private void refuseReservedTopic(Channel channel, MqttSession session, String topic, MqttQoS qos, int packetId) {
        disconnects.refusePublish(channel, "reserved-topic", "PUBLISH to " + topic + ": '$' topics are the server's");
        if (!session.v5()) {
            disconnects.close(channel, "reserved-topic", (byte) 0, "PUBLISH to " + topic);
            return;
        }
        if (qos != MqttQoS.AT_MOST_ONCE) {
            session.ackReady(channel, session.expectAck(packetId, qos), Disconnects.NOT_AUTHORIZED);
        }
    }

    /** Topics the ingest path owns: rig telemetry and slate events. */
    static boolean ingestTopic(String topic) {
        return IngestService.SLATE_TOPIC.equals(topic) || RigTopic.parse(topic).isPresent();
    }

    /**
     * Per-connection rate limit on PUBLISH packets, accepted or refused, a token bucket: a connection
     * over its rate is not read until it is back under (TCP slows the client down); what it already
     * sent is processed and answered, never dropped.
     */
    private void throttle(Channel channel, MqttSession session) {
        refill(session);
        session.tokens -= 1;
        if (session.tokens < 0 && !session.throttled) {
            session.throttled = true;
            channel.config().setAutoRead(false);
            meters.throttled();
            resumeWhenPaid(channel, session);
        }
    }

    private void refill(MqttSession session) {
        long now = System.nanoTime();
        if (session.tokensAtNanos == 0) {
            session.tokens = burst;
        } else {
            session.tokens = Math.min(burst, session.tokens + (now - session.tokensAtNanos) * ratePerNano);
        }
        session.tokensAtNanos = now;
    }

    /**
     * Reads again once the budget is back above zero. The PUBLISHes already read when it went under
     * are still processed, each taking a token, so the wait covers all of them (checked again when
     * it ends): the connection's rate over time is the limit, not the limit plus what one read holds.
     */
    private void resumeWhenPaid(Channel channel, MqttSession session) {
        refill(session);
        if (session.tokens < 0) {
            long waitNanos = (long) (-session.tokens / ratePerNano) + 1;
            channel.eventLoop().schedule(() -> resumeWhenPaid(channel, session), waitNanos, TimeUnit.NANOSECONDS);
            return;
        }
        session.throttled = false;
        if (!session.paused) {
            channel.config().setAutoRead(true);
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

package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.metrics.MqttMeters;
import dev.rigtel.common.log.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections the way the spec says, and counts and logs (once per reason per minute) why.
 * MQTT 3.1.1 can only close the network connection (section 4.8); MQTT 5 first sends DISCONNECT with
 * a reason code when the connection was established (section 4.13).
 */
final class Disconnects {

    private static final Logger log = LoggerFactory.getLogger(Disconnects.class);

    /** MQTT 5 reason codes (section 2.4). */
    static final byte NO_MATCHING_SUBSCRIBERS = (byte) 0x10;

    static final byte UNSPECIFIED_ERROR = (byte) 0x80;
    static final byte MALFORMED_PACKET = (byte) 0x81;

    static final byte PROTOCOL_ERROR = (byte) 0x82;
    static final byte NOT_AUTHORIZED = (byte) 0x87;
    static final byte SERVER_SHUTTING_DOWN = (byte) 0x8B;
    static final byte KEEP_ALIVE_TIMEOUT = (byte) 0x8D;
    static final byte SESSION_TAKEN_OVER = (byte) 0x8E;
    static final byte TOPIC_FILTER_INVALID = (byte) 0x8F;
    static final byte PACKET_ID_NOT_FOUND = (byte) 0x92;
    static final byte RECEIVE_MAXIMUM_EXCEEDED = (byte) 0x93;
    static final byte TOPIC_ALIAS_INVALID = (byte) 0x94;
    static final byte TOPIC_NAME_INVALID = (byte) 0x90;
    static final byte PACKET_TOO_LARGE = (byte) 0x95;
    static final byte PAYLOAD_FORMAT_INVALID = (byte) 0x99;

    private final MqttMeters meters;
    private final RateLimitedLog rateLimited;

    Disconnects(MqttMeters meters, Clock clock) {
        this.meters = meters;
        this.rateLimited = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
    }

    /** Counts and logs a refused CONNECT; the caller answers with CONNACK and closes. */
    void countRefusal(String result, String detail, Channel channel) {
        meters.connect(result);
        rateLimited.warn(
                "connect/" + result, "refused MQTT CONNECT from {} ({}): {}", channel.remoteAddress(), result, detail);
    }

    /**
     * Counts and logs a refused PUBLISH that does not end the connection by itself.
     *
     * @param reason the bounded {@code reason} tag of {@code rigtel.mqtt.publishes.refused}
     */
    void refusePublish(Channel channel, String reason, String detail) {
        meters.publishRefused(reason);
        MqttSession session = MqttSession.of(channel);
        rateLimited.warn(
                "publish/" + reason,
                "refused MQTT PUBLISH from {} ({}){}: {}",
                channel.remoteAddress(),
                reason,
                session == null ? "" : " user " + session.rig(),
                detail);
    }

    /**
     * Closes {@code channel} for a protocol violation or timeout.
     *
     * @param reason the bounded {@code reason} tag of {@code rigtel.mqtt.closed}
     * @param v5ReasonCode sent in a DISCONNECT first if the session speaks MQTT 5, or 0 for none
     */
    void close(Channel channel, String reason, byte v5ReasonCode, String detail) {
        if (!channel.isActive()) {
            return;
        }
        meters.closed(reason);
        MqttSession session = MqttSession.of(channel);
        rateLimited.warn(
                reason,
                "closing MQTT connection from {} ({}){}: {}",
                channel.remoteAddress(),
                reason,
                session == null ? "" : " rig " + session.rig(),
                detail);
        if (session != null && session.v5() && v5ReasonCode != 0) {
            channel.writeAndFlush(MqttMessageBuilders.disconnect()
                            .reasonCode(v5ReasonCode)
                            .build())
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}

package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.broker.Broker;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.metrics.MqttMeters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Builds each MQTT connection's pipeline; the comments say why the order is what it is. */
public final class MqttServerInitializer extends ChannelInitializer<Channel> {

    /** MQTT 5's limit on client identifiers we accept; 3.1.1 servers must allow at least 23. */
    private static final int MAX_CLIENT_ID_LENGTH = 256;

    private final MqttServerOptions options;
    private final Disconnects disconnects;
    private final DecoderFailureHandler decoderFailures;
    private final IdleCloser idleCloser;
    private final ConnectHandler connect;
    private final PublishHandler publish;
    private final ControlHandler control;
    private final ConnectionLimiter limiter;
    private final SslContext tls;

    public MqttServerInitializer(
            MqttServerOptions options,
            Authenticator authenticator,
            IngestService ingest,
            Broker broker,
            RigCommands commands,
            MqttMeters meters,
            BrokerMeters brokerMeters,
            Clock clock) {
        this(options, authenticator, ingest, broker, commands, meters, brokerMeters, clock, null);
    }

    /** @param tls a server TLS context (MQTT over TLS), or null for plain TCP */
    public MqttServerInitializer(
            MqttServerOptions options,
            Authenticator authenticator,
            IngestService ingest,
            Broker broker,
            RigCommands commands,
            MqttMeters meters,
            BrokerMeters brokerMeters,
            Clock clock,
            SslContext tls) {
        this.tls = tls;
        this.limiter =
                new ConnectionLimiter(options.maxConnections(), options.maxConnectionsPerAddress(), meters, clock);
        this.options = options;
        this.disconnects = new Disconnects(meters, clock);
        this.decoderFailures = new DecoderFailureHandler(disconnects);
        this.idleCloser = new IdleCloser(disconnects);
        this.connect = new ConnectHandler(options, authenticator, meters, disconnects, broker, ingest, clock);
        this.publish = new PublishHandler(
                ingest, meters, disconnects, options.maxMessagesPerSecond(), broker, commands, clock);
        this.control = new ControlHandler(disconnects, broker, brokerMeters, clock);
    }

    /** Closes every MQTT connection of this listener, telling MQTT 5 clients the server is shutting down. */
    public void closeConnections() {
        connect.closeAll(2000);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        // Before anything else: over the connection limit, a connection costs nothing more.
        p.addLast(MqttHandlerNames.LIMITER, limiter);
        if (tls != null) {
            p.addLast(MqttHandlerNames.TLS, tls.newHandler(ch.alloc()));
        }
        // First: refuse an oversized packet from its fixed header, before anything buffers it.
        p.addLast(MqttHandlerNames.FRAMER, new MqttFrameLimiter(options.maxMessageBytes(), disconnects));
        // The framer above enforces the limit on the remaining length exactly; Netty's decoder counts
        // the fixed header into its own limit, so given the bare limit it would call the last few
        // bytes below it malformed.
        p.addLast(
                MqttHandlerNames.DECODER,
                new MqttDecoder(MqttFrameLimiter.largestPacketBytes(options.maxMessageBytes()), MAX_CLIENT_ID_LENGTH));
        p.addLast(MqttHandlerNames.ENCODER, MqttEncoder.INSTANCE);
        // Right after the decoder: a malformed packet arrives as a plain MqttMessage with a failed
        // decoderResult() and would slip past the typed handlers below.
        p.addLast(MqttHandlerNames.DECODER_FAILURES, decoderFailures);
        // Until CONNECT only the connect timeout applies; ConnectHandler then replaces this with
        // 1.5 x the client's keep-alive (MQTT 3.1.1 section 3.1.2.10).
        p.addLast(
                MqttHandlerNames.IDLE,
                new IdleStateHandler(options.connectTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast(MqttHandlerNames.IDLE_CLOSER, idleCloser);
        // CONNECT gates everything: nothing reaches PUBLISH or control handling before a session exists.
        p.addLast(MqttHandlerNames.CONNECT, connect);
        p.addLast(MqttHandlerNames.PUBLISH, publish);
        p.addLast(MqttHandlerNames.CONTROL, control);
    }
}

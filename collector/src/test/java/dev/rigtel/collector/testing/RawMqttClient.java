package dev.rigtel.collector.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An MQTT client on a plain socket that sends exactly the packets a test gives it and acknowledges
 * nothing by itself, for the behaviours a library client hides (it always sends PUBACK, never
 * forgets a PINGREQ). Packets are encoded and decoded with Netty's MQTT codec; a reader thread
 * decodes what the server writes, copying PUBLISH payloads onto the heap so no pooled buffer
 * outlives it.
 */
public final class RawMqttClient implements AutoCloseable {

    private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private final Socket socket;
    private final MqttFrames frames = new MqttFrames();
    private final BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long closedAtNanos;

    private RawMqttClient(Socket socket, MqttVersion version) {
        this.socket = socket;
        EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1 << 20));
        decoder.attr(VERSION).set(version);
        Thread reader = new Thread(() -> read(decoder), "raw-mqtt-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a TCP connection to 127.0.0.1:{@code port}; send a CONNECT of {@code version} first. */
    public static RawMqttClient open(int port, MqttVersion version) {
        return open("127.0.0.1", port, version);
    }

    /**
     * Opens a TCP connection from {@code localAddress} (any of 127.0.0.0/8 on Linux, to look like
     * another host) to 127.0.0.1:{@code port}.
     */
    public static RawMqttClient open(String localAddress, int port, MqttVersion version) {
        try {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return new RawMqttClient(socket, version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CONNECT with a username and password. */
    public static MqttMessageBuilders.ConnectBuilder connect(
            MqttVersion version, String clientId, String user, String password) {
        return MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId(clientId)
                .cleanSession(true)
                .keepAlive(60)
                .hasUser(true)
                .username(user)
                .hasPassword(true)
                .password(password.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends CONNECT and returns the CONNACK. */
    public MqttMessage handshake(MqttConnectMessage connect) {
        send(connect);
        return next(MqttMessageType.CONNACK);
    }

    public static MqttMessage subscribe(int packetId, MqttQoS qos, String filter) {
        return MqttMessageBuilders.subscribe()
                .messageId(packetId)
                .addSubscription(qos, filter)
                .build();
    }

    /** A PUBLISH; {@code dup} marks a resend (section 3.3.1.1). */
    public static MqttPublishMessage publish(
            String topic, MqttQoS qos, int packetId, byte[] payload, boolean dup, MqttProperties properties) {
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, dup, qos, false, 0),
                new MqttPublishVariableHeader(topic, packetId, properties),
                Unpooled.wrappedBuffer(payload));
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP (PUBREL's fixed header carries QoS 1 flags, section 3.6.1). */
    public static MqttMessage reply(MqttMessageType type, int packetId) {
        MqttQoS flags = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(
                new MqttFixedHeader(type, false, flags, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) 0, MqttProperties.NO_PROPERTIES));
    }

    public static MqttMessage pingreq() {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));
    }

    public void send(MqttMessage message) {
        ByteBuf bytes = frames.encode(message);
        try {
            socket.getOutputStream().write(ByteBufUtil.getBytes(bytes));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            bytes.release();
        }
    }

    /** The next packet from the server; fails if none comes within 5 s. */
    public MqttMessage next() {
        return next(Duration.ofSeconds(5));
    }

    public MqttMessage next(Duration timeout) {
        try {
            MqttMessage message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no packet from the server within " + timeout
                        + (closed.getCount() == 0 ? " (connection closed)" : ""));
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next packet, which must be of {@code type}. */
    @SuppressWarnings("unchecked")
    public <T extends MqttMessage> T next(MqttMessageType type) {
        MqttMessage message = next();
        if (message.fixedHeader().messageType() != type) {
            throw new AssertionError("expected " + type + " but the server sent " + message);
        }
        return (T) message;
    }

    /** True once the server closed the connection (end of stream or reset). */
    public boolean closedByServer() {
        return closed.getCount() == 0;
    }

    /** {@link System#nanoTime()} when the connection was seen closed, or 0. */
    public long closedAtNanos() {
        return closedAtNanos;
    }

    /** Closes the socket with a TCP reset and no DISCONNECT: to the server, the client vanished. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        frames.close();
    }

    private void read(EmbeddedChannel decoder) {
        byte[] buffer = new byte[8192];
        // The input stream is not closed here: closing it closes the socket, and a test may still be
        // writing the packet the server answered by closing (a race seen on a loaded machine).
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                decoder.writeInbound(Unpooled.wrappedBuffer(buffer.clone(), 0, n));
                Object message;
                while ((message = decoder.readInbound()) != null) {
                    received.add(onHeap((MqttMessage) message));
                }
            }
        } catch (IOException e) {
            // reset by the server, or closed by the test: either way the connection is gone
        } finally {
            closedAtNanos = System.nanoTime();
            closed.countDown();
            decoder.finishAndReleaseAll();
        }
    }

    /** A decoded PUBLISH holds a pooled buffer: copy its payload and release it at once. */
    private static MqttMessage onHeap(MqttMessage message) {
        if (message instanceof MqttPublishMessage publish) {
            try {
                return new MqttPublishMessage(
                        publish.fixedHeader(),
                        publish.variableHeader(),
                        Unpooled.wrappedBuffer(ByteBufUtil.getBytes(publish.payload())));
            } finally {
                publish.release();
            }
        }
        return message;
    }
}

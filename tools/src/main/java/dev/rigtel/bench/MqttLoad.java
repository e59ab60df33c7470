package dev.rigtel.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load generator: many {@link LoadRig} connections on a few NIO event loops of one process, and
 * optionally a {@link LiveSubscriber}. Close it to close every connection and its event loops.
 */
final class MqttLoad implements AutoCloseable {

    /**
     * The keep-alive of every bench connection's handler: nothing written for a keep-alive interval
     * (the pipeline's {@link IdleStateHandler}) sends a PINGREQ, MQTT 3.1.1 section 3.1.2.10; other
     * events go on down the pipeline.
     */
    static void pingWhenIdle(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Connections being set up at once: keeps the server's accept backlog (1024) from overflowing. */
    private static final int CONNECTING_AT_ONCE = 256;

    private final EventLoopGroup group;
    private final InetSocketAddress broker;
    private final String rigPrefix;
    private final LoadStats stats = new LoadStats();
    private final List<LoadRig> rigs = new ArrayList<>();
    private final List<io.netty.channel.Channel> channels = new ArrayList<>();

    MqttLoad(InetSocketAddress broker, int threads) {
        this(broker, threads, "rig-");
    }

    /** Rigs named {@code <rigPrefix>00001...}: a warm-up's rigs are not the measured ones. */
    MqttLoad(InetSocketAddress broker, int threads, String rigPrefix) {
        this.broker = broker;
        this.rigPrefix = rigPrefix;
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    LoadStats stats() {
        return stats;
    }

    List<LoadRig> rigs() {
        return rigs;
    }

    /**
     * Connects {@code count} rigs named {@code rig-00001...} (or with the given prefix); returns when every one has its CONNACK.
     *
     * @param boots a run-unique prefix for boot ids, so that two runs never share a boot
     */
    List<LoadRig> connect(
            int count,
            ImuPayloads payloads,
            BatchSequence sequence,
            int window,
            int keepAliveSeconds,
            int bootSeed,
            long timeoutSeconds)
            throws InterruptedException, TimeoutException {
        Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
        List<Promise<LoadRig>> promises = new ArrayList<>(count);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int i = 0; i < count; i++) {
            if (!connecting.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("connections did not complete within " + timeoutSeconds + " s");
            }
            LoadRig rig = new LoadRig(
                    rigName(rigPrefix, i + 1),
                    bootId(bootSeed, i + 1),
                    payloads,
                    sequence,
                    stats,
                    window,
                    keepAliveSeconds);
            Promise<LoadRig> promise = group.next().newPromise();
            promise.addListener(f -> connecting.release());
            rig.whenConnected(promise);
            ChannelFuture future = bootstrap(keepAliveSeconds, rig).connect(broker);
            future.addListener(f -> {
                if (!f.isSuccess()) {
                    promise.tryFailure(f.cause());
                }
            });
            synchronized (channels) {
                channels.add(future.channel());
            }
            rigs.add(rig);
            promises.add(promise);
        }
        for (Promise<LoadRig> promise : promises) {
            long left = deadline - System.nanoTime();
            try {
                promise.get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "a rig could not connect: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return List.copyOf(rigs);
    }

    /** Connects a subscriber to the telemetry topics of {@code watched}; returns once subscribed. */
    void subscribe(String username, String password, List<LoadRig> watched, ImuPayloads payloads)
            throws InterruptedException, TimeoutException {
        connect(new LiveSubscriber(username, password, watched, payloads, stats), 0);
    }

    /** Connects a {@link DashboardFeed} with these credentials; returns it once subscribed. */
    DashboardFeed followLive(String username, String password) throws InterruptedException, TimeoutException {
        return connect(new DashboardFeed(username, password), 60);
    }

    private <S extends BenchSubscriber<S>> S connect(S subscriber, int keepAliveSeconds)
            throws InterruptedException, TimeoutException {
        Promise<S> promise = group.next().newPromise();
        subscriber.whenSubscribed(promise);
        ChannelFuture future = bootstrap(keepAliveSeconds, subscriber).connect(broker);
        synchronized (channels) {
            channels.add(future.channel());
        }
        try {
            return promise.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Starts every rig: paced rigs get phases spread evenly over one batch length, so that they do
     * not all publish in the same millisecond. Returns when batch 1 falls due (System.nanoTime).
     */
    long start(long batchesPerRig, boolean paced) {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        SplittableRandom random = new SplittableRandom(7);
        for (LoadRig rig : rigs) {
            long phase = paced ? random.nextLong(rig.sequence().batchNanos()) : 0;
            rig.start(batchesPerRig, paced, start, phase);
        }
        return start;
    }

    void stop() {
        rigs.forEach(LoadRig::stop);
    }

    /** Waits until every published batch is acknowledged, at most {@code seconds}; true if so. */
    boolean awaitAcks(long seconds) throws InterruptedException {
        return await(seconds, () -> stats.acked.sum() >= stats.sent.sum());
    }

    /**
     * Waits until every rig has published {@code batchesPerRig} batches and all are acknowledged,
     * at most {@code seconds}; true if so.
     */
    boolean awaitAllAcknowledged(long batchesPerRig, long seconds) throws InterruptedException {
        long all = batchesPerRig * rigs.size();
        return await(seconds, () -> stats.sent.sum() >= all && stats.acked.sum() >= all);
    }

    private static boolean await(long seconds, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return done.getAsBoolean();
    }

    @Override
    public void close() {
        rigs.forEach(LoadRig::close);
        synchronized (channels) {
            channels.forEach(io.netty.channel.Channel::close);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** {@code rig-00001}: rig ids sort by number and stay the same length up to 99,999 rigs. */
    static String rigName(int number) {
        return rigName("rig-", number);
    }

    static String rigName(String prefix, int number) {
        return String.format("%s%05d", prefix, number);
    }

    /** An 8-character boot id, new in every run (firmware-notes: new at every power-up). */
    static String bootId(int seed, int rigNumber) {
        return String.format("%08x", mix(seed, rigNumber));
    }

    private static int mix(int seed, int n) {
        long x = seed * 0x9E3779B97F4A7C15L + n;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return (int) (x ^ (x >>> 31));
    }

    private Bootstrap bootstrap(int keepAliveSeconds, io.netty.channel.ChannelHandler handler) {
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("decoder", new MqttDecoder(1 << 20));
                        p.addLast("encoder", MqttEncoder.INSTANCE);
                        if (keepAliveSeconds > 0) {
                            // A PINGREQ whenever nothing was written for a keep-alive interval.
                            p.addLast("idle", new IdleStateHandler(0, keepAliveSeconds, 0, TimeUnit.SECONDS));
                        }
                        p.addLast("client", handler);
                    }
                });
    }
}

package dev.rigtel.dashboard.http;

import dev.rigtel.common.http.RequestCycle;
import dev.rigtel.dashboard.live.ClientQueue;
import dev.rigtel.dashboard.live.EventStreamFormat;
import dev.rigtel.dashboard.live.LiveHub;
import dev.rigtel.dashboard.live.LiveMessage;
import dev.rigtel.dashboard.live.LiveSubscriber;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One browser's live stream ({@code GET /live/stream}, {@code text/event-stream}): the snapshot,
 * then every live message, then a comment every heartbeat interval so that an idle stream is not
 * cut by a proxy and a dead browser is noticed.
 *
 * <p>The hub hands messages to this browser's {@link ClientQueue} on the feed's thread; the
 * channel's event loop drains the queue into the socket while the socket is writable. A browser
 * that reads slowly fills its socket buffer first (writability off at the high water mark), then
 * its queue, where its {@code trace} and {@code motion} messages are dropped and counted; one
 * that falls behind even on states and events is closed and reconnects to a fresh snapshot. No
 * browser ever slows the feed or another browser.
 */
final class EventStream extends ChannelInboundHandlerAdapter implements LiveSubscriber {

    private final Channel channel;
    private final LiveHub hub;
    private final ClientQueue queue;
    private final Duration heartbeat;
    private final DashboardMeters meters;
    private final AtomicBoolean closing = new AtomicBoolean();
    private ScheduledFuture<?> heartbeats;

    EventStream(Channel channel, LiveHub hub, int queueCapacity, Duration heartbeat, DashboardMeters meters) {
        this.channel = channel;
        this.hub = hub;
        this.queue = new ClientQueue(queueCapacity, kind -> meters.dropped(kind.label()));
        this.heartbeat = heartbeat;
        this.meters = meters;
    }

    /** Sends the response head and the snapshot, then follows the hub. Runs on the event loop. */
    void start() {
        // An answer that never ends: no request clock runs, the connection reads again so that a
        // browser that leaves is noticed at once, and the heartbeat writes tell whether it is there.
        RequestCycle.stream(channel);
        channel.pipeline().addLast(HandlerNames.EVENT_STREAM, this);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("X-Content-Type-Options", "nosniff")
                // Tells a reverse proxy (nginx) not to buffer the stream.
                .set("X-Accel-Buffering", "no");
        channel.write(head);
        channel.write(content(EventStreamFormat.retry(2_000)));
        meters.response(200);
        hub.subscribe(this);
        heartbeats = channel.eventLoop()
                .scheduleAtFixedRate(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void snapshot(byte[] frame) {
        channel.writeAndFlush(content(frame));
    }

    @Override
    public void deliver(LiveMessage message) {
        switch (queue.offer(message)) {
            case QUEUED_DRAIN_NEEDED -> channel.eventLoop().execute(this::drain);
            case OVERFLOW -> {
                if (closing.compareAndSet(false, true)) {
                    meters.browserClosed("overflow");
                    channel.close();
                }
            }
            default -> {
                // Queued behind a scheduled drain, or dropped and counted by the queue.
            }
        }
    }

    /** Writes queued messages while the socket takes them. Event loop only. */
    private void drain() {
        boolean wrote = false;
        while (channel.isActive()) {
            if (!channel.isWritable()) {
                // Paused, still scheduled: channelWritabilityChanged resumes it.
                break;
            }
            LiveMessage next = queue.poll();
            if (next == null) {
                break;
            }
            channel.write(content(next.frame()));
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void beat() {
        if (channel.isActive() && channel.isWritable()) {
            channel.writeAndFlush(content(EventStreamFormat.comment("heartbeat")))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    private static DefaultHttpContent content(byte[] frame) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(frame));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // A browser may pipeline nothing useful behind a stream request; ignore it.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        hub.unsubscribe(this);
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing.compareAndSet(false, true)) {
            meters.browserClosed("error");
        }
        ctx.close();
    }
}

package dev.rigtel.common.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One connection's requests, answered one at a time and in the order they came: HTTP/1.1 requires
 * the responses to pipelined requests in request order (RFC 9112 section 9.3.2), and the routes
 * answer some requests on the event loop at once and others later from a worker.
 *
 * <p>The connection reads only while no request is being answered ({@code autoRead} is off; the
 * {@link #gate()} before the codec lets the codec and aggregator ask for the rest of an incomplete
 * request, and nothing more while an answer is pending). Requests already read behind the one being
 * answered (pipelined in the same packet) wait in {@link #order()}, at most {@link
 * #MAX_WAITING_REQUESTS}; each is handed on when the answer before it is written. Nothing waits on
 * the event loop: a slow answer only leaves the socket unread, which TCP turns into back-pressure
 * on the client.
 *
 * <p>Two clocks, neither reset by each byte: a request must arrive whole (head and body) within
 * {@code requestTimeout} of its first byte, else it is answered 408 and the connection closed, so
 * a client trickling bytes cannot hold a connection; a connection that sends nothing for {@code
 * idleTimeout} after connecting or after its last answer is closed without a word (RFC 9112 section
 * 9.8). While a request is being answered neither runs: a slow answer is never cut.
 *
 * <p>A live stream ({@link #stream}) is an answer that never ends: the connection then reads again,
 * so that a client that goes away is noticed at once, and drops whatever else it sends.
 *
 * <p>Per connection (not sharable); every method runs on the channel's event loop.
 */
public final class RequestCycle {

    /** Requests read behind the one being answered that may wait; more closes the connection. */
    public static final int MAX_WAITING_REQUESTS = 16;

    /** Counts and logs what the cycle refuses. */
    public interface Refusals {
        /** A connection closed for sending more than {@link #MAX_WAITING_REQUESTS} ahead of their answers. */
        void tooManyWaiting(Channel channel);

        /** A request that did not arrive whole in time, answered 408. */
        void requestTimedOut(Channel channel);
    }

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private final Gate gate = new Gate();
    private final Order order = new Order();
    private final long requestTimeoutNanos;
    private final long idleTimeoutNanos;
    private final Refusals refusals;
    private ChannelHandlerContext gateContext;
    private ScheduledFuture<?> timer;
    private boolean answering;
    private boolean receiving;
    private boolean lastAnswer;
    private boolean streaming;

    public RequestCycle(Duration requestTimeout, Duration idleTimeout, Refusals refusals) {
        this.requestTimeoutNanos = requestTimeout.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.refusals = refusals;
    }

    /** Goes before the HTTP codec: starts reading, and holds reads while a request is answered. */
    public ChannelHandler gate() {
        return gate;
    }

    /** Goes after the aggregator, before the routes: one request at a time, answers in order. */
    public ChannelHandler order() {
        return order;
    }

    /**
     * Turns the connection's current answer into a live stream that never ends: no clock runs, reads
     * resume (a closed client is noticed), anything the client sends from now on is dropped.
     */
    public static void stream(Channel channel) {
        Order inOrder = channel.pipeline().get(Order.class);
        if (inOrder != null) {
            RequestCycle cycle = inOrder.cycle();
            cycle.streaming = true;
            cycle.cancelTimer();
            cycle.releaseWaiting();
        }
        channel.config().setAutoRead(true);
    }

    private final class Gate extends ChannelDuplexHandler {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            gateContext = ctx;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.fireChannelActive();
            waitForRequest();
            // autoRead is off: the first read is ours.
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!answering && !receiving && !streaming && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                // The first byte of a request: from now on the whole request has requestTimeout.
                receiving = true;
                schedule(RequestCycle.this::requestTimedOut, requestTimeoutNanos);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancelTimer();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancelTimer();
        }

        @Override
        public void read(ChannelHandlerContext ctx) {
            // The codec and the aggregator ask for more while a request is incomplete; while one is
            // being answered, nothing more is read.
            if (!answering || streaming) {
                ctx.read();
            }
        }
    }

    private final class Order extends ChannelDuplexHandler {

        RequestCycle cycle() {
            return RequestCycle.this;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (receiving) {
                receiving = false;
                cancelTimer();
            }
            if (lastAnswer || streaming) {
                // Behind a "Connection: close" answer or a live stream: never answered.
                ReferenceCountUtil.release(request);
                return;
            }
            if (answering) {
                if (waiting.size() >= MAX_WAITING_REQUESTS) {
                    ReferenceCountUtil.release(request);
                    releaseWaiting();
                    refusals.tooManyWaiting(ctx.channel());
                    ctx.close();
                    return;
                }
                waiting.add(request);
                return;
            }
            answering = true;
            ctx.fireChannelRead(request);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && !HttpUtil.isKeepAlive(response)) {
                lastAnswer = true;
            }
            if (msg instanceof LastHttpContent) {
                // The end of an answer (a FullHttpResponse is one too): the next request may go on.
                ChannelPromise written = promise.unvoid();
                written.addListener(f -> {
                    if (f.isSuccess()) {
                        answered(ctx);
                    }
                });
                ctx.write(msg, written);
                return;
            }
            ctx.write(msg, promise);
        }

        private void answered(ChannelHandlerContext ctx) {
            if (lastAnswer || !ctx.channel().isActive()) {
                releaseWaiting();
                return;
            }
            FullHttpRequest next = waiting.poll();
            if (next != null) {
                ctx.fireChannelRead(next);
                ctx.fireChannelReadComplete();
                return;
            }
            answering = false;
            waitForRequest();
            ctx.read();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            releaseWaiting();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            releaseWaiting();
        }
    }

    /** Nothing asked yet: closed after idleTimeout unless a request starts. */
    private void waitForRequest() {
        schedule(
                () -> {
                    if (!answering && !receiving) {
                        gateContext.channel().close();
                    }
                },
                idleTimeoutNanos);
    }

    private void requestTimedOut() {
        if (!receiving || answering || lastAnswer) {
            return;
        }
        receiving = false;
        lastAnswer = true;
        Channel channel = gateContext.channel();
        refusals.requestTimedOut(channel);
        byte[] body = ("the request did not arrive whole within "
                        + Duration.ofNanos(requestTimeoutNanos).toMillis() + " ms\n")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        HttpUtil.setKeepAlive(response, false);
        // From the tail, through the codec: the response is encoded like any other.
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void schedule(Runnable task, long delayNanos) {
        cancelTimer();
        timer = gateContext.executor().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void releaseWaiting() {
        for (FullHttpRequest request = waiting.poll(); request != null; request = waiting.poll()) {
            ReferenceCountUtil.release(request);
        }
    }
}

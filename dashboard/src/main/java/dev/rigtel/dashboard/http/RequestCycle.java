package dev.rigtel.dashboard.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

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
 * <p>A live stream ({@link #stream}) is an answer that never ends: the connection then reads again,
 * so that a browser that goes away is noticed at once, and drops whatever else it sends.
 *
 * <p>Per connection (not sharable); every method runs on the channel's event loop. A copy of the
 * collector's {@code RequestCycle} plus {@link #stream} (the dashboard does not depend on the
 * collector at run time).
 */
final class RequestCycle {

    /** Requests read behind the one being answered that may wait; more closes the connection. */
    static final int MAX_WAITING_REQUESTS = 16;

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private final Gate gate = new Gate();
    private final Order order = new Order();
    private final Runnable onTooManyWaiting;
    private boolean answering;
    private boolean lastAnswer;
    private boolean streaming;

    /** @param onTooManyWaiting counts and logs a connection closed for pipelining too much */
    RequestCycle(Runnable onTooManyWaiting) {
        this.onTooManyWaiting = onTooManyWaiting;
    }

    /**
     * Turns the connection's current answer into a live stream that never ends: reads resume (a
     * closed browser is noticed), anything the browser sends from now on is dropped.
     */
    static void stream(Channel channel) {
        ChannelHandler order = channel.pipeline().get(HandlerNames.IN_ORDER);
        if (order instanceof Order inOrder) {
            inOrder.cycle().streaming = true;
            inOrder.cycle().releaseWaiting();
        }
        channel.config().setAutoRead(true);
    }

    /** Goes before the HTTP codec: starts reading, and holds reads while a request is answered. */
    ChannelHandler gate() {
        return gate;
    }

    /** Goes after the aggregator, before the routes: one request at a time, answers in order. */
    ChannelHandler order() {
        return order;
    }

    private final class Gate extends ChannelDuplexHandler {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.fireChannelActive();
            // autoRead is off: the first read is ours.
            ctx.read();
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
            if (lastAnswer || streaming) {
                // Behind a "Connection: close" answer or a live stream: never answered.
                ReferenceCountUtil.release(request);
                return;
            }
            if (answering) {
                if (waiting.size() >= MAX_WAITING_REQUESTS) {
                    ReferenceCountUtil.release(request);
                    releaseWaiting();
                    onTooManyWaiting.run();
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

    private void releaseWaiting() {
        for (FullHttpRequest request = waiting.poll(); request != null; request = waiting.poll()) {
            ReferenceCountUtil.release(request);
        }
    }
}

package dev.rigtel.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RequestCycle} in memory: answers in request order, whatever order the routes answer in. */
class RequestCycleTest {

    /** Answers {@code /slow} only when the test says, anything else at once; the body is the path. */
    private static final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
        final List<Runnable> slow = new ArrayList<>();
        final List<String> seen = new ArrayList<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = request.uri();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            seen.add(path);
            Runnable answer = () -> {
                FullHttpResponse response = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1,
                        HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(path, StandardCharsets.UTF_8));
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, path.length());
                HttpUtil.setKeepAlive(response, keepAlive);
                ctx.writeAndFlush(response);
            };
            if (path.startsWith("/slow")) {
                slow.add(answer);
            } else if (path.startsWith("/stream")) {
                // An answer that never ends: its head only, then the connection is a live stream.
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setTransferEncodingChunked(head, true);
                ctx.writeAndFlush(head);
                RequestCycle.stream(ctx.channel());
            } else {
                answer.run();
            }
        }
    }

    private final Routes routes = new Routes();
    private final AtomicInteger tooMany = new AtomicInteger();
    private final RequestCycle cycle =
            new RequestCycle(Duration.ofSeconds(10), Duration.ofSeconds(60), new RequestCycle.Refusals() {
                @Override
                public void tooManyWaiting(Channel channel) {
                    tooMany.incrementAndGet();
                }

                @Override
                public void requestTimedOut(Channel channel) {}
            });
    private final EmbeddedChannel channel = new EmbeddedChannel(
            cycle.gate(),
            new HttpServerCodec(),
            new HttpServerKeepAliveHandler(),
            new HttpObjectAggregator(64 * 1024),
            cycle.order(),
            routes);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void send(String... paths) {
        StringBuilder bytes = new StringBuilder();
        for (String path : paths) {
            bytes.append("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        }
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.UTF_8));
    }

    /** The bodies of the responses written so far, in order. */
    private List<String> answers() {
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) message;
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        List<String> bodies = new ArrayList<>();
        for (String response : out.toString().split("HTTP/1\\.1 ")) {
            if (!response.isEmpty()) {
                bodies.add(response.substring(response.indexOf("\r\n\r\n") + 4));
            }
        }
        return bodies;
    }

    @Test
    void aFastAnswerWaitsForTheSlowOneBeforeIt() {
        send("/slow/1", "/fast/2", "/fast/3");

        assertThat(answers()).isEmpty();
        assertThat(routes.seen).as("the next request waits for the answer").containsExactly("/slow/1");

        routes.slow.get(0).run();

        assertThat(answers()).containsExactly("/slow/1", "/fast/2", "/fast/3");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aSlowAnswerBehindASlowAnswerKeepsItsPlace() {
        send("/slow/1", "/slow/2", "/fast/3");
        routes.slow.get(0).run();
        assertThat(answers()).containsExactly("/slow/1");

        routes.slow.get(1).run();

        assertThat(answers()).containsExactly("/slow/2", "/fast/3");
    }

    @Test
    void tooManyRequestsAheadOfTheirAnswersCloseTheConnection() {
        List<String> paths = new ArrayList<>();
        paths.add("/slow/0");
        for (int i = 1; i <= RequestCycle.MAX_WAITING_REQUESTS + 1; i++) {
            paths.add("/fast/" + i);
        }
        send(paths.toArray(String[]::new));

        assertThat(channel.isOpen()).isFalse();
        assertThat(tooMany).hasValue(1);
        assertThat(answers()).isEmpty();
    }

    @Test
    void aLiveStreamReadsOnAndDropsWhatTheClientSendsAfter() {
        channel.config().setAutoRead(false);
        send("/stream/1");
        assertThat(channel.config().isAutoRead())
                .as("reads resume: a client that goes away is noticed")
                .isTrue();

        List<String> more = new ArrayList<>();
        for (int i = 1; i <= RequestCycle.MAX_WAITING_REQUESTS + 1; i++) {
            more.add("/fast/" + i);
        }
        send(more.toArray(String[]::new));
        channel.runPendingTasks();

        assertThat(routes.seen).containsExactly("/stream/1");
        assertThat(channel.isOpen())
                .as("dropped, not waiting: no pipeline limit")
                .isTrue();
        assertThat(tooMany).hasValue(0);
    }

    @Test
    void nothingIsAnsweredBehindAConnectionClose() {
        channel.writeInbound(Unpooled.copiedBuffer(
                "GET /slow/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        + "GET /fast/2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                StandardCharsets.UTF_8));
        routes.slow.get(0).run();

        assertThat(answers()).containsExactly("/slow/1");
        assertThat(routes.seen).containsExactly("/slow/1");
    }
}

package dev.rigtel.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpListenerPipelineTest {

    private final List<String> refused = new ArrayList<>();
    private final HttpListenerPipeline pipeline = new HttpListenerPipeline(
            new HttpServerOptions(1, 1, Duration.ofSeconds(10)),
            64 * 1024,
            Duration.ofSeconds(60),
            new HttpListenerPipeline.Refusals() {
                @Override
                public void connectionRefused(String reason, Channel channel) {
                    refused.add(reason);
                }

                @Override
                public void tooManyWaiting(Channel channel) {
                    refused.add("pipeline-limit");
                }

                @Override
                public void requestTimedOut(Channel channel) {
                    refused.add("request-timeout");
                }

                @Override
                public void refused(String reason, Channel channel, String host) {
                    refused.add(reason);
                }
            });

    private EmbeddedChannel connect() {
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                pipeline.addTo(ch, null, new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }
                });
            }
        });
    }

    @Test
    void buildsThePipelineInItsOrderWithoutTlsWhenNoneIsGiven() {
        EmbeddedChannel channel = connect();

        assertThat(channel.pipeline().names())
                .startsWith(
                        HttpHandlerNames.CONNECTION_LIMIT,
                        HttpHandlerNames.READ_GATE,
                        HttpHandlerNames.CODEC,
                        HttpHandlerNames.KEEP_ALIVE,
                        HttpHandlerNames.AGGREGATOR,
                        HttpHandlerNames.IN_ORDER,
                        HttpHandlerNames.HOST_CHECK,
                        HttpHandlerNames.ROUTES);
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void oneListenerHoldsTheCapsOfAllItsConnections() {
        EmbeddedChannel first = connect();
        EmbeddedChannel second = connect();

        assertThat(pipeline.open()).isEqualTo(1);
        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isFalse();
        assertThat(refused).containsExactly("connection-limit");

        first.close();
        assertThat(pipeline.open()).isZero();
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    @Test
    void aHeaderValueForTheLogIsCutAndHasNoControlCharacters() {
        assertThat(HttpListenerPipeline.printable("evil\r\nX-Injected: 1")).isEqualTo("evil??X-Injected: 1");
        assertThat(HttpListenerPipeline.printable("a".repeat(150))).isEqualTo("a".repeat(100) + "...");
    }
}

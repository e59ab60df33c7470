package dev.rigtel.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.metrics.MqttMeters;
import dev.rigtel.collector.testing.CapturedLog;
import dev.rigtel.collector.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private final MqttMeters meters = new MqttMeters(new SimpleMeterRegistry());
    private final ManualClock clock = new ManualClock(Instant.now());
    private final ConnectionLimiter limiter = new ConnectionLimiter(10, 2, meters, clock);
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final CapturedLog log = CapturedLog.of(ConnectionLimiter.class);

    @AfterEach
    void release() {
        log.close();
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** A connection from {@code host}: an embedded channel that reports it as its remote address. */
    private EmbeddedChannel connectFrom(String host) throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(host), 40_000 + channels.size());
        EmbeddedChannel channel = new EmbeddedChannel(limiter) {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
        channels.add(channel);
        return channel;
    }

    @Test
    void closesAnAddressesConnectionsOverItsLimitAndLeavesOtherAddressesTheirs() throws Exception {
        assertThat(connectFrom("10.0.0.7").isOpen()).isTrue();
        assertThat(connectFrom("10.0.0.7").isOpen()).isTrue();
        assertThat(connectFrom("10.0.0.7").isOpen()).isFalse();
        assertThat(connectFrom("10.0.0.8").isOpen()).isTrue();

        assertThat(meters.closedCount("address-limit")).isEqualTo(1);
        assertThat(limiter.openFrom(InetAddress.getByName("10.0.0.7"))).isEqualTo(2);
    }

    @Test
    void logsTheAddressLimitOnceAMinuteNamingTheOptionToRaise() throws Exception {
        connectFrom("10.0.0.7");
        connectFrom("10.0.0.7");
        for (int i = 0; i < 5; i++) {
            connectFrom("10.0.0.7");
        }

        assertThat(meters.closedCount("address-limit")).isEqualTo(5);
        assertThat(log.lines()).singleElement().satisfies(line -> assertThat(line)
                .contains("/10.0.0.7:")
                .contains("2 open from one address at most (--max-connections-per-address;"));

        clock.advance(Duration.ofSeconds(61));
        connectFrom("10.0.0.7");
        assertThat(log.lines()).hasSize(2);
    }

    @Test
    void aClosedConnectionFreesItsAddressesSlot() throws Exception {
        EmbeddedChannel first = connectFrom("10.0.0.7");
        connectFrom("10.0.0.7");
        first.close();

        assertThat(connectFrom("10.0.0.7").isOpen()).isTrue();
        assertThat(log.lines()).isEmpty();
    }
}

package dev.rigtel.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rigtel.collector.metrics.MqttMeters;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConnectionLimiterTest {

    private final MqttMeters meters = new MqttMeters(new SimpleMeterRegistry());
    private final ManualClock clock = new ManualClock(Instant.now());
    private final ConnectionLimiter limiter = new ConnectionLimiter(10, 2, meters, clock);
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger limiterLog = (Logger) LoggerFactory.getLogger(ConnectionLimiter.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        limiterLog.addAppender(logs);
    }

    @AfterEach
    void release() {
        limiterLog.detachAppender(logs);
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

    private List<String> lines() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
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
        assertThat(lines()).singleElement().satisfies(line -> assertThat(line)
                .contains("/10.0.0.7:")
                .contains("2 open from one address at most (--max-connections-per-address;"));

        clock.advance(Duration.ofSeconds(61));
        connectFrom("10.0.0.7");
        assertThat(lines()).hasSize(2);
    }

    @Test
    void aClosedConnectionFreesItsAddressesSlot() throws Exception {
        EmbeddedChannel first = connectFrom("10.0.0.7");
        connectFrom("10.0.0.7");
        first.close();

        assertThat(connectFrom("10.0.0.7").isOpen()).isTrue();
        assertThat(lines()).isEmpty();
    }
}

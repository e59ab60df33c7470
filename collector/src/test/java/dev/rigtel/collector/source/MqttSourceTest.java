package dev.rigtel.collector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.ingest.Publisher;
import dev.rigtel.collector.metrics.SourceMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MqttSourceTest {

    @Test
    void theRigIsTheTopicsRigLevel() {
        Publisher rig = MqttSource.publisher("rigtel/v1/rig-07/imu");
        assertThat(rig.name()).isEqualTo("rig-07");
        assertThat(rig.telemetry()).isTrue();
        assertThat(rig.slate()).isFalse();
        assertThat(MqttSource.publisher("rigtel/v1/rig-07/status").name()).isEqualTo("rig-07");
    }

    @Test
    void theSlateTopicIsASlatePublisher() {
        Publisher slate = MqttSource.publisher("rigtel/v1/slate");
        assertThat(slate.slate()).isTrue();
        assertThat(slate.telemetry()).isFalse();
    }

    @Test
    void aTopicThatNamesNoValidRigHasNoPublisher() {
        assertThat(MqttSource.publisher("rigtel/v1/rig 07/imu")).isNull();
        assertThat(MqttSource.publisher("rigtel/v1/rig-07/error")).isNull();
        assertThat(MqttSource.publisher("other/topic")).isNull();
    }

    @Test
    void subscribesToTheRigAndSlateTopicsOnly() {
        assertThat(MqttSource.FILTERS)
                .containsExactly("rigtel/v1/+/imu", "rigtel/v1/+/timecode", "rigtel/v1/+/status", "rigtel/v1/slate");
    }

    /**
     * A broker that takes the socket and never sends CONNACK: Paho never ends that attempt by itself,
     * so without a deadline the source stayed away for good (seen as a consumer-mode collector that
     * never got healthy). Within the deadline it waits; past it, it connects again.
     */
    @Test
    void aConnectionAttemptTheBrokerNeverAnswersIsGivenUpAndMadeAgainAfterTheDeadline() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // read nothing, answer nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            MovableClock clock = new MovableClock();
            SourceOptions options = new SourceOptions(
                    URI.create("mqtt://127.0.0.1:" + silent.getLocalPort()),
                    "collector",
                    "pw",
                    "rigtel-unanswered",
                    null,
                    Duration.ofMinutes(1),
                    16);
            // No message ever arrives from this broker, so the intake is never called.
            MqttSource source =
                    MqttSource.start(options, null, new SourceMeters(new SimpleMeterRegistry(), () -> false), clock);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1);
                // The checks run every 2 s: unanswered but within the deadline, the attempt goes on.
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> accepted.size() == 1 && source.connectingOrConnected());

                clock.advance(Duration.ofMillis(MqttSource.CONNECT_ANSWER_MILLIS));

                await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 2);
                assertThat(source.connected()).isFalse();
            } finally {
                source.close();
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Connected once, then the broker drops the connection and takes the next socket without ever
     * answering: Paho's own reconnect waits on it for ever and refuses another as "in progress".
     * Away beyond the give-up time, the source ends that attempt and connects again.
     */
    @Test
    void aReconnectTheBrokerNeverAnswersIsEndedOnceAwayTooLong() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket broker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket socket = broker.accept();
                        accepted.add(socket);
                        if (accepted.size() == 1) {
                            // MQTT 5 CONNACK: no session present, reason 0x00, no properties.
                            socket.getOutputStream().write(new byte[] {0x20, 0x03, 0x00, 0x00, 0x00});
                            socket.getOutputStream().flush();
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            MovableClock clock = new MovableClock();
            SourceOptions options = new SourceOptions(
                    URI.create("mqtt://127.0.0.1:" + broker.getLocalPort()),
                    "collector",
                    "pw",
                    "rigtel-reconnect-unanswered",
                    null,
                    Duration.ofMinutes(1),
                    16);
            MqttSource source =
                    MqttSource.start(options, null, new SourceMeters(new SimpleMeterRegistry(), () -> false), clock);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> source.connectingOrConnected());
                accepted.get(0).close(); // the broker goes away
                // Paho reconnects after 1 s; the broker takes the socket and never answers.
                await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 2);
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> accepted.size() == 2);

                clock.advance(Duration.ofMillis(MqttSource.GIVEN_UP_MILLIS + 1_000));

                await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 3);
            } finally {
                source.close();
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }

    /** The system clock, moved forward by hand; read from the source's own thread. */
    private static final class MovableClock extends Clock {
        private final AtomicLong aheadMillis = new AtomicLong();

        void advance(Duration by) {
            aheadMillis.addAndGet(by.toMillis());
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + aheadMillis.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the source only reads millis()");
        }
    }
}

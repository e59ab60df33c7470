package dev.rigtel.collector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.ingest.Publisher;
import dev.rigtel.collector.metrics.SourceMeters;
import dev.rigtel.collector.testing.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
        try (SilentBroker broker = new SilentBroker(false)) {
            SettableClock clock = new SettableClock(Instant.now());
            // No message ever arrives from this broker, so the intake is never called.
            MqttSource source = broker.source("rigtel-unanswered", clock);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.accepted.size() == 1);
                // The checks run every 2 s: unanswered but within the deadline, the attempt goes on.
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> broker.accepted.size() == 1 && source.connectingOrConnected());

                clock.advance(Duration.ofMillis(MqttSource.CONNECT_ANSWER_MILLIS));

                await().atMost(Duration.ofSeconds(10)).until(() -> broker.accepted.size() == 2);
                assertThat(source.connected()).isFalse();
            } finally {
                source.close();
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
        try (SilentBroker broker = new SilentBroker(true)) {
            SettableClock clock = new SettableClock(Instant.now());
            MqttSource source = broker.source("rigtel-reconnect-unanswered", clock);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.accepted.size() == 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> source.connectingOrConnected());
                broker.accepted.get(0).close(); // the broker goes away
                // Paho reconnects after 1 s; the broker takes the socket and never answers.
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.accepted.size() == 2);
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> broker.accepted.size() == 2);

                clock.advance(Duration.ofMillis(MqttSource.GIVEN_UP_MILLIS + 1_000));

                await().atMost(Duration.ofSeconds(10)).until(() -> broker.accepted.size() == 3);
            } finally {
                source.close();
            }
        }
    }

    /**
     * A broker on a loopback port that takes every socket and answers nothing, except (if asked) an
     * MQTT 5 CONNACK on the first one.
     */
    private static final class SilentBroker implements AutoCloseable {
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final ServerSocket socket;

        SilentBroker(boolean answerFirst) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket connection = socket.accept();
                        accepted.add(connection);
                        if (answerFirst && accepted.size() == 1) {
                            // MQTT 5 CONNACK: no session present, reason 0x00, no properties.
                            connection.getOutputStream().write(new byte[] {0x20, 0x03, 0x00, 0x00, 0x00});
                            connection.getOutputStream().flush();
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** A source consuming from this broker as {@code clientId}, reading {@code clock}. */
        MqttSource source(String clientId, Clock clock) throws Exception {
            SourceOptions options = new SourceOptions(
                    URI.create("mqtt://127.0.0.1:" + socket.getLocalPort()),
                    "collector",
                    "pw",
                    clientId,
                    null,
                    Duration.ofMinutes(1),
                    16);
            return MqttSource.start(options, null, new SourceMeters(new SimpleMeterRegistry(), () -> false), clock);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}

package dev.rigtel.collector.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.metrics.BrokerMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerSessionTest {

    private static final long T0 = 1_800_000_000_000L;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BrokerMeters meters = new BrokerMeters(registry);
    private final RecordingOutlet outlet = new RecordingOutlet();

    private BrokerSession session(BrokerOptions options) {
        return new BrokerSession(Broker.key("user", "cam-01"), "cam-01", "user", options, meters);
    }

    private BrokerSession session() {
        return session(BrokerOptions.DEFAULTS);
    }

    private static BrokerMessage message(String payload, int qos) {
        return BrokerMessage.of("rigs/cam-01/status", payload.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    private double dropped(String reason) {
        Counter c = registry.find("rigtel.broker.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private double delivered(int qos) {
        Counter c = registry.find("rigtel.broker.delivered")
                .tag("qos", Integer.toString(qos))
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void sendsQos0AtOnceWithoutAPacketIdentifier() {
        BrokerSession s = session();
        s.attach(outlet, 10, T0);

        s.offer(message("a", 0), T0);

        assertThat(outlet.published()).hasSize(1);
        assertThat(outlet.last().packetId()).isZero();
        assertThat(outlet.last().dup()).isFalse();
        assertThat(s.queued()).isZero();
        assertThat(delivered(0)).isEqualTo(1);
    }

    @Test
    void dropsQos0WhileOfflineAndCountsIt() {
        BrokerSession s = session();

        s.offer(message("a", 0), T0);
        s.attach(outlet, 10, T0);

        assertThat(outlet.published()).isEmpty();
        assertThat(dropped("offline-qos0")).isEqualTo(1);
    }

    @Test
    void dropsQos0WhileTheOutletIsNotWritableButQueuesQos1() {
        BrokerSession s = session();
        s.attach(outlet, 10, T0);
        outlet.writable(false);

        s.offer(message("q0", 0), T0);
        s.offer(message("q1", 1), T0);

        assertThat(outlet.payloads()).containsExactly("q1");
        assertThat(dropped("slow-subscriber")).isEqualTo(1);
    }

    @Test
    void queuesQos1And2WhileOfflineAndSendsThemInOrderOnAttach() {
        BrokerSession s = session();
        s.offer(message("one", 1), T0);
        s.offer(message("two", 2), T0);
        assertThat(s.queued()).isEqualTo(2);

        s.attach(outlet, 10, T0);

        assertThat(outlet.payloads()).containsExactly("one", "two");
        assertThat(outlet.published()).extracting(RecordingOutlet.Sent::qos).containsExactly(1, 2);
        assertThat(outlet.published()).extracting(RecordingOutlet.Sent::dup).containsExactly(false, false);
        assertThat(outlet.published().get(0).packetId())
                .isNotEqualTo(outlet.published().get(1).packetId())
                .isPositive();
    }

    @Test
    void inflightWindowLimitsSendsAndAcknowledgementsReleaseTheNext() {
        BrokerSession s = session();
        s.attach(outlet, 2, T0);
        for (String p : List.of("1", "2", "3", "4")) {
            s.offer(message(p, 1), T0);
        }

        assertThat(outlet.payloads()).containsExactly("1", "2");
        assertThat(s.queued()).isEqualTo(4);

        assertThat(s.acknowledged(outlet.published().get(0).packetId(), T0)).isTrue();
        assertThat(outlet.payloads()).containsExactly("1", "2", "3");

        assertThat(s.acknowledged(outlet.published().get(1).packetId(), T0)).isTrue();
        assertThat(s.acknowledged(outlet.published().get(2).packetId(), T0)).isTrue();
        assertThat(outlet.payloads()).containsExactly("1", "2", "3", "4");
        assertThat(s.queued()).isEqualTo(1);
    }

    @Test
    void theClientsReceiveMaximumIsCappedByMaxInflight() {
        BrokerSession s = session(new BrokerOptions(1000, 3, 100, 3600));
        s.attach(outlet, 65_535, T0);
        for (int i = 0; i < 5; i++) {
            s.offer(message("m" + i, 1), T0);
        }

        assertThat(outlet.published()).hasSize(3);
    }

    @Test
    void qos0IsNotHeldBackByAFullInflightWindow() {
        BrokerSession s = session();
        s.attach(outlet, 1, T0);
        s.offer(message("q1", 1), T0);
        s.offer(message("q1-later", 1), T0);

        s.offer(message("q0", 0), T0);

        assertThat(outlet.payloads()).containsExactly("q1", "q0");
    }

    @Test
    void acknowledgedIsFalseForUnknownIdsAndForQos2Messages() {
        BrokerSession s = session();
        s.attach(outlet, 10, T0);
        s.offer(message("two", 2), T0);
        int id = outlet.last().packetId();

        assertThat(s.acknowledged(id + 1, T0)).isFalse();
        assertThat(s.acknowledged(id, T0)).as("PUBACK for a QoS 2 message").isFalse();
        assertThat(s.queued()).isEqualTo(1);
    }

    @Test
    void qos2OutgoingFlowReleasesOnPubrecAndEndsOnPubcomp() {
        BrokerSession s = session();
        s.attach(outlet, 1, T0);
        s.offer(message("two", 2), T0);
        s.offer(message("next", 1), T0);
        int id = outlet.last().packetId();
        assertThat(outlet.payloads()).containsExactly("two");

        assertThat(s.completed(id, T0)).as("PUBCOMP before PUBREC").isFalse();
        assertThat(s.received(id)).isTrue();
        assertThat(outlet.pubrels()).containsExactly(id);
        assertThat(outlet.payloads()).as("still in flight until PUBCOMP").containsExactly("two");

        assertThat(s.completed(id, T0)).isTrue();
        assertThat(outlet.payloads()).containsExactly("two", "next");
        assertThat(s.completed(id, T0)).as("a second PUBCOMP").isFalse();
    }

    @Test
    void receivedIsFalseForUnknownIdsAndForQos1Messages() {
        BrokerSession s = session();
        s.attach(outlet, 10, T0);
        s.offer(message("one", 1), T0);
        int id = outlet.last().packetId();

        assertThat(s.received(id)).isFalse();
        assertThat(s.received(id + 1)).isFalse();
        assertThat(outlet.pubrels()).isEmpty();
    }

    @Test
    void redeliversUnacknowledgedMessagesWithDupOnReconnect() {
        BrokerSession s = session();
        s.attach(outlet, 2, T0);
        s.offer(message("one", 1), T0);
        s.offer(message("two", 2), T0);
        s.offer(message("three", 1), T0);
        List<RecordingOutlet.Sent> first = outlet.published();
        s.detach(T0);

        RecordingOutlet again = new RecordingOutlet();
        s.attach(again, 2, T0 + 1000);

        assertThat(again.payloads()).containsExactly("one", "two");
        assertThat(again.published()).extracting(RecordingOutlet.Sent::dup).containsExactly(true, true);
        assertThat(again.published())
                .extracting(RecordingOutlet.Sent::packetId)
                .containsExactly(first.get(0).packetId(), first.get(1).packetId());

        s.acknowledged(first.get(0).packetId(), T0 + 1000);
        assertThat(again.last().payload()).isEqualTo("three");
        assertThat(again.last().dup()).isFalse();
    }

    @Test
    void resendsPubrelRatherThanPublishForAReleasedQos2MessageOnReconnect() {
        BrokerSession s = session();
        s.attach(outlet, 10, T0);
        s.offer(message("two", 2), T0);
        int id = outlet.last().packetId();
        s.received(id);
        s.detach(T0);

        RecordingOutlet again = new RecordingOutlet();
        s.attach(again, 10, T0);

        assertThat(again.published()).isEmpty();
        assertThat(again.pubrels()).containsExactly(id);
        assertThat(s.completed(id, T0)).isTrue();
    }

    @Test
    void nothingIsSentWhileDetached() {
        BrokerSession s = session();
        s.attach(outlet, 10, T0);
        s.offer(message("one", 1), T0);
        s.detach(T0);

        s.offer(message("two", 1), T0);
        s.received(outlet.last().packetId());

        assertThat(outlet.payloads()).containsExactly("one");
        assertThat(outlet.pubrels()).isEmpty();
        assertThat(s.online()).isFalse();
    }

    @Test
    void incomingQos2IsFirstDeliveredOnceUntilReleased() {
        BrokerSession s = session();

        assertThat(s.firstDelivery(7)).isTrue();
        assertThat(s.firstDelivery(7)).as("a redelivery before PUBREL").isFalse();
        assertThat(s.firstDelivery(8)).isTrue();
        assertThat(s.awaitingRelease()).isEqualTo(2);

        assertThat(s.released(7)).isTrue();
        assertThat(s.released(7)).as("a second PUBREL").isFalse();
        assertThat(s.released(99)).isFalse();
        assertThat(s.awaitingRelease()).isEqualTo(1);

        assertThat(s.firstDelivery(7)).as("the identifier is free again").isTrue();
    }

    @Test
    void packetIdsSkipOnesInUseAndWrapAt65535() {
        BrokerSession s = session();
        s.attach(outlet, 2, T0);
        s.offer(message("held", 1), T0);
        assertThat(outlet.last().packetId()).isEqualTo(1);

        for (int expected = 2; expected <= 65_535; expected++) {
            s.offer(message("m", 1), T0);
            int id = outlet.last().packetId();
            assertThat(id).isEqualTo(expected);
            s.acknowledged(id, T0);
        }
        outlet.clear();

        s.offer(message("after-wrap", 1), T0);
        assertThat(outlet.last().packetId()).as("1 is still in flight").isEqualTo(2);

        s.acknowledged(1, T0);
        s.acknowledged(2, T0);
        s.offer(message("again", 1), T0);
        assertThat(outlet.last().packetId()).isEqualTo(3);
    }

    @Test
    void queueFullDropsTheOldestAndCountsIt() {
        BrokerSession s = session(new BrokerOptions(2, 32, 100, 3600));
        s.offer(message("1", 1), T0);
        s.offer(message("2", 1), T0);
        s.offer(message("3", 2), T0);

        s.attach(outlet, 10, T0);

        assertThat(outlet.payloads()).containsExactly("2", "3");
        assertThat(dropped("queue-full")).isEqualTo(1);
        assertThat(meters.droppedCount("queue-full")).isEqualTo(1);
    }

    @Test
    void theInflightWindowDoesNotCountAgainstTheQueueLimit() {
        BrokerSession s = session(new BrokerOptions(1, 32, 100, 3600));
        s.attach(outlet, 1, T0);
        s.offer(message("inflight", 1), T0);
        s.offer(message("queued", 1), T0);

        s.acknowledged(outlet.last().packetId(), T0);

        assertThat(outlet.payloads()).containsExactly("inflight", "queued");
        assertThat(dropped("queue-full")).isZero();
    }

    @Test
    void messagesTooLargeForTheClientAreDroppedAndCounted() {
        BrokerSession s = session();
        outlet.maximumPacketBytes(100);
        s.attach(outlet, 1, T0);
        String big = "x".repeat(200);

        s.offer(message(big, 0), T0);
        s.offer(message(big, 1), T0);
        s.offer(message("small", 1), T0);

        assertThat(outlet.payloads()).containsExactly("small");
        assertThat(dropped("too-large")).isEqualTo(2);
        assertThat(outlet.last().packetId())
                .as("no identifier spent on a dropped message")
                .isEqualTo(1);
    }

    @Test
    void theSizeEstimateCountsTopicPayloadAndProperties() {
        BrokerMessage plain = message("payload", 1);
        BrokerMessage withProperties = new BrokerMessage(
                plain.topic(),
                plain.payload(),
                1,
                false,
                new MessageProperties(
                        true,
                        "application/json",
                        "reply/here",
                        new byte[] {1, 2, 3},
                        List.of(new MessageProperties.UserProperty("take", "12"))),
                BrokerMessage.NEVER);
        long minimum = 2 + plain.topic().length() + 2 + plain.payload().length;

        assertThat(BrokerSession.estimatedPacketBytes(plain)).isGreaterThanOrEqualTo(minimum);
        assertThat(BrokerSession.estimatedPacketBytes(withProperties))
                .isGreaterThanOrEqualTo(BrokerSession.estimatedPacketBytes(plain)
                        + "application/json".length()
                        + "reply/here".length()
                        + 3
                        + "take".length()
                        + "12".length());
    }

    @Test
    void expiredQueuedMessagesAreDroppedRatherThanSent() {
        BrokerSession s = session();
        BrokerMessage shortLived = new BrokerMessage(
                "rigs/cam-01/status",
                "old".getBytes(StandardCharsets.UTF_8),
                1,
                false,
                MessageProperties.NONE,
                T0 + 5000);
        s.offer(shortLived, T0);
        s.offer(message("fresh", 1), T0);

        s.attach(outlet, 10, T0 + 5000);

        assertThat(outlet.payloads()).containsExactly("fresh");
        assertThat(dropped("expired")).isEqualTo(1);
    }

    @Test
    void purgeExpiredDropsOnlyExpiredQueuedMessages() {
        BrokerSession s = session();
        s.offer(
                new BrokerMessage(
                        "t", "old".getBytes(StandardCharsets.UTF_8), 1, false, MessageProperties.NONE, T0 + 5000),
                T0);
        s.offer(message("forever", 1), T0);

        assertThat(s.purgeExpired(T0 + 4999)).isZero();
        assertThat(s.purgeExpired(T0 + 5000)).isEqualTo(1);

        assertThat(s.queued()).isEqualTo(1);
        assertThat(dropped("expired")).isEqualTo(1);
    }

    @Test
    void pendingMessagesListUnacknowledgedOnesFirstAndRestoreQueuesThemAsNew() {
        BrokerSession s = session();
        s.attach(outlet, 1, T0);
        s.offer(message("inflight", 1), T0);
        s.offer(message("queued", 2), T0);

        List<BrokerMessage> pending = s.pendingMessages();
        assertThat(pending)
                .extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("inflight", "queued");

        BrokerSession restored = session();
        restored.restore(pending);
        RecordingOutlet fresh = new RecordingOutlet();
        restored.attach(fresh, 10, T0);
        assertThat(fresh.payloads()).containsExactly("inflight", "queued");
        assertThat(fresh.published()).extracting(RecordingOutlet.Sent::dup).containsOnly(false);
    }

    @Test
    void expiresOnlyWhileOfflineAndAfterItsInterval() {
        BrokerSession s = session();
        s.expirySeconds = 60;
        s.attach(outlet, 10, T0);
        assertThat(s.expiredAt(T0 + 3_600_000)).as("online").isFalse();

        s.detach(T0);
        assertThat(s.expiredAt(T0 + 59_999)).isFalse();
        assertThat(s.expiredAt(T0 + 60_000)).isTrue();

        s.expirySeconds = BrokerSession.NEVER_EXPIRES;
        assertThat(s.expiredAt(Long.MAX_VALUE)).isFalse();
    }
}

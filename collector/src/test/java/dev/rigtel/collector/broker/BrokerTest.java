package dev.rigtel.collector.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.metrics.BrokerMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerTest {

    private static final String USER = "crew";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T14:00:00Z"));
    private SimpleMeterRegistry registry;
    private BrokerMeters meters;
    private Broker broker;

    BrokerTest() {
        use(BrokerOptions.DEFAULTS);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Starts over with a broker with these limits, and fresh meters. */
    private void use(BrokerOptions options) {
        registry = new SimpleMeterRegistry();
        meters = new BrokerMeters(registry);
        broker = new Broker(options, meters, clock);
    }

    /** A persistent session that never expires, as MQTT 3.1.1 CleanSession=0. */
    private static Broker.ConnectRequest persistent(String clientId) {
        return new Broker.ConnectRequest(USER, clientId, false, BrokerSession.NEVER_EXPIRES, 65_535, null);
    }

    /** A session that ends with its connection, as MQTT 3.1.1 CleanSession=1. */
    private static Broker.ConnectRequest clean(String clientId) {
        return new Broker.ConnectRequest(USER, clientId, true, 0, 65_535, null);
    }

    private static Broker.ConnectRequest withWill(String clientId, long expirySeconds, Will will) {
        return new Broker.ConnectRequest(USER, clientId, false, expirySeconds, 65_535, will);
    }

    private static BrokerMessage message(String topic, String payload, int qos, boolean retain) {
        return BrokerMessage.of(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    private static Will will(String payload, long delaySeconds) {
        return new Will(message("rigs/cam-01/status", payload, 1, false), delaySeconds);
    }

    private BrokerSession subscriber(String clientId, RecordingOutlet outlet, Subscription... subscriptions) {
        BrokerSession s = broker.attach(persistent(clientId), outlet).session();
        broker.subscribe(s, List.of(subscriptions));
        return s;
    }

    private void publish(String topic, String payload, int qos) {
        broker.publish(message(topic, payload, qos, false), null);
    }

    private double dropped(String reason) {
        Counter c = registry.find("rigtel.broker.dropped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private double counter(String name) {
        Counter c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }

    // --- routing ---------------------------------------------------------------------------------

    @Test
    void routesAMessageToEveryMatchingSessionAndNoOther() {
        RecordingOutlet a = new RecordingOutlet();
        RecordingOutlet b = new RecordingOutlet();
        RecordingOutlet c = new RecordingOutlet();
        subscriber("a", a, Subscription.of("rigs/+/status", 1));
        subscriber("b", b, Subscription.of("rigs/#", 1));
        subscriber("c", c, Subscription.of("slate/#", 1));

        int offered = broker.publish(message("rigs/cam-01/status", "up", 1, false), null);

        assertThat(offered).isEqualTo(2);
        assertThat(a.payloads()).containsExactly("up");
        assertThat(b.payloads()).containsExactly("up");
        assertThat(c.published()).isEmpty();
    }

    @Test
    void hasSubscribersFollowsEverySubscriptionChange() {
        String trace = "rigtel/v1/live/cam-01/trace";
        assertThat(broker.hasSubscribers(trace)).isFalse();

        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = subscriber("a", out, Subscription.of("rigtel/v1/live/#", 0));
        assertThat(broker.hasSubscribers(trace)).isTrue();
        assertThat(broker.hasSubscribers("rigtel/v1/cam-01/imu")).isFalse();
        assertThat(broker.hasSubscribers("$SYS/broker/load")).isFalse();

        broker.subscribe(s, List.of(Subscription.of("rigtel/v1/+/imu", 0)));
        assertThat(broker.hasSubscribers("rigtel/v1/cam-01/imu")).isTrue();

        assertThat(broker.unsubscribe(s, "rigtel/v1/live/#")).isTrue();
        assertThat(broker.hasSubscribers(trace)).isFalse();
        assertThat(broker.hasSubscribers("rigtel/v1/cam-01/imu")).isTrue();

        // A shared group's member counts, and a clean session's subscriptions leave with it.
        RecordingOutlet member = new RecordingOutlet();
        BrokerSession m = broker.attach(clean("m"), member).session();
        broker.subscribe(m, List.of(Subscription.of("$share/viewers/rigtel/v1/live/+/trace", 0)));
        assertThat(broker.hasSubscribers(trace)).isTrue();
        broker.detach(m, member, false, -1);
        assertThat(broker.hasSubscribers(trace)).isFalse();
    }

    @Test
    void hasSubscribersRemembersAtMostTheLimitOfTopicsAndStillAnswersBeyondIt() {
        subscriber("a", new RecordingOutlet(), Subscription.of("t/even/#", 0));
        for (int i = 0; i < Broker.MAX_INTEREST_TOPICS + 100; i++) {
            assertThat(broker.hasSubscribers("t/" + (i % 2 == 0 ? "even" : "odd") + "/" + i))
                    .isEqualTo(i % 2 == 0);
        }
    }

    @Test
    void overlappingSubscriptionsDeliverOneCopyAtTheHighestQos() {
        RecordingOutlet out = new RecordingOutlet();
        subscriber(
                "a",
                out,
                Subscription.of("rigs/+/status", 0),
                Subscription.of("rigs/#", 2),
                Subscription.of("rigs/cam-01/status", 1));

        int offered = broker.publish(message("rigs/cam-01/status", "up", 2, false), null);

        assertThat(offered).isEqualTo(1);
        assertThat(out.published()).hasSize(1);
        assertThat(out.last().qos()).isEqualTo(2);
    }

    @Test
    void deliversAtTheLowerOfThePublishedAndTheSubscribedQos() {
        RecordingOutlet q0 = new RecordingOutlet();
        RecordingOutlet q1 = new RecordingOutlet();
        RecordingOutlet q2 = new RecordingOutlet();
        subscriber("q0", q0, Subscription.of("t", 0));
        subscriber("q1", q1, Subscription.of("t", 1));
        subscriber("q2", q2, Subscription.of("t", 2));

        publish("t", "two", 2);
        publish("t", "one", 1);

        assertThat(q0.published()).extracting(RecordingOutlet.Sent::qos).containsExactly(0, 0);
        assertThat(q1.published()).extracting(RecordingOutlet.Sent::qos).containsExactly(1, 1);
        assertThat(q2.published()).extracting(RecordingOutlet.Sent::qos).containsExactly(2, 1);
        assertThat(q0.last().packetId()).isZero();
    }

    @Test
    void wildcardSubscriptionsDoNotReceiveDollarTopics() {
        RecordingOutlet all = new RecordingOutlet();
        RecordingOutlet sys = new RecordingOutlet();
        subscriber("all", all, Subscription.of("#", 1));
        subscriber("sys", sys, Subscription.of("$SYS/#", 1));

        publish("$SYS/broker/uptime", "42", 1);

        assertThat(all.published()).isEmpty();
        assertThat(sys.payloads()).containsExactly("42");
    }

    @Test
    void unsubscribeStopsDeliveryAndTellsWhetherTheSubscriptionExisted() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = subscriber("a", out, Subscription.of("t/+", 1), Subscription.of("t/#", 1));

        assertThat(broker.unsubscribe(s, "t/+")).isTrue();
        assertThat(broker.unsubscribe(s, "t/+")).isFalse();
        publish("t/x", "still via t/#", 1);
        assertThat(broker.unsubscribe(s, "t/#")).isTrue();
        publish("t/x", "gone", 1);

        assertThat(out.payloads()).containsExactly("still via t/#");
        assertThat(broker.subscriptionCount()).isZero();
    }

    @Test
    void expiredMessagesAreNotRouted() {
        RecordingOutlet out = new RecordingOutlet();
        subscriber("a", out, Subscription.of("t", 1));
        BrokerMessage stale = new BrokerMessage(
                "t", "stale".getBytes(StandardCharsets.UTF_8), 1, true, MessageProperties.NONE, clock.millis());

        assertThat(broker.publish(stale, null)).isZero();
        assertThat(out.published()).isEmpty();
        assertThat(broker.retained("t")).isNull();
        assertThat(dropped("expired")).isEqualTo(1);
    }

    @Test
    void noLocalSubscriptionsDoNotReceiveTheirOwnMessages() {
        RecordingOutlet self = new RecordingOutlet();
        RecordingOutlet other = new RecordingOutlet();
        BrokerSession me = subscriber("me", self, new Subscription("chat", 1, true, false, 0));
        BrokerSession you = subscriber("you", other, new Subscription("chat", 1, true, false, 0));

        broker.publish(message("chat", "from me", 1, false), me.key());
        broker.publish(message("chat", "from you", 1, false), you.key());
        broker.publish(message("chat", "from the collector", 1, false), null);

        assertThat(self.payloads()).containsExactly("from you", "from the collector");
        assertThat(other.payloads()).containsExactly("from me", "from the collector");
    }

    @Test
    void withoutNoLocalAClientReceivesItsOwnMessages() {
        RecordingOutlet self = new RecordingOutlet();
        BrokerSession me = subscriber("me", self, Subscription.of("chat", 1));

        broker.publish(message("chat", "echo", 1, false), me.key());

        assertThat(self.payloads()).containsExactly("echo");
    }

    // --- retained messages -----------------------------------------------------------------------

    @Test
    void aRetainedMessageIsSetReplacedAndClearedByAnEmptyPayload() {
        broker.publish(message("rigs/cam-01/status", "first", 1, true), null);
        assertThat(new String(broker.retained("rigs/cam-01/status").payload(), StandardCharsets.UTF_8))
                .isEqualTo("first");

        broker.publish(message("rigs/cam-01/status", "second", 0, true), null);
        assertThat(new String(broker.retained("rigs/cam-01/status").payload(), StandardCharsets.UTF_8))
                .isEqualTo("second");
        assertThat(broker.retained("rigs/cam-01/status").qos()).isZero();
        assertThat(broker.retainedCount()).isEqualTo(1);

        broker.publish(message("rigs/cam-01/status", "", 1, true), null);
        assertThat(broker.retained("rigs/cam-01/status")).isNull();
        assertThat(broker.retainedCount()).isZero();
    }

    @Test
    void aMessageWithoutRetainLeavesTheRetainedMessageAlone() {
        broker.publish(message("t", "kept", 1, true), null);
        publish("t", "live", 1);

        assertThat(new String(broker.retained("t").payload(), StandardCharsets.UTF_8))
                .isEqualTo("kept");
    }

    @Test
    void anEmptyRetainedMessageIsStillForwardedToSubscribers() {
        RecordingOutlet out = new RecordingOutlet();
        subscriber("a", out, Subscription.of("t", 1));

        broker.publish(message("t", "", 1, true), null);

        assertThat(out.payloads()).containsExactly("");
    }

    @Test
    void retainedMessagesAreSentOnSubscribeWithRetainSet() {
        broker.publish(message("rigs/cam-01/status", "cam-01 up", 2, true), null);
        broker.publish(message("rigs/cam-02/status", "cam-02 up", 1, true), null);
        broker.publish(message("slate/take", "12", 1, true), null);

        RecordingOutlet out = new RecordingOutlet();
        subscriber("a", out, Subscription.of("rigs/+/status", 1));

        assertThat(out.payloads()).containsExactlyInAnyOrder("cam-01 up", "cam-02 up");
        assertThat(out.published()).allSatisfy(sent -> {
            assertThat(sent.retain()).isTrue();
            assertThat(sent.qos()).isEqualTo(1);
        });
    }

    @Test
    void retainedDollarTopicsAreNotSentToFirstLevelWildcards() {
        broker.publish(message("$SYS/version", "1", 0, true), null);

        RecordingOutlet out = new RecordingOutlet();
        subscriber("a", out, Subscription.of("#", 0));

        assertThat(out.published()).isEmpty();
    }

    @Test
    void liveMessagesToExistingSubscriptionsHaveRetainCleared() {
        RecordingOutlet out = new RecordingOutlet();
        subscriber("a", out, Subscription.of("t", 1));

        broker.publish(message("t", "live", 1, true), null);

        assertThat(out.last().retain()).isFalse();
        assertThat(broker.retained("t").retain()).isTrue();
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOfLiveMessages() {
        RecordingOutlet out = new RecordingOutlet();
        subscriber("a", out, new Subscription("t", 1, false, true, 0));

        broker.publish(message("t", "retained", 1, true), null);
        broker.publish(message("t", "plain", 1, false), null);

        assertThat(out.published()).extracting(RecordingOutlet.Sent::retain).containsExactly(true, false);
    }

    @Test
    void retainHandling0SendsRetainedMessagesOnEverySubscribe() {
        broker.publish(message("t", "r", 1, true), null);
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = subscriber("a", out, new Subscription("t", 1, false, false, 0));

        broker.subscribe(s, List.of(new Subscription("t", 1, false, false, 0)));

        assertThat(out.payloads()).containsExactly("r", "r");
    }

    @Test
    void retainHandling1SendsRetainedMessagesOnlyForANewSubscription() {
        broker.publish(message("t", "r", 1, true), null);
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = subscriber("a", out, new Subscription("t", 1, false, false, 1));

        broker.subscribe(s, List.of(new Subscription("t", 1, false, false, 1)));

        assertThat(out.payloads()).containsExactly("r");
    }

    @Test
    void retainHandling2NeverSendsRetainedMessages() {
        broker.publish(message("t", "r", 1, true), null);
        RecordingOutlet out = new RecordingOutlet();
        subscriber("a", out, new Subscription("t", 1, false, false, 2));

        assertThat(out.published()).isEmpty();
        publish("t", "live", 1);
        assertThat(out.payloads()).containsExactly("live");
    }

    @Test
    void expiredRetainedMessagesAreNotSentAndTickRemovesThem() {
        broker.publish(
                new BrokerMessage(
                        "t",
                        "r".getBytes(StandardCharsets.UTF_8),
                        1,
                        true,
                        MessageProperties.NONE,
                        clock.millis() + 10_000),
                null);
        clock.advanceSeconds(10);

        RecordingOutlet out = new RecordingOutlet();
        subscriber("a", out, Subscription.of("t", 1));
        assertThat(out.published()).isEmpty();

        broker.tick();
        assertThat(broker.retained("t")).isNull();
    }

    @Test
    void beyondTheRetainedLimitMessagesAreDeliveredButNotRetained() {
        use(new BrokerOptions(1000, 32, 1, 3600));
        RecordingOutlet out = new RecordingOutlet();
        subscriber("a", out, Subscription.of("#", 1));

        broker.publish(message("one", "1", 1, true), null);
        broker.publish(message("two", "2", 1, true), null);
        broker.publish(message("one", "1 again", 1, true), null);

        assertThat(out.payloads()).containsExactly("1", "2", "1 again");
        assertThat(broker.retained("two")).isNull();
        assertThat(new String(broker.retained("one").payload(), StandardCharsets.UTF_8))
                .as("replacing a retained topic is always allowed")
                .isEqualTo("1 again");
        assertThat(dropped("retained-full")).isEqualTo(1);
    }

    // --- sessions --------------------------------------------------------------------------------

    @Test
    void persistentSessionQueuesQos1And2WhileOfflineButNotQos0() {
        RecordingOutlet first = new RecordingOutlet();
        BrokerSession s = subscriber("a", first, Subscription.of("t", 2));
        broker.detach(s, first, false, -1);

        publish("t", "q0", 0);
        publish("t", "q1", 1);
        publish("t", "q2", 2);
        assertThat(broker.queuedCount()).isEqualTo(2);

        RecordingOutlet second = new RecordingOutlet();
        Broker.Attached again = broker.attach(persistent("a"), second);

        assertThat(again.sessionPresent()).isTrue();
        assertThat(again.session()).isSameAs(s);
        assertThat(second.payloads()).containsExactly("q1", "q2");
        assertThat(dropped("offline-qos0")).isEqualTo(1);
    }

    @Test
    void aCleanSessionIsDiscardedWhenItsConnectionEnds() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = broker.attach(clean("a"), out).session();
        broker.subscribe(s, List.of(Subscription.of("t", 1)));

        broker.detach(s, out, false, -1);

        assertThat(broker.sessionCount()).isZero();
        assertThat(broker.subscriptionCount()).isZero();
        assertThat(broker.publish(message("t", "x", 1, false), null)).isZero();
        assertThat(broker.attach(persistent("a"), new RecordingOutlet()).sessionPresent())
                .isFalse();
    }

    @Test
    void cleanStartDiscardsAStoredSessionWithItsSubscriptionsAndQueue() {
        RecordingOutlet first = new RecordingOutlet();
        BrokerSession s = subscriber("a", first, Subscription.of("t", 1));
        broker.detach(s, first, false, -1);
        publish("t", "queued", 1);

        RecordingOutlet second = new RecordingOutlet();
        Broker.Attached fresh = broker.attach(clean("a"), second);

        assertThat(fresh.sessionPresent()).isFalse();
        assertThat(fresh.session()).isNotSameAs(s);
        assertThat(second.published()).isEmpty();
        assertThat(broker.subscriptionCount()).isZero();
        assertThat(broker.sessionCount()).isEqualTo(1);
        publish("t", "after", 1);
        assertThat(second.published()).isEmpty();
    }

    @Test
    void sessionPresentIsSetOnlyWhenAStoredSessionIsResumed() {
        RecordingOutlet out = new RecordingOutlet();
        Broker.Attached first = broker.attach(persistent("a"), out);
        assertThat(first.sessionPresent()).isFalse();
        broker.detach(first.session(), out, false, -1);

        RecordingOutlet again = new RecordingOutlet();
        Broker.Attached second = broker.attach(persistent("a"), again);
        assertThat(second.sessionPresent()).isTrue();
        broker.detach(second.session(), again, false, -1);

        assertThat(broker.attach(clean("a"), new RecordingOutlet()).sessionPresent())
                .isFalse();
    }

    @Test
    void sessionsAreKeyedByUsernameAndClientId() {
        RecordingOutlet crew = new RecordingOutlet();
        RecordingOutlet other = new RecordingOutlet();
        broker.attach(persistent("cam-01"), crew);
        Broker.Attached second = broker.attach(
                new Broker.ConnectRequest("intruder", "cam-01", false, BrokerSession.NEVER_EXPIRES, 65_535, null),
                other);

        assertThat(crew.takenOverCount()).isZero();
        assertThat(second.sessionPresent()).isFalse();
        assertThat(broker.sessionCount()).isEqualTo(2);
    }

    @Test
    void takeoverClosesTheOldConnectionAndIgnoresItsLateDetach() {
        RecordingOutlet old = new RecordingOutlet();
        BrokerSession s = subscriber("a", old, Subscription.of("t", 1));

        RecordingOutlet fresh = new RecordingOutlet();
        Broker.Attached taken = broker.attach(withWill("a", 3600, will("new gone", 0)), fresh);

        assertThat(old.takenOverCount()).isEqualTo(1);
        assertThat(taken.sessionPresent()).isTrue();
        assertThat(counter("rigtel.broker.takeovers")).isEqualTo(1);

        // The old connection's channel closes afterwards and reports an abrupt end.
        broker.detach(s, old, true, 0);

        assertThat(s.online()).isTrue();
        assertThat(broker.sessionCount()).isEqualTo(1);
        assertThat(meters.willCount())
                .as("the new connection's will stays armed")
                .isZero();
        publish("t", "to the new connection", 1);
        assertThat(fresh.payloads()).containsExactly("to the new connection");
        assertThat(old.published()).isEmpty();
    }

    @Test
    void takeoverWithCleanStartIgnoresTheOldConnectionsLateDetachToo() {
        RecordingOutlet old = new RecordingOutlet();
        BrokerSession s = subscriber("a", old, Subscription.of("t", 1));

        RecordingOutlet fresh = new RecordingOutlet();
        BrokerSession replacement = broker.attach(clean("a"), fresh).session();
        broker.detach(s, old, true, -1);

        assertThat(old.takenOverCount()).isEqualTo(1);
        assertThat(replacement.online()).isTrue();
        assertThat(broker.sessionCount()).isEqualTo(1);
    }

    @Test
    void takeoverPublishesTheOldConnectionsWillWhenItHasNoDelay() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        broker.attach(withWill("cam", 3600, will("cam gone", 0)), new RecordingOutlet());

        broker.attach(persistent("cam"), new RecordingOutlet());

        assertThat(watcher.payloads()).containsExactly("cam gone");
        assertThat(meters.willCount()).isEqualTo(1);
    }

    @Test
    void takeoverCancelsADelayedWillOfAResumedSession() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        broker.attach(withWill("cam", 3600, will("cam gone", 30)), new RecordingOutlet());

        broker.attach(persistent("cam"), new RecordingOutlet());
        clock.advanceSeconds(60);
        broker.tick();

        assertThat(watcher.published()).isEmpty();
    }

    @Test
    void takeoverOfASessionThatEndsWithItsConnectionPublishesItsDelayedWill() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        broker.attach(withWill("cam", 0, will("cam gone", 30)), new RecordingOutlet());

        Broker.Attached fresh = broker.attach(persistent("cam"), new RecordingOutlet());

        assertThat(fresh.sessionPresent())
                .as("a session expiring at once is not resumed")
                .isFalse();
        assertThat(watcher.payloads())
                .as("the session ended before the will delay")
                .containsExactly("cam gone");
    }

    // --- wills -----------------------------------------------------------------------------------

    @Test
    void theWillIsPublishedWhenTheConnectionEndsAbruptly() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        RecordingOutlet cam = new RecordingOutlet();
        BrokerSession s =
                broker.attach(withWill("cam", 3600, will("cam gone", 0)), cam).session();

        broker.detach(s, cam, true, -1);

        assertThat(watcher.payloads()).containsExactly("cam gone");
        assertThat(meters.willCount()).isEqualTo(1);
        assertThat(counter("rigtel.broker.wills")).isEqualTo(1);
    }

    @Test
    void theWillIsNotPublishedAfterANormalDisconnect() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        RecordingOutlet cam = new RecordingOutlet();
        BrokerSession s =
                broker.attach(withWill("cam", 3600, will("cam gone", 0)), cam).session();

        broker.detach(s, cam, false, -1);
        broker.tick();

        assertThat(watcher.published()).isEmpty();
        assertThat(meters.willCount()).isZero();
    }

    @Test
    void aRetainedWillBecomesTheRetainedMessage() {
        RecordingOutlet cam = new RecordingOutlet();
        Will retainedWill = new Will(message("rigs/cam/status", "offline", 1, true), 0);
        BrokerSession s = broker.attach(withWill("cam", 0, retainedWill), cam).session();

        broker.detach(s, cam, true, -1);

        assertThat(new String(broker.retained("rigs/cam/status").payload(), StandardCharsets.UTF_8))
                .isEqualTo("offline");
    }

    @Test
    void aDelayedWillIsPublishedByTickAfterItsDelay() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        RecordingOutlet cam = new RecordingOutlet();
        BrokerSession s =
                broker.attach(withWill("cam", 3600, will("cam gone", 30)), cam).session();

        broker.detach(s, cam, true, -1);
        assertThat(watcher.published()).isEmpty();

        clock.advanceSeconds(29);
        broker.tick();
        assertThat(watcher.published()).isEmpty();

        clock.advanceSeconds(1);
        broker.tick();
        assertThat(watcher.payloads()).containsExactly("cam gone");

        clock.advanceSeconds(60);
        broker.tick();
        assertThat(watcher.payloads()).as("published once").hasSize(1);
    }

    @Test
    void aDelayedWillIsCancelledByAReconnectWithinTheDelay() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        RecordingOutlet cam = new RecordingOutlet();
        BrokerSession s =
                broker.attach(withWill("cam", 3600, will("cam gone", 30)), cam).session();
        broker.detach(s, cam, true, -1);

        clock.advanceSeconds(20);
        broker.attach(persistent("cam"), new RecordingOutlet());
        clock.advanceSeconds(60);
        broker.tick();

        assertThat(watcher.published()).isEmpty();
        assertThat(meters.willCount()).isZero();
    }

    @Test
    void aDelayedWillIsPublishedWhenTheSessionExpiresFirst() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        RecordingOutlet cam = new RecordingOutlet();
        BrokerSession s =
                broker.attach(withWill("cam", 10, will("cam gone", 300)), cam).session();
        broker.detach(s, cam, true, -1);

        clock.advanceSeconds(9);
        broker.tick();
        assertThat(watcher.published()).isEmpty();

        clock.advanceSeconds(1);
        broker.tick();
        assertThat(watcher.payloads()).containsExactly("cam gone");
        assertThat(broker.sessionCount()).as("only the watcher is left").isEqualTo(1);
    }

    @Test
    void aDelayedWillIsPublishedAtOnceWhenTheSessionEndsWithTheConnection() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        RecordingOutlet cam = new RecordingOutlet();
        BrokerSession s =
                broker.attach(withWill("cam", 0, will("cam gone", 300)), cam).session();

        broker.detach(s, cam, true, -1);

        assertThat(watcher.payloads()).containsExactly("cam gone");
    }

    @Test
    void aDelayedWillIsPublishedWhenACleanStartEndsTheSession() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        RecordingOutlet cam = new RecordingOutlet();
        BrokerSession s =
                broker.attach(withWill("cam", 3600, will("cam gone", 300)), cam).session();
        broker.detach(s, cam, true, -1);

        broker.attach(clean("cam"), new RecordingOutlet());

        assertThat(watcher.payloads()).containsExactly("cam gone");
    }

    @Test
    void aWillAlreadyDueWhenTheClientReconnectsIsPublishedNotCancelled() {
        RecordingOutlet watcher = new RecordingOutlet();
        subscriber("watcher", watcher, Subscription.of("rigs/+/status", 1));
        RecordingOutlet cam = new RecordingOutlet();
        BrokerSession s =
                broker.attach(withWill("cam", 3600, will("cam gone", 30)), cam).session();
        broker.detach(s, cam, true, -1);

        // The delay passed, but the reconnect comes before the next tick.
        clock.advanceSeconds(31);
        broker.attach(persistent("cam"), new RecordingOutlet());

        assertThat(watcher.payloads()).containsExactly("cam gone");
    }

    // --- expiry ----------------------------------------------------------------------------------

    @Test
    void aSessionExpiresViaTickAfterItsInterval() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = broker.attach(withWill("a", 60, null), out).session();
        broker.subscribe(s, List.of(Subscription.of("t", 1)));
        broker.detach(s, out, false, -1);

        clock.advanceSeconds(59);
        broker.tick();
        assertThat(broker.sessionCount()).isEqualTo(1);

        clock.advanceSeconds(1);
        broker.tick();
        assertThat(broker.sessionCount()).isZero();
        assertThat(broker.subscriptionCount()).isZero();
        assertThat(broker.attach(persistent("a"), new RecordingOutlet()).sessionPresent())
                .isFalse();
    }

    @Test
    void anExpiredSessionIsNotResumedEvenBeforeTheTick() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = broker.attach(withWill("a", 60, null), out).session();
        broker.detach(s, out, false, -1);

        clock.advanceSeconds(60);

        assertThat(broker.attach(persistent("a"), new RecordingOutlet()).sessionPresent())
                .isFalse();
    }

    @Test
    void theGrantedSessionExpiryIsCappedAndSoIsNever() {
        use(new BrokerOptions(1000, 32, 100, 600));

        assertThat(broker.attach(withWill("a", 3600, null), new RecordingOutlet())
                        .grantedExpirySeconds())
                .isEqualTo(600);
        assertThat(broker.attach(withWill("b", 60, null), new RecordingOutlet()).grantedExpirySeconds())
                .isEqualTo(60);
        assertThat(broker.attach(persistent("c"), new RecordingOutlet()).grantedExpirySeconds())
                .isEqualTo(600);
    }

    @Test
    void aPersistentSessionOfAnMqtt311ClientEndsTheLongestExpiryAfterItLeft() {
        use(new BrokerOptions(1000, 32, 100, 600));
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = subscriber("a", out, Subscription.of("t", 1));
        broker.detach(s, out, false, -1);
        publish("t", "queued", 1);

        clock.advanceSeconds(599);
        broker.tick();
        assertThat(broker.sessionCount()).isEqualTo(1);

        clock.advanceSeconds(2);
        broker.tick();
        assertThat(broker.sessionCount()).isZero();
        assertThat(broker.queuedCount()).isZero();
        assertThat(broker.pendingBytes()).isZero();
    }

    @Test
    void aDisconnectCanEndTheSessionByZeroingItsExpiry() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = subscriber("a", out, Subscription.of("t", 1));

        broker.detach(s, out, false, 0);

        assertThat(broker.sessionCount()).isZero();
        assertThat(broker.subscriptionCount()).isZero();
    }

    @Test
    void messageExpiryDropsQueuedMessagesOnTick() {
        RecordingOutlet first = new RecordingOutlet();
        BrokerSession s = subscriber("a", first, Subscription.of("t", 1));
        broker.detach(s, first, false, -1);
        broker.publish(
                new BrokerMessage(
                        "t",
                        "short".getBytes(StandardCharsets.UTF_8),
                        1,
                        false,
                        MessageProperties.NONE,
                        clock.millis() + 5_000),
                null);
        publish("t", "long", 1);
        assertThat(broker.queuedCount()).isEqualTo(2);

        clock.advanceSeconds(5);
        broker.tick();

        assertThat(broker.queuedCount()).isEqualTo(1);
        assertThat(dropped("expired")).isEqualTo(1);
        RecordingOutlet second = new RecordingOutlet();
        broker.attach(persistent("a"), second);
        assertThat(second.payloads()).containsExactly("long");
    }

    // --- flow control and limits -----------------------------------------------------------------

    @Test
    void theReceiveMaximumLimitsUnacknowledgedSendsAndAcksReleaseTheNext() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = broker.attach(
                        new Broker.ConnectRequest(USER, "a", false, BrokerSession.NEVER_EXPIRES, 2, null), out)
                .session();
        broker.subscribe(s, List.of(Subscription.of("t", 1)));

        publish("t", "1", 1);
        publish("t", "2", 1);
        publish("t", "3", 1);
        assertThat(out.payloads()).containsExactly("1", "2");

        s.acknowledged(out.published().get(0).packetId(), clock.millis());
        assertThat(out.payloads()).containsExactly("1", "2", "3");
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsIt() {
        use(new BrokerOptions(2, 32, 100, 3600));
        RecordingOutlet first = new RecordingOutlet();
        BrokerSession s = subscriber("a", first, Subscription.of("t", 1));
        broker.detach(s, first, false, -1);

        for (String p : List.of("1", "2", "3", "4")) {
            publish("t", p, 1);
        }
        RecordingOutlet second = new RecordingOutlet();
        broker.attach(persistent("a"), second);

        assertThat(second.payloads()).containsExactly("3", "4");
        assertThat(registry.get("rigtel.broker.dropped")
                        .tag("reason", "queue-full")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    /** Limits as the defaults, with these byte and per-user ones. */
    private void useLimits(long queuedBytes, long queuedBytesTotal, long retainedBytes, int sessionsPerUser) {
        use(new BrokerOptions(1000, 32, 10_000, 3600, queuedBytes, queuedBytesTotal, retainedBytes, sessionsPerUser));
    }

    private BrokerSession offlineSubscriber(String clientId, String filter) {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = subscriber(clientId, out, Subscription.of(filter, 1));
        broker.detach(s, out, false, -1);
        return s;
    }

    @Test
    void anOfflineSessionHoldsAtMostItsQueuedBytesAndKeepsTheNewest() {
        useLimits(4096, 1 << 20, 1 << 20, 10);
        offlineSubscriber("a", "t");

        for (int i = 0; i < 50; i++) {
            publish("t", i + ":" + "x".repeat(1000), 1);
        }

        assertThat(broker.pendingBytes()).isBetween(1L, 4096L);
        assertThat(dropped("queue-full")).isGreaterThanOrEqualTo(46);
        RecordingOutlet back = new RecordingOutlet();
        broker.attach(persistent("a"), back);
        assertThat(back.payloads()).isNotEmpty().last().asString().startsWith("49:");
    }

    @Test
    void allSessionsTogetherHoldAtMostTheBrokersQueuedBytes() {
        useLimits(4096, 10_000, 1 << 20, 100);
        for (int i = 0; i < 20; i++) {
            offlineSubscriber("s" + i, "#");
        }

        for (int i = 0; i < 20; i++) {
            publish("t", "y".repeat(1000), 1);
        }

        assertThat(broker.pendingBytes()).isBetween(1L, 10_000L);
        assertThat(dropped("broker-full")).isPositive();
    }

    @Test
    void pendingBytesAreReleasedByAcknowledgementsAndWhenASessionEnds() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession online = subscriber("a", out, Subscription.of("t", 1));
        BrokerSession offline = offlineSubscriber("b", "t");

        publish("t", "one", 1);
        assertThat(broker.pendingBytes()).isPositive();

        online.acknowledged(out.published().get(0).packetId(), clock.millis());
        RecordingOutlet other = new RecordingOutlet();
        broker.attach(new Broker.ConnectRequest(USER, "b", true, 0, 65_535, null), other);

        assertThat(broker.pendingBytes()).isZero();
        assertThat(offline.pendingBytes()).isZero();
    }

    @Test
    void retainedMessagesAreBoundedByBytesAndAClearGivesTheRoomBack() {
        useLimits(1 << 20, 1 << 20, 3000, 10);

        broker.publish(message("r/1", "a".repeat(1000), 0, true), null);
        broker.publish(message("r/2", "b".repeat(1000), 0, true), null);
        broker.publish(message("r/3", "c".repeat(1000), 0, true), null);

        assertThat(broker.retained("r/3")).isNull();
        assertThat(dropped("retained-full")).isEqualTo(1);
        assertThat(broker.retainedBytes()).isBetween(2000L, 3000L);

        broker.publish(message("r/1", "", 0, true), null);
        broker.publish(message("r/3", "c".repeat(1000), 0, true), null);
        assertThat(broker.retained("r/3")).isNotNull();
    }

    @Test
    void aUserBeyondItsSessionsEndsItsLongestOfflineOne() {
        useLimits(1 << 20, 1 << 20, 1 << 20, 2);
        offlineSubscriber("first", "t");
        clock.advanceSeconds(10);
        offlineSubscriber("second", "t");

        broker.attach(persistent("third"), new RecordingOutlet());

        assertThat(broker.sessionCount()).isEqualTo(2);
        RecordingOutlet back = new RecordingOutlet();
        assertThat(broker.attach(persistent("first"), back).sessionPresent()).isFalse();
        assertThat(dropped("sessions-per-user"))
                .as("'first', then 'second' for the returning 'first'")
                .isEqualTo(2);
        assertThat(broker.sessionCount()).isEqualTo(2);
        assertThat(broker.roomForSession(USER, "second", false, 3600)).isFalse();
    }

    @Test
    void aUserWhoseSessionsAreAllOnlineIsRefusedAnotherAndOthersAreNot() {
        useLimits(1 << 20, 1 << 20, 1 << 20, 2);
        broker.attach(persistent("a"), new RecordingOutlet());
        broker.attach(persistent("b"), new RecordingOutlet());

        assertThat(broker.roomForSession(USER, "c", false, 3600)).isFalse();
        assertThat(broker.attach(persistent("c"), new RecordingOutlet())).isNull();
        assertThat(broker.roomForSession(USER, "a", false, 3600))
                .as("resuming its own")
                .isTrue();
        assertThat(broker.roomForSession(USER, "c", true, 0))
                .as("a clean session")
                .isTrue();
        assertThat(broker.roomForSession("another", "c", false, 3600)).isTrue();
        assertThat(broker.attach(
                        new Broker.ConnectRequest("another", "c", false, 3600, 65_535, null), new RecordingOutlet()))
                .isNotNull();
        assertThat(broker.sessionCount()).isEqualTo(3);
    }

    @Test
    void theStateFileStaysWithinTheByteLimitsWhateverClientsAsk(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        useLimits(16 * 1024, 64 * 1024, 32 * 1024, 10);
        for (int user = 0; user < 50; user++) {
            for (int c = 0; c < 20; c++) {
                RecordingOutlet out = new RecordingOutlet();
                BrokerSession s = broker.attach(
                                new Broker.ConnectRequest(
                                        "u" + user, "c" + c, false, BrokerSession.NEVER_EXPIRES, 65_535, null),
                                out)
                        .session();
                broker.subscribe(s, List.of(Subscription.of("#", 1)));
                broker.detach(s, out, false, -1);
            }
        }
        for (int i = 0; i < 200; i++) {
            broker.publish(message("flood/" + i, "z".repeat(2000), 1, true), null);
        }

        assertThat(broker.sessionCount()).isEqualTo(50 * 10);
        java.nio.file.Path file = dir.resolve("broker-state.json");
        new BrokerStateFile(file, new com.fasterxml.jackson.databind.ObjectMapper()).save(broker.state());
        // Queued and retained payloads are bounded by bytes; what is left per session is its
        // subscription and names, bounded by the sessions per user.
        assertThat(java.nio.file.Files.size(file)).isLessThan(2 * (64 + 32) * 1024 + 500L * 200);
    }

    @Test
    void messagesTooLargeForTheSubscriberAreDropped() {
        RecordingOutlet out = new RecordingOutlet();
        out.maximumPacketBytes(64);
        subscriber("a", out, Subscription.of("t", 1));

        publish("t", "x".repeat(100), 1);
        publish("t", "x".repeat(100), 0);
        publish("t", "ok", 1);

        assertThat(out.payloads()).containsExactly("ok");
        assertThat(dropped("too-large")).isEqualTo(2);
    }

    // --- state -----------------------------------------------------------------------------------

    @Test
    void stateAndRestoreKeepRetainedSubscriptionsAndQueuedMessages() {
        broker.publish(message("rigs/cam-01/status", "up", 1, true), null);
        RecordingOutlet first = new RecordingOutlet();
        BrokerSession s = subscriber("a", first, Subscription.of("t/#", 2), new Subscription("u", 1, true, true, 2));
        broker.detach(s, first, false, -1);
        publish("t/1", "queued one", 1);
        publish("t/2", "queued two", 2);

        BrokerState saved = broker.state();
        SimpleMeterRegistry otherRegistry = new SimpleMeterRegistry();
        Broker restarted = new Broker(BrokerOptions.DEFAULTS, new BrokerMeters(otherRegistry), clock);
        restarted.restore(saved);

        assertThat(restarted.sessionCount()).isEqualTo(1);
        assertThat(restarted.subscriptionCount()).isEqualTo(2);
        assertThat(restarted.retainedCount()).isEqualTo(1);
        assertThat(restarted.queuedCount()).isEqualTo(2);

        RecordingOutlet second = new RecordingOutlet();
        Broker.Attached resumed = restarted.attach(persistent("a"), second);
        assertThat(resumed.sessionPresent()).isTrue();
        assertThat(second.payloads()).containsExactly("queued one", "queued two");
        assertThat(second.published()).extracting(RecordingOutlet.Sent::qos).containsExactly(1, 2);

        restarted.publish(message("t/3", "live", 1, false), null);
        assertThat(second.last().payload()).isEqualTo("live");
        assertThat(resumed.session().subscriptions).containsEntry("u", new Subscription("u", 1, true, true, 2));

        RecordingOutlet newcomer = new RecordingOutlet();
        BrokerSession b = restarted.attach(persistent("b"), newcomer).session();
        restarted.subscribe(b, List.of(Subscription.of("rigs/#", 1)));
        assertThat(newcomer.payloads()).containsExactly("up");
        assertThat(newcomer.last().retain()).isTrue();
    }

    @Test
    void stateKeepsUnacknowledgedMessagesOfAnOnlineSessionFirst() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = broker.attach(
                        new Broker.ConnectRequest(USER, "a", false, BrokerSession.NEVER_EXPIRES, 1, null), out)
                .session();
        broker.subscribe(s, List.of(Subscription.of("t", 1)));
        publish("t", "inflight", 1);
        publish("t", "queued", 1);

        BrokerState saved = broker.state();

        assertThat(saved.sessions()).hasSize(1);
        BrokerState.SessionState state = saved.sessions().get(0);
        assertThat(state.clientId()).isEqualTo("a");
        assertThat(state.username()).isEqualTo(USER);
        assertThat(state.disconnectedAtMillis()).isEqualTo(clock.millis());
        assertThat(state.pending())
                .extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("inflight", "queued");
    }

    @Test
    void stateLeavesOutSessionsThatEndWithTheirConnection() {
        broker.attach(clean("a"), new RecordingOutlet());
        broker.attach(persistent("b"), new RecordingOutlet());

        assertThat(broker.state().sessions())
                .extracting(BrokerState.SessionState::clientId)
                .containsExactly("b");
    }

    @Test
    void aRestoredSessionStillExpiresFromWhenItWasDisconnected() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = broker.attach(withWill("a", 60, null), out).session();
        broker.detach(s, out, false, -1);
        BrokerState saved = broker.state();

        clock.advanceSeconds(60);
        Broker restarted = new Broker(BrokerOptions.DEFAULTS, new BrokerMeters(new SimpleMeterRegistry()), clock);
        restarted.restore(saved);
        restarted.tick();

        assertThat(restarted.sessionCount()).isZero();
    }

    @Test
    void dirtyIsSetWhenRetainedSubscriptionsOrQueuedMessagesChangeAndClearedByState() {
        assertThat(broker.dirty()).isFalse();
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = subscriber("a", out, Subscription.of("t", 1));
        assertThat(broker.dirty()).isTrue();
        broker.state();
        assertThat(broker.dirty()).isFalse();

        broker.publish(message("r", "retained", 0, true), null);
        assertThat(broker.dirty()).as("a new retained message").isTrue();
        broker.state();

        broker.detach(s, out, false, -1);
        broker.state();
        publish("t", "queued for the offline session", 1);
        assertThat(broker.dirty()).as("a message queued for an offline session").isTrue();
        broker.state();

        publish("elsewhere", "no subscriber", 1);
        assertThat(broker.dirty()).isFalse();
    }

    @Test
    void gaugesReportSessionsSubscriptionsRetainedAndQueued() {
        RecordingOutlet out = new RecordingOutlet();
        BrokerSession s = subscriber("a", out, Subscription.of("t", 1), Subscription.of("u", 1));
        broker.detach(s, out, false, -1);
        broker.publish(message("t", "x", 1, true), null);

        assertThat(gauge("rigtel.broker.sessions")).isEqualTo(1);
        assertThat(gauge("rigtel.broker.subscriptions")).isEqualTo(2);
        assertThat(gauge("rigtel.broker.retained")).isEqualTo(1);
        assertThat(gauge("rigtel.broker.queued")).isEqualTo(1);
    }

    private double gauge(String name) {
        Gauge g = registry.get(name).gauge();
        return g.value();
    }

    // --- shared subscriptions (MQTT 5 section 4.8.2) ----------------------------------------------

    private static Subscription shared(String filter, int qos) {
        return Subscription.of("$share/viewers/" + filter, qos);
    }

    @Test
    void sharedGroupGivesEachMessageToOneMemberInTurn() {
        RecordingOutlet a = new RecordingOutlet();
        RecordingOutlet b = new RecordingOutlet();
        subscriber("a", a, shared("rigtel/v1/live/+/motion", 0));
        subscriber("b", b, shared("rigtel/v1/live/+/motion", 0));

        for (int i = 0; i < 6; i++) {
            publish("rigtel/v1/live/rig-01/motion", "m" + i, 0);
        }

        assertThat(a.payloads()).containsExactly("m0", "m2", "m4");
        assertThat(b.payloads()).containsExactly("m1", "m3", "m5");
    }

    @Test
    void sharedGroupsAndOwnSubscriptionsEachGetACopy() {
        RecordingOutlet a = new RecordingOutlet();
        RecordingOutlet other = new RecordingOutlet();
        subscriber("a", a, shared("set/#", 1), Subscription.of("set/#", 1));
        subscriber("other", other, Subscription.of("$share/loggers/set/#", 1));

        publish("set/notes", "x", 1);

        // Section 4.8.2: a client's own subscription and its shared one are separate deliveries, and
        // every group gets the message once.
        assertThat(a.payloads()).containsExactly("x", "x");
        assertThat(other.payloads()).containsExactly("x");
    }

    @Test
    void sharedGroupSkipsAMemberWhoseInFlightWindowIsFull() {
        use(new BrokerOptions(1000, 1, 10_000, 3600));
        RecordingOutlet a = new RecordingOutlet();
        RecordingOutlet b = new RecordingOutlet();
        subscriber("a", a, shared("set/#", 1));
        subscriber("b", b, shared("set/#", 1));

        publish("set/1", "1", 1); // a, whose one in-flight place is then taken
        publish("set/2", "2", 1); // b, same
        publish("set/3", "3", 1); // nobody has room: round-robin among the online ones, queued at a

        assertThat(a.payloads()).containsExactly("1");
        assertThat(b.payloads()).containsExactly("2");
        assertThat(broker.queuedCount()).isEqualTo(3);
    }

    @Test
    void sharedGroupPrefersAnOnlineMemberAndQueuesForAnOfflineOneOnlyWhenNoneIsOnline() {
        RecordingOutlet a = new RecordingOutlet();
        RecordingOutlet b = new RecordingOutlet();
        BrokerSession sa = subscriber("a", a, shared("set/#", 1));
        BrokerSession sb = subscriber("b", b, shared("set/#", 1));
        broker.detach(sa, a, false, -1);

        publish("set/1", "1", 1);
        publish("set/2", "2", 1);
        assertThat(b.payloads()).containsExactly("1", "2");
        b.published().forEach(sent -> sb.acknowledged(sent.packetId(), clock.millis()));

        broker.detach(sb, b, false, -1);
        publish("set/3", "3", 1);
        RecordingOutlet backA = new RecordingOutlet();
        RecordingOutlet backB = new RecordingOutlet();
        broker.attach(persistent("a"), backA);
        broker.attach(persistent("b"), backB);
        assertThat(backA.payloads().size() + backB.payloads().size())
                .as("queued on exactly one persistent member")
                .isEqualTo(1);
    }

    @Test
    void sharedSubscribeSendsNoRetainedMessages() {
        broker.publish(message("set/state", "retained", 1, true), null);
        RecordingOutlet a = new RecordingOutlet();
        subscriber("a", a, shared("set/#", 1));

        assertThat(a.published()).isEmpty();
    }

    @Test
    void unsubscribingTheSharedFilterLeavesTheGroupAndTheOwnSubscription() {
        RecordingOutlet a = new RecordingOutlet();
        RecordingOutlet b = new RecordingOutlet();
        BrokerSession sa = subscriber("a", a, shared("set/#", 0), Subscription.of("set/#", 0));
        subscriber("b", b, shared("set/#", 0));
        assertThat(broker.subscriptionCount()).isEqualTo(3);
        assertThat(sa.sharedSubscriptions()).isEqualTo(1);

        assertThat(broker.unsubscribe(sa, "$share/viewers/set/#")).isTrue();
        publish("set/1", "1", 0);
        publish("set/2", "2", 0);

        assertThat(a.payloads()).containsExactly("1", "2");
        assertThat(b.payloads()).containsExactly("1", "2");
        assertThat(broker.subscriptionCount()).isEqualTo(2);
        assertThat(sa.sharedSubscriptions()).isZero();
    }

    @Test
    void sharedSubscriptionsSurviveARestartThroughTheState() {
        RecordingOutlet a = new RecordingOutlet();
        BrokerSession sa = subscriber(
                "a", a, new Subscription("$share/viewers/set/#", 1, false, false, 0, 77), Subscription.of("x/#", 1));
        broker.detach(sa, a, false, -1);
        BrokerState state = broker.state();

        use(BrokerOptions.DEFAULTS);
        broker.restore(state);
        publish("set/1", "1", 1);
        RecordingOutlet back = new RecordingOutlet();
        broker.attach(persistent("a"), back);

        assertThat(back.payloads()).containsExactly("1");
        assertThat(back.last().message().subscriptionIds()).containsExactly(77);
    }

    // --- subscription identifiers (MQTT 5 section 3.8.2.1.2) --------------------------------------

    @Test
    void everyMatchingSubscriptionsIdentifierGoesWithTheMessage() {
        RecordingOutlet a = new RecordingOutlet();
        subscriber(
                "a",
                a,
                new Subscription("set/#", 1, false, false, 0, 5),
                new Subscription("set/+/notes", 0, false, false, 0, 9),
                Subscription.of("set/a/+", 1));

        publish("set/a/notes", "n", 1);
        publish("set/b/other", "o", 1);

        assertThat(a.published()).hasSize(2);
        assertThat(a.published().get(0).message().subscriptionIds()).containsExactlyInAnyOrder(5, 9);
        assertThat(a.published().get(0).qos()).isEqualTo(1);
        assertThat(a.published().get(1).message().subscriptionIds()).containsExactly(5);
    }

    @Test
    void aRetainedMessageSentOnSubscribeCarriesThatSubscriptionsIdentifier() {
        broker.publish(message("set/state", "retained", 1, true), null);
        RecordingOutlet a = new RecordingOutlet();
        subscriber("a", a, new Subscription("set/#", 1, false, false, 0, 3));

        assertThat(a.last().message().subscriptionIds()).containsExactly(3);
        assertThat(broker.retained("set/state").subscriptionIds()).isEmpty();
    }
}

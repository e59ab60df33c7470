package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.testing.BrokerHarness;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.InteropClient;
import dev.rigtel.collector.testing.InteropClient.ApplicationMessage;
import dev.rigtel.collector.testing.InteropClient.Kind;
import dev.rigtel.collector.testing.InteropClient.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interoperability with independent MQTT clients: every behaviour here runs once with Paho's MQTT
 * 3.1.1 client, once with Paho's MQTT 5 client, and once each with {@code mosquitto_sub} and
 * {@code mosquitto_pub} speaking {@code mqttv311} and {@code mqttv5}, against one collector with a
 * real InfluxDB. The publishing and the subscribing side of a test are the same kind of client.
 * Each test uses its own topics and client ids, so what one test leaves behind (retained messages,
 * persistent sessions) never reaches another.
 *
 * <p>"Nothing else arrived" is proved without sleeping: a client publishes a last matching
 * message, and since a session's messages from one publisher are delivered in order, anything
 * wrongly delivered would have arrived before it.
 */
class MqttConformanceIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static BrokerHarness broker;

    private final List<InteropClient> opened = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = BrokerHarness.start(dir, 4);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeClients() {
        Collections.reverse(opened);
        opened.forEach(InteropClient::close);
    }

    private InteropClient open(Kind kind, Options options) {
        InteropClient client = kind.open(broker.port(), options);
        opened.add(client);
        return client;
    }

    private InteropClient open(Kind kind, String name, String user) {
        return open(kind, options(kind, name, user));
    }

    private static Options options(Kind kind, String name, String user) {
        return Options.of(kind.clientId(name), user, password(user));
    }

    private static String password(String user) {
        return user.startsWith("rig-") ? "pw-" + user.substring(4) : BrokerHarness.password(user);
    }

    /** A topic prefix of one test and client kind. */
    private static String prefix(String test, Kind kind) {
        return "conf/" + test + "/" + kind.name().toLowerCase(Locale.ROOT);
    }

    /** Waits for a message on {@code topic} and returns everything received until then, as "topic payload". */
    private static List<String> receivedThrough(InteropClient client, String topic) {
        Awaitility.await().atMost(WAIT).alias("a message on " + topic).until(() -> client.received().stream()
                .anyMatch(m -> m.topic().equals(topic)));
        List<String> all =
                client.received().stream().map(ApplicationMessage::topicAndText).toList();
        int last = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith(topic + " ")) {
                last = i;
            }
        }
        return all.subList(0, last + 1);
    }

    private static List<ApplicationMessage> awaitMessages(InteropClient client, int count) {
        Awaitility.await().atMost(WAIT).until(() -> client.received().size() >= count);
        return client.received();
    }

    // 1. Wildcards (MQTT 3.1.1 section 4.7.1, MQTT 5 section 4.7.1)

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void subscriberWithPlusAndHashFiltersReceivesExactlyTheMatchingTopics(Kind kind) {
        String p = prefix("wild", kind);
        InteropClient subscriber = open(kind, "wild-sub", BrokerHarness.ADMIN);
        assertThat(subscriber.subscribe(1, p + "/+/temp", p + "/stage/#")).containsExactly(1, 1);
        InteropClient publisher = open(kind, "wild-pub", BrokerHarness.ADMIN);

        for (String topic : List.of(
                p + "/a/temp",
                p + "/a/b/temp",
                p + "/stage",
                p + "/stage/left/light",
                p + "/other",
                p + "/a/hum",
                p + "/stage/temp",
                p + "/z/temp")) {
            publisher.publish(topic, "t", 1, false);
        }

        assertThat(receivedThrough(subscriber, p + "/z/temp"))
                .as("'#' matches its parent level; a message matching both filters arrives once")
                .containsExactly(
                        p + "/a/temp t",
                        p + "/stage t",
                        p + "/stage/left/light t",
                        p + "/stage/temp t",
                        p + "/z/temp t");
    }

    // 2. Topics beginning with '$' (section 4.7.2)

    /**
     * Section 4.7.2: filters starting with a wildcard do not match topics starting with '$'. The
     * collector keeps its own state in retained {@code $SYS/rigtel/...} messages; a {@code $SYS/#}
     * subscriber gets them, {@code #} and {@code +/...} subscribers never do, and no client may
     * publish a '$' topic itself.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void wildcardsDoNotMatchDollarTopicsAndNoClientMayPublishOne(Kind kind) {
        String p = prefix("dollar", kind);
        InteropClient everything = open(kind, "dollar-all", BrokerHarness.ADMIN);
        assertThat(everything.subscribe(1, "#", "+/rigtel/#")).containsExactly(1, 1);
        InteropClient viewer = open(kind, "dollar-sys", BrokerHarness.VIEWER);
        assertThat(viewer.subscribe(1, "$SYS/#")).as("viewers may read $SYS").containsExactly(1);

        InteropClient admin = open(kind, "dollar-pub", BrokerHarness.ADMIN);
        assertThatThrownBy(() -> admin.publish("$SYS/rigtel/forged", "x", 1, false))
                .as("MQTT 3.1.1 closes the connection, MQTT 5 answers PUBACK 0x87");
        open(kind, "dollar-end", BrokerHarness.ADMIN).publish(p + "/end", "end", 1, false);

        assertThat(receivedThrough(everything, p + "/end")).noneMatch(m -> m.startsWith("$"));
        Awaitility.await().atMost(WAIT).until(() -> viewer.received().stream()
                .anyMatch(m -> m.topic().equals("$SYS/rigtel/version")));
        assertThat(viewer.received())
                .extracting(ApplicationMessage::topic)
                .allMatch(t -> t.startsWith("$SYS/rigtel/"))
                .doesNotContain("$SYS/rigtel/forged");
    }

    // 3. Retained messages (section 3.3.1.3)

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void retainedMessageReachesALaterSubscriberWithRetainSetAndLiveOnesWithRetainClear(Kind kind) {
        String topic = prefix("retain", kind) + "/state";
        InteropClient publisher = open(kind, "retain-pub", BrokerHarness.ADMIN);
        publisher.publish(topic, "before", 1, true);

        InteropClient subscriber = open(kind, "retain-sub", BrokerHarness.ADMIN);
        assertThat(subscriber.subscribe(1, topic)).containsExactly(1);
        publisher.publish(topic, "live-retained", 1, true);
        publisher.publish(topic, "live", 1, false);

        List<ApplicationMessage> received = awaitMessages(subscriber, 3);
        assertThat(received).extracting(ApplicationMessage::text).containsExactly("before", "live-retained", "live");
        assertThat(received)
                .as("RETAIN is set only on the message sent because of the new subscription")
                .extracting(ApplicationMessage::retain)
                .containsExactly(true, false, false);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void zeroLengthRetainedPublishClearsTheRetainedMessage(Kind kind) {
        String p = prefix("clear", kind);
        InteropClient publisher = open(kind, "clear-pub", BrokerHarness.ADMIN);
        publisher.publish(p + "/a", "stale", 1, true);
        publisher.publish(p + "/a", "", 1, true);
        publisher.publish(p + "/b", "kept", 1, true);

        InteropClient subscriber = open(kind, "clear-sub", BrokerHarness.ADMIN);
        subscriber.subscribe(1, p + "/+");

        assertThat(receivedThrough(subscriber, p + "/b")).containsExactly(p + "/b kept");
    }

    // 4. Last Will (section 3.1.2.5)

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void willIsPublishedWhenTheConnectionDropsWithoutDisconnect(Kind kind) {
        String topic = prefix("will", kind) + "/state";
        InteropClient watcher = open(kind, "will-watch", BrokerHarness.ADMIN);
        watcher.subscribe(1, topic);
        InteropClient dying =
                open(kind, options(kind, "will-dying", BrokerHarness.ADMIN).will(topic, "gone"));
        dying.subscribe(0, topic + "/unused");

        dying.drop();

        assertThat(awaitMessages(watcher, 1))
                .extracting(ApplicationMessage::topicAndText)
                .containsExactly(topic + " gone");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void willIsNotPublishedAfterANormalDisconnect(Kind kind) {
        String topic = prefix("nowill", kind) + "/state";
        InteropClient watcher = open(kind, "nowill-watch", BrokerHarness.ADMIN);
        watcher.subscribe(1, topic);
        int sessions = broker.sessions();
        double wills = broker.wills();
        InteropClient leaving =
                open(kind, options(kind, "nowill-leaving", BrokerHarness.ADMIN).will(topic, "gone"));

        leaving.subscribeThenDisconnect(0, topic + "/unused");
        // The clean session ends when the server handles the end of the connection, after the will
        // was (or was not) published.
        Awaitility.await().atMost(WAIT).until(() -> broker.sessions() == sessions);
        open(kind, "nowill-end", BrokerHarness.ADMIN).publish(topic, "end", 1, false);

        assertThat(receivedThrough(watcher, topic)).containsExactly(topic + " end");
        assertThat(broker.wills()).isEqualTo(wills);
    }

    // 5. Persistent sessions (section 3.1.2.4; MQTT 5 sections 3.1.2.4 and 3.1.2.11.2)

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void persistentSessionReceivesWhatWasPublishedWhileItWasOffline(Kind kind) {
        String topic = prefix("persist", kind) + "/cmd";
        Options persistent = options(kind, "persist-sub", BrokerHarness.ADMIN).persistent();
        open(kind, persistent).subscribeThenDisconnect(1, topic);
        InteropClient publisher = open(kind, "persist-pub", BrokerHarness.ADMIN);
        for (int i = 1; i <= 3; i++) {
            publisher.publish(topic, "offline-" + i, 1, false);
        }

        InteropClient back = open(kind, persistent);
        if (kind.mosquitto()) {
            back.subscribe(1, topic); // mosquitto_sub only connects to subscribe
        } else {
            assertThat(back.sessionPresent()).isTrue();
        }
        publisher.publish(topic, "online", 1, false);

        assertThat(awaitMessages(back, 4))
                .extracting(ApplicationMessage::text)
                .containsExactly("offline-1", "offline-2", "offline-3", "online");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void cleanSessionDiscardsWhatWasQueuedForTheEarlierSession(Kind kind) {
        String topic = prefix("clean", kind) + "/cmd";
        Options persistent = options(kind, "clean-sub", BrokerHarness.ADMIN).persistent();
        open(kind, persistent).subscribeThenDisconnect(1, topic);
        InteropClient publisher = open(kind, "clean-pub", BrokerHarness.ADMIN);
        publisher.publish(topic, "queued", 1, false);

        InteropClient clean = open(kind, options(kind, "clean-sub", BrokerHarness.ADMIN));
        if (!kind.mosquitto()) {
            assertThat(clean.sessionPresent()).isFalse();
        }
        clean.subscribe(1, topic);
        publisher.publish(topic, "after", 1, false);

        assertThat(receivedThrough(clean, topic)).containsExactly(topic + " after");
    }

    // 7. QoS 2 (section 4.3.3)

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void qos2MessagesArriveExactlyOnceEach(Kind kind) {
        String topic = prefix("qos2", kind) + "/take";
        InteropClient subscriber = open(kind, "qos2-sub", BrokerHarness.ADMIN);
        assertThat(subscriber.subscribe(2, topic, topic + "/end")).containsExactly(2, 2);
        InteropClient publisher = open(kind, "qos2-pub", BrokerHarness.ADMIN);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            publisher.publish(topic, "m" + i, 2, false);
            expected.add(topic + " m" + i);
        }
        publisher.publish(topic + "/end", "end", 2, false);
        expected.add(topic + "/end end");

        assertThat(receivedThrough(subscriber, topic + "/end")).containsExactlyElementsOf(expected);
        assertThat(subscriber.received()).extracting(ApplicationMessage::qos).containsOnly(2);
    }

    // QoS of a delivery (MQTT 3.1.1 section 3.8.4, MQTT 5 section 3.8.4)

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void messageArrivesAtTheLowerOfItsOwnAndTheSubscriptionsQos(Kind kind) {
        String p = prefix("downgrade", kind);
        InteropClient subscriber = open(kind, "downgrade-sub", BrokerHarness.ADMIN);
        assertThat(subscriber.subscribe(1, p + "/#")).containsExactly(1);
        InteropClient publisher = open(kind, "downgrade-pub", BrokerHarness.ADMIN);

        publisher.publish(p + "/two", "x", 2, false);
        publisher.publish(p + "/one", "x", 1, false);
        publisher.publish(p + "/zero", "x", 0, false);

        assertThat(awaitMessages(subscriber, 3))
                .extracting(ApplicationMessage::topic, ApplicationMessage::qos)
                .containsExactlyInAnyOrder(
                        Tuple.tuple(p + "/two", 1), Tuple.tuple(p + "/one", 1), Tuple.tuple(p + "/zero", 0));
    }

    // 12. Topic rights (auth/TopicRights)

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void rigMayNotSubscribeToAnotherRigsCommandsButReceivesItsOwn(Kind kind) {
        InteropClient rig = open(kind, "rights-rig", "rig-01");
        assertThat(rig.subscribe(1, "rigtel/v1/rig-02/command", "rigtel/v1/rig-01/command"))
                .as("SUBACK: 0x80 (MQTT 3.1.1) or 0x87 Not authorized (MQTT 5), then the granted QoS")
                .containsExactly(kind.v5() ? 0x87 : 0x80, 1);
        InteropClient admin = open(kind, "rights-admin", BrokerHarness.ADMIN);
        admin.publish("rigtel/v1/rig-02/command", "not-yours-" + kind.name(), 1, false);
        admin.publish("rigtel/v1/rig-01/command", "yours-" + kind.name(), 1, false);

        assertThat(receivedThrough(rig, "rigtel/v1/rig-01/command"))
                .containsExactly("rigtel/v1/rig-01/command yours-" + kind.name());
    }

    // 13. Telemetry through ingest reaches subscribers

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void rigStatusReachesAViewerSubscribedWithAPlusFilter(Kind kind) {
        String rig = "rig-0" + (kind.ordinal() + 1);
        byte[] status = FirmwareNotes.example("status.json");
        InteropClient viewer = open(kind, "status-viewer", BrokerHarness.VIEWER);
        assertThat(viewer.subscribe(1, "rigtel/v1/+/status")).containsExactly(1);
        InteropClient publisher = open(kind, "status-rig", rig);

        publisher.publish(ApplicationMessage.of("rigtel/v1/" + rig + "/status", status, 1, false));

        ApplicationMessage received = awaitMessages(viewer, 1).get(0);
        assertThat(received.topic()).isEqualTo("rigtel/v1/" + rig + "/status");
        assertThat(received.payload()).isEqualTo(status);
    }
}

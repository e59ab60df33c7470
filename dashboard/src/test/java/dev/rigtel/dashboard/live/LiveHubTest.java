package dev.rigtel.dashboard.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveHubTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("rigtel.firmwareNotes", "../firmware-notes"))
            .resolve("examples/live");

    private final ObjectMapper json = new ObjectMapper();
    private final DashboardMeters meters = new DashboardMeters(new SimpleMeterRegistry());
    private final LiveHub hub =
            new LiveHub(json, meters, Clock.fixed(Instant.parse("2026-11-21T14:00:00Z"), ZoneOffset.UTC), 2);

    /** Records what a browser would get. */
    static final class Recorder implements LiveSubscriber {
        final List<String> frames = new ArrayList<>();

        @Override
        public void snapshot(byte[] frame) {
            frames.add(new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public void deliver(LiveMessage message) {
            frames.add(new String(message.frame(), StandardCharsets.UTF_8));
        }
    }

    private static byte[] example(String name) throws Exception {
        return Files.readAllBytes(EXAMPLES.resolve(name + ".json"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode snapshot() throws Exception {
        return json.readTree(hub.snapshotJson());
    }

    @Test
    void snapshotHoldsEveryRigsLatestStateFromTheContractsExamples() throws Exception {
        hub.accept("rigtel/v1/live/rig-07/state", example("state"));
        hub.accept("rigtel/v1/live/rig-02/state", bytes("{\"v\":1,\"rig\":\"rig-02\",\"online\":false}"));
        hub.accept("rigtel/v1/live/rig-02/state", bytes("{\"v\":1,\"rig\":\"rig-02\",\"online\":true}"));

        JsonNode states = snapshot().get("states");

        assertThat(states).hasSize(2);
        assertThat(states.get(0).get("rig").asText()).isEqualTo("rig-02");
        assertThat(states.get(0).get("online").asBoolean()).isTrue();
        assertThat(states.get(1).get("wearer").asText()).isEqualTo("Dana Brooks");
    }

    @Test
    void snapshotKeepsTheLastAlertsAndEventsOnly() throws Exception {
        for (int n = 0; n < 5; n++) {
            hub.accept("rigtel/v1/live/rig-07/alert", bytes("{\"v\":1,\"rig\":\"rig-07\",\"n\":" + n + "}"));
            hub.accept("rigtel/v1/live/rig-07/event", bytes("{\"v\":1,\"rig\":\"rig-07\",\"n\":" + n + "}"));
        }

        JsonNode snapshot = snapshot();

        assertThat(snapshot.get("alerts")).extracting(a -> a.get("n").asInt()).containsExactly(3, 4);
        assertThat(snapshot.get("events")).extracting(a -> a.get("n").asInt()).containsExactly(3, 4);
    }

    @Test
    void keepsARetainedTakesMessageOnceWhenItComesAgainAfterAReconnect() throws Exception {
        hub.accept("rigtel/v1/live/takes", example("takes"));
        hub.accept("rigtel/v1/live/takes", example("takes"));

        assertThat(snapshot().get("takes")).hasSize(1);
    }

    @Test
    void aNewBrowserGetsTheLatestLookAtTheDisks() throws Exception {
        assertThat(snapshot().get("storage").isNull()).isTrue();
        hub.accept("rigtel/v1/live/storage", example("storage"));
        hub.accept("rigtel/v1/live/storage", bytes("{\"v\":1,\"level\":\"warning\"}"));

        assertThat(snapshot().get("storage").get("level").asText()).isEqualTo("warning");
    }

    @Test
    void keepsEachCommandsLatestAnswerEvenWhenSentArrivesAfterIt() throws Exception {
        hub.accept("rigtel/v1/live/rig-01/command", bytes("{\"v\":1,\"id\":\"cmd-1\",\"status\":\"sent\"}"));
        hub.accept("rigtel/v1/live/rig-01/command", bytes("{\"v\":1,\"id\":\"cmd-1\",\"status\":\"ok\"}"));
        hub.accept("rigtel/v1/live/rig-02/command", bytes("{\"v\":1,\"id\":\"cmd-2\",\"status\":\"ok\"}"));
        hub.accept("rigtel/v1/live/rig-02/command", bytes("{\"v\":1,\"id\":\"cmd-2\",\"status\":\"sent\"}"));

        assertThat(snapshot().get("commands"))
                .extracting(c -> c.get("id").asText() + " " + c.get("status").asText())
                .containsExactly("cmd-1 ok", "cmd-2 ok");
    }

    @Test
    void snapshotHasNoTracesOrMotion() throws Exception {
        hub.accept("rigtel/v1/live/rig-07/motion", example("motion"));
        hub.accept("rigtel/v1/live/rig-07/trace", bytes("{\"v\":1,\"rig\":\"rig-07\",\"t_nanos\":[1]}"));

        assertThat(hub.snapshotJson()).doesNotContain("t_nanos", "accel_peak_g");
    }

    @Test
    void aSubscriberGetsTheSnapshotFirstThenEveryMessageAsItsKind() throws Exception {
        hub.accept("rigtel/v1/live/rig-07/state", example("state"));
        Recorder browser = new Recorder();

        hub.subscribe(browser);
        hub.accept("rigtel/v1/live/rig-07/event", example("event"));
        hub.accept("rigtel/v1/live/rig-07/trace", bytes("{\"v\":1,\"rig\":\"rig-07\"}"));

        assertThat(browser.frames).hasSize(3);
        assertThat(browser.frames.get(0)).startsWith("event: snapshot\ndata: {").contains("Dana Brooks");
        assertThat(browser.frames.get(1))
                .startsWith("event: event\ndata: {\"v\":1,\"rig\":\"rig-07\",\"type\":\"impact\"");
        assertThat(browser.frames.get(2)).isEqualTo("event: trace\ndata: {\"v\":1,\"rig\":\"rig-07\"}\n\n");
    }

    @Test
    void reencodesPayloadsOnOneLine() {
        Recorder browser = new Recorder();
        hub.subscribe(browser);

        hub.accept("rigtel/v1/live/rig-07/alert", bytes("{\n  \"v\": 1,\n  \"rig\": \"rig-07\"\n}"));

        assertThat(browser.frames.get(1)).isEqualTo("event: alert\ndata: {\"v\":1,\"rig\":\"rig-07\"}\n\n");
    }

    @Test
    void ignoresAndCountsPayloadsThatAreNotAJsonObjectAndUnknownTopics() {
        Recorder browser = new Recorder();
        hub.subscribe(browser);

        hub.accept("rigtel/v1/live/rig-07/state", bytes("not json"));
        hub.accept("rigtel/v1/live/rig-07/state", bytes("[1,2]"));
        hub.accept("rigtel/v1/live/rig-07/weather", bytes("{}"));

        assertThat(browser.frames).hasSize(1);
        assertThat(meters.count(DashboardMeters.LIVE_MESSAGES, "kind", "state", "result", "invalid"))
                .isEqualTo(2);
        assertThat(meters.count(DashboardMeters.LIVE_MESSAGES, "result", "unknown-topic"))
                .isEqualTo(1);
        assertThat(hub.states()).isEmpty();
    }

    @Test
    void tellsSubscribersWhenTheFeedGoesUpOrDownOnce() throws Exception {
        Recorder browser = new Recorder();
        hub.subscribe(browser);

        hub.feedConnected(true);
        hub.feedConnected(true);
        hub.feedConnected(false);

        assertThat(browser.frames).hasSize(3);
        assertThat(browser.frames.get(1)).startsWith("event: feed\ndata: {\"connected\":true");
        assertThat(browser.frames.get(2)).startsWith("event: feed\ndata: {\"connected\":false");
        assertThat(snapshot().get("feed").get("connected").asBoolean()).isFalse();
    }

    @Test
    void anUnsubscribedBrowserGetsNothingMore() {
        Recorder browser = new Recorder();
        hub.subscribe(browser);
        hub.unsubscribe(browser);

        hub.accept("rigtel/v1/live/rig-07/alert", bytes("{\"v\":1}"));

        assertThat(browser.frames).hasSize(1);
        assertThat(hub.subscribers()).isZero();
    }

    private static byte[] state(String rig, boolean online, long timeNanos) {
        return bytes("{\"v\":1,\"rig\":\"" + rig + "\",\"online\":" + online + ",\"time_nanos\":" + timeNanos + "}");
    }

    private boolean online(String rig) {
        return hub.states().get(rig).path("online").asBoolean();
    }

    private double superseded() {
        return meters.count(DashboardMeters.LIVE_MESSAGES, "kind", "state", "result", "superseded");
    }

    @Test
    void showsRigsFromEveryCollectorAndFollowsARigThatMovedToAnother() {
        hub.feedConnected("tcp://a:1883", true);
        hub.feedConnected("tcp://b:1883", true);
        hub.accept("tcp://a:1883", "rigtel/v1/live/rig-01/state", state("rig-01", true, 100));
        hub.accept("tcp://b:1883", "rigtel/v1/live/rig-02/state", state("rig-02", true, 100));
        assertThat(hub.states()).containsOnlyKeys("rig-01", "rig-02");

        // rig-01 moves to b: b's newer state takes over, and a's offline of it no longer counts.
        hub.accept("tcp://b:1883", "rigtel/v1/live/rig-01/state", state("rig-01", true, 200));
        Recorder browser = new Recorder();
        hub.subscribe(browser);
        hub.accept("tcp://a:1883", "rigtel/v1/live/rig-01/state", state("rig-01", false, 300));
        assertThat(online("rig-01")).isTrue();
        assertThat(hub.states().get("rig-01").path("time_nanos").asLong()).isEqualTo(200);
        assertThat(browser.frames).hasSize(1); // the snapshot only: the offline never reached it
        assertThat(superseded()).isEqualTo(1);

        // b's own offline of it is news.
        hub.accept("tcp://b:1883", "rigtel/v1/live/rig-01/state", state("rig-01", false, 400));
        assertThat(online("rig-01")).isFalse();
        assertThat(browser.frames).hasSize(2);
    }

    @Test
    void aStaleRetainedStateFromAnotherCollectorDoesNotWin() {
        hub.feedConnected("tcp://a:1883", true);
        hub.feedConnected("tcp://b:1883", true);
        hub.accept("tcp://b:1883", "rigtel/v1/live/rig-01/state", state("rig-01", true, 500));
        // a reconnects and its retained state of rig-01, from before the move, comes again.
        hub.accept("tcp://a:1883", "rigtel/v1/live/rig-01/state", state("rig-01", true, 100));
        assertThat(hub.states().get("rig-01").path("time_nanos").asLong()).isEqualTo(500);
        assertThat(superseded()).isEqualTo(1);
        // b's later states are still taken (b is the rig's source), older or not.
        hub.accept("tcp://b:1883", "rigtel/v1/live/rig-01/state", state("rig-01", true, 600));
        assertThat(hub.states().get("rig-01").path("time_nanos").asLong()).isEqualTo(600);
    }

    @Test
    void takesAnyCollectorsStateWhileTheRigsSourceIsDown() {
        hub.feedConnected("tcp://a:1883", true);
        hub.feedConnected("tcp://b:1883", true);
        hub.accept("tcp://a:1883", "rigtel/v1/live/rig-01/state", state("rig-01", true, 500));
        hub.feedConnected("tcp://a:1883", false);
        hub.accept("tcp://b:1883", "rigtel/v1/live/rig-01/state", state("rig-01", false, 100));
        assertThat(online("rig-01")).isFalse();
        assertThat(superseded()).isZero();
    }

    @Test
    void aRetainedStateThatArrivesBeforeItsFeedIsAcknowledgedStillCounts() {
        hub.addFeed("tcp://a:1883");
        hub.addFeed("tcp://b:1883");
        // b's retained online state comes before b's SUBACK is handled; then a's retained offline.
        hub.accept("tcp://b:1883", "rigtel/v1/live/rig-01/state", state("rig-01", true, 100));
        hub.accept("tcp://a:1883", "rigtel/v1/live/rig-01/state", state("rig-01", false, 300));
        assertThat(online("rig-01")).isTrue();

        // Once b's feed is lost, nothing vouches for its state.
        hub.feedConnected("tcp://b:1883", true);
        hub.feedConnected("tcp://b:1883", false);
        hub.accept("tcp://a:1883", "rigtel/v1/live/rig-01/state", state("rig-01", false, 400));
        assertThat(online("rig-01")).isFalse();
    }

    @Test
    void theFeedIsConnectedOnlyWhileEveryCollectorsFeedIs() throws Exception {
        hub.addFeed("tcp://a:1883");
        hub.addFeed("tcp://b:1883");
        Recorder browser = new Recorder();
        hub.subscribe(browser);
        hub.feedConnected("tcp://a:1883", true);
        assertThat(hub.feedConnected()).isFalse();
        hub.feedConnected("tcp://b:1883", true);
        assertThat(hub.feedConnected()).isTrue();
        hub.feedConnected("tcp://b:1883", false);
        assertThat(hub.feedConnected()).isFalse();
        assertThat(hub.feeds())
                .extracting(LiveHub.FeedStatus::source, LiveHub.FeedStatus::connected)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tcp://a:1883", true),
                        org.assertj.core.groups.Tuple.tuple("tcp://b:1883", false));
        // Every change is told, with each feed's connection.
        assertThat(browser.frames).hasSize(4);
        JsonNode feed = snapshot().get("feed");
        assertThat(feed.get("connected").asBoolean()).isFalse();
        assertThat(feed.get("feeds").get(1).get("url").asText()).isEqualTo("tcp://b:1883");
        assertThat(feed.get("feeds").get(1).get("connected").asBoolean()).isFalse();
    }
}

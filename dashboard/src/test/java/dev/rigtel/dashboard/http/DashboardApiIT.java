package dev.rigtel.dashboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.dashboard.Dashboard;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import dev.rigtel.dashboard.testing.LiveSet;
import dev.rigtel.dashboard.testing.SharedLiveSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every dashboard endpoint against a real collector, a real InfluxDB and simulated rigs: health,
 * session, metrics, the live stream, the collector's API through the proxy (reads, slate events,
 * rig commands) and the access rules.
 */
class DashboardApiIT {

    @RegisterExtension
    static final SharedLiveSet shared = new SharedLiveSet();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LiveSet set() {
        return shared.set();
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A read of the collector itself, as the dashboard's collector user. */
    private HttpResponse<String> direct(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", LiveSet.COLLECTOR_AUTHORIZATION)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads through the dashboard, and checks the answer is the collector's own. */
    private JsonNode proxied(String path) throws Exception {
        HttpResponse<String> viaDashboard = get(set().url(path), LiveSet.ACCESS_TOKEN);
        HttpResponse<String> direct = direct(set().collectorUrl(path));
        if (direct.statusCode() == 404 && direct.body().contains("no such endpoint")) {
            throw new AssertionError("the collector has no " + path.replaceAll("\\?.*", "")
                    + " yet: it is being added to the collector in parallel (see the dashboard README); merge it"
                    + " and run again");
        }
        assertThat(viaDashboard.statusCode()).as(viaDashboard.body()).isEqualTo(direct.statusCode());
        assertThat(viaDashboard.headers().firstValue("content-type"))
                .isEqualTo(direct.headers().firstValue("content-type"));
        assertThat(direct.statusCode()).as(path + ": " + direct.body()).isEqualTo(200);
        return JSON.readTree(viaDashboard.body());
    }

    private String text(String path) throws Exception {
        HttpResponse<String> response = get(set().url(path), LiveSet.ACCESS_TOKEN);
        if (response.statusCode() == 404 && response.body().contains("no such endpoint")) {
            throw new AssertionError("the collector has no " + path.replaceAll("\\?.*", "")
                    + " yet: it is being added to the collector in parallel; merge it and run again");
        }
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void healthIsUpOnceTheLiveFeedFollowsTheCollector() {
        await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> {
            HttpResponse<String> health = get(set().url("/health"), null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).get("rigs").asInt()).isGreaterThanOrEqualTo(SharedLiveSet.RIGS);
        });
    }

    @Test
    void sessionTellsEachTokenItsRights() throws Exception {
        assertThat(JSON.readTree(get(set().url("/session"), null).body())
                        .get("rights")
                        .asText())
                .isEqualTo("none");
        assertThat(JSON.readTree(
                                get(set().url("/session"), LiveSet.ACCESS_TOKEN).body())
                        .get("rights")
                        .asText())
                .isEqualTo("read");
        assertThat(JSON.readTree(get(set().url("/session"), LiveSet.CONTROL_TOKEN)
                                .body())
                        .get("rights")
                        .asText())
                .isEqualTo("control");
    }

    @Test
    void metricsArePrometheusTextForReaders() throws Exception {
        assertThat(get(set().url("/metrics"), null).statusCode()).isEqualTo(401);

        HttpResponse<String> metrics = get(set().url("/metrics"), LiveSet.ACCESS_TOKEN);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("rigtel_dashboard_live_messages_total{", "rigtel_dashboard_browsers ");
    }

    /** Reads the live stream for a while: (event name, data) pairs. */
    private List<String[]> stream(String token, Duration howLong) throws Exception {
        List<String[]> events = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(set().url("/live/stream")))
                .header("Authorization", "Bearer " + token)
                .build();
        HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        Thread reader = new Thread(() -> {
            String[] name = new String[1];
            response.body().forEach(line -> {
                if (line.startsWith("event: ")) {
                    name[0] = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    events.add(new String[] {name[0], line.substring(6)});
                }
            });
        });
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(howLong.toMillis());
        response.body().close();
        reader.interrupt();
        return new ArrayList<>(events);
    }

    @Test
    void theLiveStreamStartsWithEveryRigOnlineThenFollowsTheRigs() throws Exception {
        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .until(() -> set().dashboard().hub().states().size() >= SharedLiveSet.RIGS);

        List<String[]> events = stream(LiveSet.ACCESS_TOKEN, Duration.ofSeconds(4));

        assertThat(events.get(0)[0]).isEqualTo("snapshot");
        JsonNode snapshot = JSON.readTree(events.get(0)[1]);
        assertThat(snapshot.get("feed").get("connected").asBoolean()).isTrue();
        List<String> online = new ArrayList<>();
        snapshot.get("states").forEach(s -> {
            if (s.get("online").asBoolean()) {
                online.add(s.get("rig").asText());
            }
        });
        assertThat(online).contains("rig-01", "rig-02", "rig-03", "rig-04");
        List<String> kinds = events.stream().map(e -> e[0]).toList();
        assertThat(kinds).contains("motion", "state");
        for (String[] event : events) {
            assertThat(JSON.readTree(event[1]).isObject()).as(event[1]).isTrue();
        }
    }

    @Test
    void theLiveStreamCarriesTracesOfEveryRig() throws Exception {
        List<String[]> events = stream(LiveSet.ACCESS_TOKEN, Duration.ofSeconds(3));

        List<String[]> traces =
                events.stream().filter(e -> "trace".equals(e[0])).toList();
        assertThat(traces)
                .as("trace events (rigtel/v1/live/{rig}/trace is being added to the collector in parallel;"
                        + " merge it and run again)")
                .isNotEmpty();
        JsonNode trace = JSON.readTree(traces.get(0)[1]);
        assertThat(trace.get("t_nanos").size()).isEqualTo(trace.get("accel_g").size());
        assertThat(trace.get("received_ms").asLong()).isPositive();
    }

    @Test
    void theLiveStreamIsRefusedWithoutAToken() throws Exception {
        double before = set().dashboard().meters().count(DashboardMeters.ACCESS_REFUSED, "reason", "no-token");

        assertThat(get(set().url("/live/stream"), null).statusCode()).isEqualTo(401);
        assertThat(set().dashboard().meters().count(DashboardMeters.ACCESS_REFUSED, "reason", "no-token"))
                .isEqualTo(before + 1);
    }

    @Test
    void passesTheCollectorsReadApiOnUnchanged() throws Exception {
        JsonNode takes = shared.awaitDay();
        String take = encode(takes.get(0).get("id").asText());

        assertThat(proxied("/api/rigs")).hasSizeGreaterThanOrEqualTo(SharedLiveSet.RIGS);
        assertThat(proxied("/api/days/" + shared.date() + "/takes")).hasSize(SharedLiveSet.TAKES);
        assertThat(proxied("/api/takes/" + take).get("rigs").size()).isEqualTo(SharedLiveSet.RIGS);
        assertThat(proxied("/api/takes/" + take + "/events").isArray()).isTrue();
        assertThat(proxied("/api/takes/" + take + "/summary").get("rigs").size())
                .isEqualTo(SharedLiveSet.RIGS);
        String person = takes.get(0).get("wearers").get(0).get("person").asText();
        assertThat(proxied("/api/people/" + encode(person) + "/exposure?date=" + shared.date())
                        .get("person")
                        .asText())
                .isEqualTo(person);
        assertThat(text("/api/takes/" + take + "/cuts.edl"))
                .startsWith("TITLE:")
                .contains("FCM:");
        assertThat(get(set().url("/api/takes/no-such-take"), LiveSet.ACCESS_TOKEN)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void passesTheDayMatrixOn() throws Exception {
        shared.awaitDay();

        JsonNode matrix = proxied("/api/days/" + shared.date() + "/matrix");

        assertThat(matrix.get("takes")).hasSize(SharedLiveSet.TAKES);
        assertThat(matrix.get("cells")).isNotEmpty();
        assertThat(matrix.get("cells").get(0).has("peak_g")).isTrue();
    }

    @Test
    void passesTakeSeriesOnRawWhenZoomedIn() throws Exception {
        JsonNode take = shared.awaitDay().get(0);
        String id = encode(take.get("id").asText());
        long start = take.get("start_ns").asLong();

        JsonNode whole = proxied("/api/takes/" + id + "/series?rig=rig-01&max_points=200");
        JsonNode zoomed = proxied("/api/takes/" + id + "/series?rig=rig-01&from_ns=" + start + "&to_ns="
                + (start + 200_000_000L) + "&max_points=2000");

        assertThat(whole.get("resolution").asText()).isIn("rollup", "bucket");
        assertThat(whole.get("t_ns").size()).isBetween(1, 200);
        assertThat(zoomed.get("resolution").asText()).isEqualTo("raw");
        assertThat(zoomed.get("t_ns").size()).isEqualTo(zoomed.get("ax_mps2").size());
    }

    @Test
    void passesTheTakeCsvDownloadsOn() throws Exception {
        String id = encode(shared.awaitDay().get(0).get("id").asText());

        assertThat(text("/api/takes/" + id + "/summary.csv")).contains("rig-01");
        assertThat(text("/api/takes/" + id + "/samples.csv?rig=rig-01").lines().count())
                .isGreaterThan(100);
    }

    @Test
    void sendsSlateEventsWithControlRightsOnly() throws Exception {
        String assign = "{\"v\":1,\"type\":\"assign\",\"rate\":\"25\",\"rig\":\"rig-99\",\"person\":\"Stand In\"}";

        HttpResponse<String> noToken = post(set().url("/api/slate"), null, assign);
        HttpResponse<String> readOnly = post(set().url("/api/slate"), LiveSet.ACCESS_TOKEN, assign);
        HttpResponse<String> control = post(set().url("/api/slate"), LiveSet.CONTROL_TOKEN, assign);

        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(readOnly.statusCode()).isEqualTo(403);
        assertThat(control.statusCode()).as(control.body()).isEqualTo(201);
        assertThat(JSON.readTree(control.body()).get("type").asText()).isEqualTo("assign");
        assertThat(set().dashboard().meters().count(DashboardMeters.ACCESS_REFUSED, "reason", "no-control-rights"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void sendsRigCommandsAsTheDashboardsCollectorUserAndFollowsTheirAnswer() throws Exception {
        List<String> commands = new CopyOnWriteArrayList<>();
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    HttpResponse<String> sent = post(
                            set().url("/api/rigs/rig-01/commands"),
                            LiveSet.CONTROL_TOKEN,
                            "{\"command\":\"identify\",\"args\":{\"seconds\":2}}");
                    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
                    JsonNode command = JSON.readTree(sent.body());
                    assertThat(command.get("issued_by").asText()).isEqualTo(LiveSet.DASHBOARD_USER);
                    id[0] = command.get("id").asText();
                    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                        JsonNode now =
                                JSON.readTree(get(set().url("/api/rigs/rig-01/commands/" + id[0]), LiveSet.ACCESS_TOKEN)
                                        .body());
                        assertThat(now.get("status").asText()).isEqualTo("ok");
                    });
                });
        // The answer also came through the live feed (rigtel/v1/live/rig-01/command).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            commands.clear();
            JsonNode snapshot = JSON.readTree(set().dashboard().hub().snapshotJson());
            snapshot.get("commands")
                    .forEach(c -> commands.add(
                            c.get("id").asText() + " " + c.get("status").asText()));
            assertThat(commands).contains(id[0] + " ok");
        });
        assertThat(post(set().url("/api/rigs/rig-01/commands"), LiveSet.ACCESS_TOKEN, "{\"command\":\"identify\"}")
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void withoutTokensReadingIsOpenAndControlsAreOff() throws Exception {
        try (Dashboard.Running open = Dashboard.start(LiveSet.dashboardOptions(set().collector())
                .accessToken("")
                .controlToken("")
                .build())) {
            String base = "http://127.0.0.1:" + open.port();

            assertThat(get(base + "/api/rigs", null).statusCode()).isEqualTo(200);
            HttpResponse<String> command = post(base + "/api/rigs/rig-01/commands", null, "{\"command\":\"identify\"}");
            assertThat(command.statusCode()).isEqualTo(403);
            assertThat(command.body()).contains("--control-token");
            assertThat(open.meters().count(DashboardMeters.ACCESS_REFUSED, "reason", "controls-off"))
                    .isEqualTo(1);
        }
    }
}

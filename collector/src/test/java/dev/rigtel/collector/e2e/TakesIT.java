package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.MosquittoPub;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Takes and wearers end to end against a real InfluxDB: slate events over MQTT (mosquitto_pub as
 * a slate app) and over the HTTP API, a collector restart in the middle of a take, a missing cut,
 * late events, wearer changes, and a take's per-rig sample count.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag(TestClocks.DATES)
class TakesIT {

    /** Today on the collector's clock: the take book's open day (TestClocks moves it a year ahead too). */
    private static final String DAY = TestClocks.today(ZoneOffset.UTC).toString();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Path credentials;
    private static Collector.Running collector;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        influx = InfluxdbServer.start();
        credentials = TestCollector.credentials(dir, 2);
        TestCollector.addUser(credentials, "slate-app", Role.SLATE, "clap");
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    private static HttpResponse<String> post(String json, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + collector.httpPort() + "/api/slate"))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void slate(String json) throws Exception {
        HttpResponse<String> response = post(json, "slate-app", "clap");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + path))
                        .header("Authorization", TestCollector.VIEWER_AUTHORIZATION)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode take(String scene, int number) throws Exception {
        for (JsonNode take : get("/api/days/" + DAY + "/takes")) {
            if (take.get("scene").asText().equals(scene) && take.get("take").asInt() == number) {
                return take;
            }
        }
        throw new AssertionError("no take " + scene + "-" + number);
    }

    private static String event(String id, String type, String tc, String extra) {
        return "{\"v\":1,\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"tc\":\"" + tc
                + "\",\"rate\":\"25\",\"date\":\"" + DAY + "\"" + extra + "}";
    }

    private static int mosquittoPub(String user, String password, String topic, Path file) throws Exception {
        return MosquittoPub.publish(collector.mqttPort(), user, password, topic, file);
    }

    @Test
    @Order(1)
    void slateEventsOverMqttAndHttpMakeTakesThatSurviveARestart() throws Exception {
        Path roll = dir.resolve("roll.json");
        Files.writeString(roll, event("t1-roll", "roll", "10:00:00:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":1"));
        assertThat(mosquittoPub("slate-app", "clap", "rigtel/v1/slate", roll)).isZero();
        assertThat(take("42", 1).get("rolling").asBoolean()).isTrue();

        // Restart in the middle of the take: the take is rebuilt from InfluxDB and still rolls.
        collector.close();
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
        assertThat(take("42", 1).get("rolling").asBoolean()).isTrue();

        slate(event("t1-cut", "cut", "10:01:00:00", ""));
        slate(event(
                "t1-mark", "mark", "10:01:05:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":1,\"mark\":\"circled\""));
        JsonNode take = take("42", 1);
        assertThat(take.get("rolling").asBoolean()).isFalse();
        assertThat(take.get("end_tc").asText()).isEqualTo("10:01:00:00");
        assertThat(take.get("mark").asText()).isEqualTo("circled");
    }

    @Test
    @Order(2)
    void aMissingCutIsClosedByTheNextRollAndLateEventsLandByTimecode() throws Exception {
        slate(event("t2-roll", "roll", "11:00:00:00", ",\"scene\":\"43\",\"shot\":\"B\",\"take\":1"));
        slate(event("t3-roll", "roll", "11:02:00:00", ",\"scene\":\"43\",\"shot\":\"B\",\"take\":2"));
        slate(event("t3-cut", "cut", "11:03:00:00", ""));

        JsonNode first = take("43", 1);
        assertThat(first.get("closed_by_next_roll").asBoolean()).isTrue();
        assertThat(first.get("end_tc").asText()).isEqualTo("11:02:00:00");

        slate(event("t2-cut-late", "cut", "11:01:30:00", ""));
        first = take("43", 1);
        assertThat(first.get("closed_by_next_roll").asBoolean()).isFalse();
        assertThat(first.get("end_tc").asText()).isEqualTo("11:01:30:00");
        assertThat(take("43", 2).get("end_tc").asText()).isEqualTo("11:03:00:00");
    }

    @Test
    @Order(3)
    void wearersChangeDuringTheDay() throws Exception {
        slate(event("w1", "assign", "12:00:00:00", ",\"rig\":\"rig-01\",\"person\":\"Dana Brooks\""));
        slate(event("t4-roll", "roll", "12:10:00:00", ",\"scene\":\"44\",\"shot\":\"A\",\"take\":1"));
        slate(event("w2", "assign", "12:10:30:00", ",\"rig\":\"rig-01\",\"person\":\"Zoë O'Neil\""));
        slate(event("t4-cut", "cut", "12:11:00:00", ""));

        JsonNode wearers = take("44", 1).get("wearers");
        assertThat(wearers).hasSize(2);
        assertThat(wearers.get(0).get("person").asText()).isEqualTo("Dana Brooks");
        assertThat(wearers.get(1).get("person").asText()).isEqualTo("Zoë O'Neil");
        JsonNode zoe = get("/api/people/Zo%C3%AB%20O'Neil/takes?date=" + DAY);
        assertThat(zoe).extracting(t -> t.get("name").asText()).containsExactly("44A-1");
    }

    @Test
    @Order(5)
    void aTakeCountsTheSamplesOfEachRig() throws Exception {
        HttpResponse<String> rolled = post(
                "{\"v\":1,\"type\":\"roll\",\"rate\":\"25\",\"scene\":\"50\",\"shot\":\"A\",\"take\":1}",
                "slate-app",
                "clap");
        assertThat(rolled.statusCode()).as(rolled.body()).isEqualTo(201);
        String id = JSON.readTree(rolled.body()).get("id").asText();
        Thread.sleep(100);
        assertThat(mosquittoPub(
                        "rig-02",
                        "pw-02",
                        "rigtel/v1/rig-02/imu",
                        FirmwareNotes.dir().resolve("examples/imu-1khz.json")))
                .isZero();
        Thread.sleep(100);
        slate("{\"v\":1,\"id\":\"t5-cut\",\"type\":\"cut\",\"rate\":\"25\"}");

        // A PUBACK means durable in the collector's spool; InfluxDB has it within a flush interval.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/api/takes/" + id).get("rigs").has("rig-02"));
        JsonNode detail = get("/api/takes/" + id);
        JsonNode rig = detail.get("rigs").get("rig-02");
        assertThat(rig.get("samples").asLong()).isEqualTo(50);
        assertThat(rig.get("gaps")).isEmpty();
    }

    @Test
    @Order(4)
    void slateEventsNeedASlateUser() throws Exception {
        String roll = event("x-roll", "roll", "13:00:00:00", ",\"scene\":\"1\",\"shot\":\"A\",\"take\":1");
        assertThat(post(roll, null, null).statusCode()).isEqualTo(401);
        assertThat(post(roll, "slate-app", "wrong").statusCode()).isEqualTo(401);
        assertThat(post(roll, "rig-01", "pw-01").statusCode()).isEqualTo(403);
        assertThat(post("{\"v\":1,\"type\":\"roll\",\"tc\":\"25:00:00:00\",\"rate\":\"25\"}", "slate-app", "clap")
                        .statusCode())
                .isEqualTo(400);
        List<String> names = JSON
                .readerForListOf(JsonNode.class)
                .<List<JsonNode>>readValue(get("/api/days/" + DAY + "/takes").toString())
                .stream()
                .map(t -> t.get("scene").asText())
                .toList();
        assertThat(names).doesNotContain("1");
        // Each refusal is counted by its status.
        assertThat(collector
                        .registry()
                        .get("rigtel.http.responses")
                        .tag("status", "401")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(collector
                        .registry()
                        .get("rigtel.http.responses")
                        .tag("status", "403")
                        .counter()
                        .count())
                .isEqualTo(1);
    }
}

package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.MosquittoPub;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything acknowledged is state after a restart, whether or not it reached InfluxDB: a take
 * rolled over MQTT while InfluxDB is down still rolls after the collector restarts (from the
 * spool), and once InfluxDB is back its cut lands on that take, every event stored once.
 */
@Tag(TestClocks.DATES)
class RestartDuringOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DAY = TestClocks.today(ZoneOffset.UTC).toString();

    @TempDir
    Path dir;

    private InfluxdbServer influx;
    private Collector.Running collector;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + path))
                        .header("Authorization", TestCollector.VIEWER_AUTHORIZATION)
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode takes() throws Exception {
        HttpResponse<String> response = get("/api/days/" + DAY + "/takes");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode health() throws Exception {
        return JSON.readTree(get("/health").body());
    }

    private int publish(String name, String json) throws Exception {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, json);
        return MosquittoPub.publish(collector.mqttPort(), "slate-app", "clap", "rigtel/v1/slate", file);
    }

    private long stored(String id) {
        List<List<Object>> rows = influx.query(
                TestCollector.DATABASE, "SELECT count(\"at_ns\") FROM \"slate\" WHERE \"id\" = '" + id + "'");
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(1)).longValue();
    }

    @Test
    void aTakeRolledWhileInfluxDbIsDownStillRollsAfterARestartAndItsCutLandsOnItOnce() throws Exception {
        influx = InfluxdbServer.start();
        Path credentials = TestCollector.credentials(dir, 1);
        TestCollector.addUser(credentials, "slate-app", Role.SLATE, "clap");
        Path data = dir.resolve("collector");
        collector = TestCollector.start(data, credentials, influx.url());
        assertThat(publish(
                        "assign",
                        "{\"v\":1,\"id\":\"out-assign\",\"type\":\"assign\",\"tc\":\"09:00:00:00\",\"rate\":\"25\","
                                + "\"date\":\"" + DAY + "\",\"rig\":\"rig-01\",\"person\":\"Dana Brooks\"}"))
                .isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> stored("out-assign") == 1);

        influx.stop();
        assertThat(publish(
                        "roll",
                        "{\"v\":1,\"id\":\"out-roll\",\"type\":\"roll\",\"tc\":\"10:00:00:00\",\"rate\":\"25\","
                                + "\"date\":\"" + DAY + "\",\"scene\":\"42\",\"shot\":\"A\",\"take\":1}"))
                .as("PUBACK: the roll is in the spool")
                .isZero();

        // Restarted with InfluxDB still down: the roll comes back from the spool.
        collector.close();
        collector = TestCollector.start(data, credentials, influx.url());
        JsonNode during = takes();
        assertThat(during).hasSize(1);
        assertThat(during.get(0).get("id").asText()).isEqualTo("out-roll");
        assertThat(during.get(0).get("rolling").asBoolean()).isTrue();
        assertThat(health().get("restored").asBoolean()).isFalse();
        assertThat(get("/health").statusCode()).isEqualTo(503);

        influx.restart();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> health().get("restored").asBoolean() && collector.unwrittenPoints() == 0);
        // The assignment made before the outage is back from InfluxDB, beside the roll from the spool.
        assertThat(takes().get(0).get("wearers").get(0).get("person").asText()).isEqualTo("Dana Brooks");

        assertThat(publish(
                        "cut",
                        "{\"v\":1,\"id\":\"out-cut\",\"type\":\"cut\",\"tc\":\"10:01:00:00\",\"rate\":\"25\","
                                + "\"date\":\"" + DAY + "\"}"))
                .isZero();
        JsonNode after = takes();
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("rolling").asBoolean()).isFalse();
        assertThat(after.get(0).get("end_tc").asText()).isEqualTo("10:01:00:00");
        await().atMost(Duration.ofSeconds(10)).until(() -> stored("out-cut") == 1);
        assertThat(stored("out-roll")).isEqualTo(1);
        assertThat(stored("out-assign")).isEqualTo(1);

        // And once more, everything from InfluxDB alone.
        collector.close();
        collector = TestCollector.start(data, credentials, influx.url());
        JsonNode again = takes();
        assertThat(again).hasSize(1);
        assertThat(again.get(0).get("end_tc").asText()).isEqualTo("10:01:00:00");
        assertThat(health().get("restored").asBoolean()).isTrue();
    }
}

package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rig commands end to end: an admin sends them over the HTTP API, the collector publishes them to
 * simulated rigs (Paho) through its MQTT broker, the rigs answer on their result topic, and the
 * outcome is readable from the API and followed live by an independent MQTT subscriber.
 */
class CommandsIT {

    @TempDir
    static Path dir;

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper json = new ObjectMapper();
    private static InfluxdbServer influx;
    private static Collector.Running collector;
    private static ExecutorService running;
    private static Simulator simulator;
    private static MqttClient viewer;
    private static final List<String> live = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        influx = InfluxdbServer.start();
        Path credentials = TestCollector.credentials(dir, 2);
        TestCollector.addUser(credentials, "director", Role.ADMIN, "action");
        TestCollector.addUser(credentials, "board", Role.VIEWER, "watch");
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());

        viewer = new MqttClient("tcp://127.0.0.1:" + collector.mqttPort(), "board-1", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("board");
        options.setPassword("watch".toCharArray());
        viewer.connect(options);
        viewer.subscribe(
                "rigtel/v1/live/+/command",
                1,
                (topic, message) -> live.add(new String(message.getPayload(), StandardCharsets.UTF_8)));

        simulator = new Simulator(
                SimulatorOptions.builder()
                        .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                        .rigs(2)
                        .sampleRateHz(200)
                        .duration(Duration.ofSeconds(40))
                        .qos(1)
                        .usernamePattern("rig-{n}")
                        .passwordPattern("pw-{n}")
                        .build(),
                Clock.systemUTC());
        running = Executors.newSingleThreadExecutor();
        running.submit(simulator::run);
    }

    @AfterAll
    static void stop() throws Exception {
        if (running != null) {
            running.shutdownNow();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (viewer != null && viewer.isConnected()) {
            viewer.disconnect();
        }
        if (collector != null) {
            collector.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    private static HttpResponse<String> send(String rig, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + collector.httpPort() + "/api/rigs/" + rig + "/commands"))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString("director:action".getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a command once the rig is subscribed, and waits for its answer. */
    private static JsonNode commandAnswered(String rig, String body) throws Exception {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (id[0] == null) {
                        HttpResponse<String> sent = send(rig, body);
                        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
                        id[0] = json.readTree(sent.body()).get("id").asText();
                    }
                    JsonNode now = json.readTree(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort()
                                                    + "/api/rigs/" + rig + "/commands/" + id[0]))
                                            .header("Authorization", TestCollector.VIEWER_AUTHORIZATION)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
                    if (now.path("status").asText().equals("sent")) {
                        // Sent before the rig had subscribed: QoS 1 to a clean session that did not exist yet
                        // reaches nobody, so send again (a firmware with a persistent session gets it queued).
                        if (java.time.Instant.parse(now.path("issued_at").asText())
                                .isBefore(java.time.Instant.now().minusSeconds(3))) {
                            id[0] = null;
                        }
                        return false;
                    }
                    return true;
                });
        return json.readTree(http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/api/rigs/"
                                        + rig + "/commands/" + id[0]))
                                .header("Authorization", TestCollector.VIEWER_AUTHORIZATION)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    @Test
    void aRigIdentifiesItselfWhenToldAndTheAnswerIsReadableAndFollowedLive() throws Exception {
        JsonNode answered = commandAnswered("rig-01", "{\"command\":\"identify\",\"args\":{\"seconds\":3}}");

        assertThat(answered.get("status").asText()).isEqualTo("ok");
        assertThat(answered.get("issued_by").asText()).isEqualTo("director");
        String id = answered.get("id").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(live)
                .anySatisfy(m -> assertThat(m).contains(id).contains("\"ok\"")));
    }

    @Test
    void aRigRefusesARateItCannotRunAndSaysWhy() throws Exception {
        JsonNode answered =
                commandAnswered("rig-02", "{\"command\":\"set-sample-rate\",\"args\":{\"sample_rate_hz\":400}}");

        assertThat(answered.get("status").asText()).isEqualTo("rejected");
        assertThat(answered.get("detail").asText()).contains("200 Hz");
    }

    @Test
    void anInvalidCommandIsRefusedBeforeAnyRigSeesIt() throws Exception {
        HttpResponse<String> refused = send("rig-01", "{\"command\":\"self-destruct\",\"args\":{}}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("self-destruct");
    }
}

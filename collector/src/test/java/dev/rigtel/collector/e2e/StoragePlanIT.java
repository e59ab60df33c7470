package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.store.InfluxOptions;
import dev.rigtel.collector.store.StorageWatch;
import dev.rigtel.collector.testing.FirmwareNotes;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.MosquittoPub;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage planned for the whole shoot against a real InfluxDB: raw samples in a retention policy
 * the collector creates (and alters when --raw-retention changes), the disk used and its forecast
 * on /api/storage, /health, /metrics and the retained live topic, and an alert (stored, logged,
 * live) when a disk would fill: here the spool's, given a quota larger than its disk.
 */
@Tag(TestClocks.DATES)
class StoragePlanIT {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    private Collector.Running start(Path credentials, Duration rawRetention, long spoolQuota) throws Exception {
        CollectorConfig base = TestCollector.config(dir.resolve("collector"), credentials, influx.url());
        InfluxOptions i = base.influx();
        return Collector.start(
                base.toBuilder()
                        .influx(new InfluxOptions(
                                i.url(),
                                i.database(),
                                i.retentionPolicy(),
                                i.rawRetentionPolicy(),
                                rawRetention,
                                i.username(),
                                i.password(),
                                i.token(),
                                i.gzip(),
                                i.timeout()))
                        .spool(base.spool().withMaxBytes(spoolQuota))
                        .shoot(new StorageWatch.Plan(
                                Optional.of(TestClocks.today(ZoneOffset.UTC).minusDays(9)), 120, influx.directory()))
                        .build(),
                TestClocks.clock());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + path))
                        .header("Authorization", TestCollector.VIEWER_AUTHORIZATION)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String rawDuration() {
        for (List<Object> row : influx.query(TestCollector.DATABASE, "SHOW RETENTION POLICIES")) {
            if (row.get(0).equals("raw")) {
                return row.get(1).toString();
            }
        }
        return "missing";
    }

    @Test
    void theShootsDisksAreWatchedAndATooSmallOneRaisesAnAlert() throws Exception {
        influx = InfluxdbServer.start();
        Path credentials = TestCollector.credentials(dir, 1);
        TestCollector.addUser(credentials, "board", Role.VIEWER, "watch");
        // A spool quota of 1 EB: no disk holds it.
        collector = start(credentials, Duration.ofDays(30), 1L << 60);
        assertThat(rawDuration()).isEqualTo("720h0m0s");
        MqttClient viewer =
                new MqttClient("tcp://127.0.0.1:" + collector.mqttPort(), "board-1", new MemoryPersistence());
        List<JsonNode> live = new CopyOnWriteArrayList<>();
        try {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName("board");
            options.setPassword("watch".toCharArray());
            viewer.connect(options);
            viewer.subscribe("rigtel/v1/live/storage", 1, (topic, m) -> live.add(JSON.readTree(m.getPayload())));
            assertThat(MosquittoPub.publish(
                            collector.mqttPort(),
                            "rig-01",
                            "pw-01",
                            "rigtel/v1/rig-01/imu",
                            FirmwareNotes.dir().resolve("examples/imu-1khz.json")))
                    .isZero();

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> get("/api/storage").statusCode() == 200);
            JsonNode storage = JSON.readTree(get("/api/storage").body());
            assertThat(storage.get("level").asText()).isEqualTo("warning");
            assertThat(storage.get("shoot_day").asInt()).isEqualTo(10);
            assertThat(storage.get("shoot_days").asInt()).isEqualTo(120);
            assertThat(storage.get("influx_bytes").asLong()).isPositive();
            assertThat(storage.get("forecast_bytes").asLong())
                    .isGreaterThanOrEqualTo(storage.get("influx_bytes").asLong());
            assertThat(storage.get("influx_free_bytes").asLong()).isPositive();
            assertThat(storage.get("message").asText()).contains("the spool's disk has");

            JsonNode health = JSON.readTree(get("/health").body());
            assertThat(health.get("disk").get("level").asText()).isEqualTo("warning");
            assertThat(get("/metrics").body()).contains("rigtel_storage_level 1.0");

            await().atMost(Duration.ofSeconds(10)).until(() -> !live.isEmpty());
            assertThat(live.get(0).get("level").asText()).isEqualTo("warning");
            await().atMost(Duration.ofSeconds(10)).until(() -> !influx.query(
                            TestCollector.DATABASE,
                            "SELECT message FROM alert WHERE rig = 'collector' AND type = 'disk-warning'")
                    .isEmpty());
        } finally {
            viewer.disconnectForcibly(1000);
            viewer.close();
        }

        // A new --raw-retention at the next start alters the policy.
        collector.close();
        collector = start(credentials, Duration.ofDays(60), 1L << 20);
        assertThat(rawDuration()).isEqualTo("1440h0m0s");
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/storage").statusCode() == 200);
        JsonNode after = JSON.readTree(get("/api/storage").body());
        assertThat(after.get("message").asText()).doesNotContain("quota");
    }
}

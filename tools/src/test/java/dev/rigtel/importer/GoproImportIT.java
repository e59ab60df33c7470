package dev.rigtel.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.gopro.mp4.SyntheticGoproFile;
import dev.rigtel.gopro.mp4.SyntheticGoproFile.Spec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./rigtel import} end to end: a collector on a real InfluxDB, a take rolled and cut through
 * the slate API with a wearer on rig-01, a GoPro-shaped MP4 whose timecode lies inside the take; the
 * importer's main sends it; the samples are in InfluxDB on rig-01 with {@code source=gopro}, the take
 * and wearer are named, rollups and the take summary are stored, and importing again adds nothing.
 */
class GoproImportIT {

    /**
     * One client for every request: a client per request leaves its keep-alive connection open
     * (the JDK keeps idle ones 20 minutes), and the servers close what one address opens beyond
     * 32 ({@code --http-max-connections-per-address}).
     */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GoproImportIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 60 payloads of 200 ACCL and GYRO samples: a minute from 15:44:35:10 (29.97 fps). */
    private static final int PAYLOADS = 60;

    private static final int SAMPLES = PAYLOADS * 200;

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Collector.Running collector;
    private static LocalDate today;
    private static Path clip;

    @BeforeAll
    static void rollATake() throws Exception {
        influx = InfluxdbServer.start();
        Path credentials = TestCollector.credentials(dir, 1);
        TestCollector.addUser(credentials, "slate-app", Role.SLATE, "clap");
        TestCollector.addUser(credentials, "dit", Role.IMPORT, "cart");
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
        today = TestClocks.today(ZoneOffset.UTC);
        slate("assign-1", "assign", "15:40:00:00", ",\"rig\":\"rig-01\",\"person\":\"Dana Brooks\"");
        slate("roll-1", "roll", "15:44:00:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":3");
        slate("cut-1", "cut", "15:47:00:00", "");
        Path card = Files.createDirectories(dir.resolve("card/DCIM/100GOPRO"));
        clip = card.resolve("GX010042.MP4");
        SyntheticGoproFile.write(clip, Spec.of(SyntheticGoproFile.imuPayloads(0, PAYLOADS, 200)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (collector != null) {
            collector.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void importsAClipOntoItsRigTakeAndWearerOnce() throws Exception {
        long started = System.nanoTime();
        Run first = importer(
                "--json",
                "--rig",
                "rig-01",
                "--date",
                today.toString(),
                dir.resolve("card").toString());
        assertThat(first.exit()).as(first.err()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(ax) FROM raw.imu") == SAMPLES);
        double seconds = (System.nanoTime() - started) / 1e9;
        log.info(
                "imported {} samples into InfluxDB in {} s: {} samples/s (read, HTTP, spool, InfluxDB)",
                SAMPLES,
                String.format("%.2f", seconds),
                Math.round(SAMPLES / seconds));

        JsonNode report = JSON.readTree(first.out()).get("clips").get(0);
        assertThat(report.get("status").asText()).isEqualTo("imported");
        assertThat(report.get("clip").asText()).isEqualTo("C3441324567890_GX010042_15:44:35:10");
        assertThat(report.get("rig").asText()).isEqualTo("rig-01");
        assertThat(report.get("samples").asLong()).isEqualTo(SAMPLES);
        assertThat(report.get("streams").get("ACCL").asInt()).isEqualTo(SAMPLES);
        assertThat(report.get("timecode").asText()).startsWith("15:44:35:10");
        JsonNode take = report.get("takes").get(0);
        assertThat(take.get("name").asText()).isEqualTo("42A-3");
        assertThat(take.get("wearer").asText()).isEqualTo("Dana Brooks");
        assertThat(take.get("samples").asLong()).isEqualTo(SAMPLES);
        assertThat(take.get("summary").asText()).isEqualTo("stored");

        assertThat(count("SELECT count(ax) FROM raw.imu WHERE rig = 'rig-01' AND source = 'gopro'"))
                .isEqualTo(SAMPLES);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(acc_peak_g) FROM imu_1s WHERE source = 'gopro'") >= 59);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(samples) FROM take_summary WHERE source = 'gopro'") == 1);
        List<List<Object>> summary =
                influx.query(TestCollector.DATABASE, "SELECT take_id, samples FROM take_summary WHERE rig = 'rig-01'");
        assertThat(summary.get(0).get(1)).isEqualTo("roll-1");
        assertThat(((Number) summary.get(0).get(2)).longValue()).isEqualTo(SAMPLES);

        // Again: the collector has the clip whole; nothing is sent.
        Run again = importer("--rig", "rig-01", "--date", today.toString(), clip.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("already-imported").contains("42A-3").contains("Dana Brooks");
        // The same telemetry as another clip (another camera serial): the same points, overwritten.
        Path copy = Files.createDirectories(dir.resolve("copy")).resolve("GX010042.MP4");
        SyntheticGoproFile.write(
                copy, Spec.of(SyntheticGoproFile.imuPayloads(0, PAYLOADS, 200)).withSerial("C9999"));
        Run other = importer("--rig", "rig-01", "--date", today.toString(), copy.toString());
        assertThat(other.exit()).as(other.err()).isZero();
        assertThat(other.out()).contains("imported");
        Thread.sleep(1000);
        assertThat(count("SELECT count(ax) FROM raw.imu")).isEqualTo(SAMPLES);
        assertThat(count("SELECT count(samples) FROM take_summary")).isEqualTo(1);
    }

    @Test
    void failsTheClipsTheCollectorRefusesAndSaysWhy() throws Exception {
        Run viewer = importer(
                Map.of("RIGTEL_USER", "viewer", "RIGTEL_PASSWORD", "pw-viewer"),
                "--rig",
                "rig-01",
                "--date",
                today.toString(),
                clip.toString());
        assertThat(viewer.exit()).isEqualTo(1);
        assertThat(viewer.out()).contains("failed").contains("role viewer may not import");
        assertThat(viewer.out()).doesNotContain("pw-viewer");
        assertThat(viewer.err()).doesNotContain("pw-viewer");

        Run unmapped = importer("--camera-map", write("map.csv", "# serial,rig\nC1111,rig-02\n"), clip.toString());
        assertThat(unmapped.exit()).isEqualTo(1);
        assertThat(unmapped.out()).contains("camera C3441324567890 is not in the camera map");

        assertThat(importer("--rig", "rig-01", "--camera-map", "x", clip.toString())
                        .exit())
                .isEqualTo(2);
        assertThat(importer("--rig", "rig-01", "--date", "14.03.2026", clip.toString())
                        .exit())
                .isEqualTo(2);
    }

    // ---- helpers ----

    private record Run(int exit, String out, String err) {}

    private static Run importer(String... args) {
        return importer(Map.of("RIGTEL_USER", "dit", "RIGTEL_PASSWORD", "cart"), args);
    }

    private static Run importer(Map<String, String> credentials, String... args) {
        Map<String, String> env = new java.util.HashMap<>(credentials);
        env.put("RIGTEL_COLLECTOR", "http://127.0.0.1:" + collector.httpPort());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ImportMain.run(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false,
                args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file.toString();
    }

    private static long count(String influxql) {
        List<List<Object>> rows = influx.query(TestCollector.DATABASE, influxql);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(1)).longValue();
    }

    private static void slate(String id, String type, String tc, String extra) throws Exception {
        String body = "{\"v\":1,\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"tc\":\"" + tc
                + "\",\"rate\":\"29.97\",\"date\":\"" + today + "\"" + extra + "}";
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/api/slate"))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString("slate-app:clap".getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}

package dev.rigtel.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.dashboard.testing.Browser;
import dev.rigtel.dashboard.testing.LiveSet;
import dev.rigtel.gopro.mp4.SyntheticGoproFile;
import dev.rigtel.gopro.mp4.SyntheticGoproFile.Spec;
import dev.rigtel.importer.ImportMain;
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
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The take page with a camera clip imported onto a rig ({@code ./rigtel import} of a synthetic GoPro
 * file, as in the tools' {@code GoproImportIT}): the clip is listed, and the rig's own trace and its
 * camera's are drawn side by side.
 */
class TakeClipsPageIT {

    /**
     * One client for every request: a client per request leaves its keep-alive connection open
     * (the JDK keeps idle ones 20 minutes), and the servers close what one address opens beyond
     * 32 ({@code --http-max-connections-per-address}). The collector's clips are polled every 100 ms
     * for up to 30 s.
     */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAYLOADS = 60;
    private static final String RIG = "rig-01";

    @TempDir
    static Path dir;

    private static LiveSet set;
    private static Browser browser;
    private static LocalDate today;

    @BeforeAll
    static void importAClipIntoATake() throws Exception {
        set = LiveSet.start(1, simulator -> null, dashboard -> dashboard);
        browser = Browser.start(1280, 900);
        today = TestClocks.today(ZoneOffset.UTC);
        slate("assign-1", "assign", "15:40:00:00", ",\"rig\":\"" + RIG + "\",\"person\":\"Dana Brooks\"");
        slate("roll-1", "roll", "15:44:00:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":3");
        slate("cut-1", "cut", "15:47:00:00", "");

        // The rig's own board: half a second of samples a minute into the take, stored as a rig's are.
        JsonNode take = collectorGet("/api/takes/roll-1");
        long from = take.get("start_ns").asLong() + 60_000_000_000L;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            lines.append("imu,rig=")
                    .append(RIG)
                    .append(" ax=0.5,ay=")
                    .append(9.8 + Math.sin(i / 20.0))
                    .append(",az=0.1,gx=1,gy=")
                    .append(40 * Math.sin(i / 30.0))
                    .append(",gz=2,dev_ns=")
                    .append(i)
                    .append("i ")
                    .append(from + i * 1_000_000L)
                    .append('\n');
        }
        HttpResponse<String> written = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                set.influx().url() + "/write?db=" + TestCollector.DATABASE + "&rp=raw&precision=ns"))
                        .POST(HttpRequest.BodyPublishers.ofString(lines.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(written.statusCode()).as(written.body()).isEqualTo(204);

        Path card = Files.createDirectories(dir.resolve("card/DCIM/100GOPRO"));
        SyntheticGoproFile.write(
                card.resolve("GX010042.MP4"), Spec.of(SyntheticGoproFile.imuPayloads(0, PAYLOADS, 200)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ImportMain.run(
                Map.of(
                        "RIGTEL_COLLECTOR", set.collectorUrl(""),
                        "RIGTEL_USER", LiveSet.DASHBOARD_USER,
                        "RIGTEL_PASSWORD", LiveSet.DASHBOARD_PASSWORD),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false,
                "--rig",
                RIG,
                "--date",
                today.toString(),
                dir.resolve("card").toString());
        assertThat(exit)
                .as(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
                .isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        collectorGet("/api/takes/roll-1/clips").get("clips").size() == 1);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (set != null) {
            set.close();
        }
    }

    @Test
    void listsTheImportedClipAndDrawsTheRigAndCameraTracesSideBySide() {
        WebDriver driver = browser.driver();
        driver.get(set.url("/take.html?id=roll-1&token=" + LiveSet.ACCESS_TOKEN));
        await().atMost(Duration.ofSeconds(30)).until(() -> "true"
                .equals(driver.findElement(By.tagName("body")).getAttribute("data-traces")));

        WebElement clips = driver.findElement(By.id("clips"));
        assertNotEmpty(clips);
        List<WebElement> rows = clips.findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(1);
        List<String> cells = rows.get(0).findElements(By.tagName("td")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(cells.get(0)).isEqualTo("GX010042");
        assertThat(cells.get(2)).isEqualTo("C3441324567890");
        assertThat(cells.get(3)).isEqualTo(RIG + " (Dana Brooks)");
        assertThat(cells.get(4)).startsWith("15:44:35:10");
        assertThat(cells.get(5)).isEqualTo(String.valueOf(PAYLOADS * 200));

        WebElement board = driver.findElement(By.cssSelector(".rig-trace[data-rig='rig-01'][data-source='rig']"));
        WebElement camera = driver.findElement(By.cssSelector(".rig-trace[data-rig='rig-01'][data-source='gopro']"));
        for (WebElement trace : List.of(board, camera)) {
            assertThat(trace.getAttribute("data-error"))
                    .as(trace.getAttribute("data-source"))
                    .isNull();
            assertThat(Integer.parseInt(trace.getAttribute("data-points"))).isPositive();
            assertNotEmpty(trace.findElement(By.cssSelector("canvas")));
        }
        // Side by side: one row, the camera's to the right of the rig's.
        assertThat(camera.getLocation().getY()).isEqualTo(board.getLocation().getY());
        assertThat(camera.getLocation().getX())
                .isGreaterThan(board.getLocation().getX());
    }

    private static void assertNotEmpty(WebElement element) {
        Dimension size = element.getSize();
        assertThat(size.getWidth()).isPositive();
        assertThat(size.getHeight()).isPositive();
    }

    private static JsonNode collectorGet(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(set.collectorUrl(path)))
                        .header("Authorization", LiveSet.COLLECTOR_AUTHORIZATION)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void slate(String id, String type, String tc, String extra) throws Exception {
        String body = "{\"v\":1,\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"tc\":\"" + tc
                + "\",\"rate\":\"29.97\",\"date\":\"" + today + "\"" + extra + "}";
        String slateUser = Base64.getEncoder()
                .encodeToString((LiveSet.SLATE_USER + ":" + LiveSet.SLATE_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(set.collectorUrl("/api/slate")))
                        .header("Authorization", "Basic " + slateUser)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}

package dev.rigtel.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigtel.dashboard.testing.Browser;
import dev.rigtel.dashboard.testing.LiveSet;
import dev.rigtel.dashboard.testing.SharedLiveSet;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** The take page in headless Chromium: a simulated take, its downloads, a second take beside it. */
class TakePageIT {

    @RegisterExtension
    static final SharedLiveSet shared = new SharedLiveSet();

    /** A CMX3600 event line: number, reel, track, transition, source in/out, record in/out. */
    private static final Pattern EDL_EVENT = Pattern.compile(
            "^\\d{3}\\s+\\S{1,8}\\s+V\\s+C\\s+(\\d\\d:\\d\\d:\\d\\d[:;]\\d\\d\\s+){3}\\d\\d:\\d\\d:\\d\\d[:;]\\d\\d\\s*$");

    private static Browser browser;

    @BeforeAll
    static void openBrowser() {
        browser = Browser.start(1280, 800);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static WebDriver openTake(String query) {
        WebDriver driver = browser.driver();
        driver.get(shared.set().url("/take.html?" + query + "&token=" + LiveSet.ACCESS_TOKEN));
        await().atMost(Duration.ofSeconds(20)).until(() -> "true"
                .equals(driver.findElement(By.tagName("body")).getAttribute("data-ready")));
        return driver;
    }

    @Test
    void opensATakeWithEveryRigAndItsDownloads() {
        JsonNode take = shared.awaitDay().get(0);

        WebDriver driver = openTake("id=" + encode(take.get("id").asText()));

        assertThat(driver.findElement(By.cssSelector(".take-column h2")).getText())
                .startsWith(take.get("name").asText());
        assertThat(driver.findElement(By.cssSelector(".take-column .facts")).getText())
                .contains(take.get("start_tc").asText());
        List<WebElement> rigs = driver.findElements(By.cssSelector(".rig-trace"));
        assertThat(rigs).extracting(r -> r.getAttribute("data-rig")).contains("rig-01", "rig-04");
        List<String> downloads = driver.findElements(By.cssSelector(".downloads a")).stream()
                .map(a -> a.getAttribute("data-download"))
                .toList();
        assertThat(downloads)
                .contains(
                        "summary CSV",
                        "rig-01 samples CSV",
                        "cuts EDL (CMX3600)",
                        "Resolve markers EDL",
                        "FCPXML markers",
                        "Avid locators");
        assertThat(driver.getTitle()).contains(take.get("name").asText());
    }

    @Test
    void theEdlDownloadIsCmx3600() {
        JsonNode take = shared.awaitDay().get(1);
        WebDriver driver = openTake("id=" + encode(take.get("id").asText()));
        String href = driver.findElement(By.cssSelector(".downloads a[data-download='cuts EDL (CMX3600)']"))
                .getAttribute("href");

        // Fetched as the link would be, with the page's cookie.
        Object fetched = ((JavascriptExecutor) driver)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(async r => done({status: r.status, type:"
                                + " r.headers.get('content-type'), text: await r.text()}))"
                                + ".catch(e => done({status: 0, text: String(e)}));",
                        href);
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) fetched;

        assertThat(((Number) answer.get("status")).intValue())
                .as(String.valueOf(answer.get("text")))
                .isEqualTo(200);
        String[] lines = ((String) answer.get("text")).split("\r?\n");
        assertThat(lines[0]).startsWith("TITLE: " + take.get("name").asText());
        assertThat(lines[1]).isIn("FCM: NON-DROP FRAME", "FCM: DROP FRAME");
        for (String line : lines) {
            if (line.matches("^\\d{3}\\s.*")) {
                assertThat(line).matches(EDL_EVENT);
            } else if (!line.isBlank() && !line.startsWith("TITLE:") && !line.startsWith("FCM:")) {
                assertThat(line).as("comment lines").startsWith("*");
            }
        }
    }

    @Test
    void comparesASecondTakeSideBySide() {
        JsonNode takes = shared.awaitDay();
        String first = takes.get(0).get("id").asText();
        String second = takes.get(1).get("id").asText();

        WebDriver driver = openTake("id=" + encode(first) + "&compare=" + encode(second));

        List<WebElement> columns = driver.findElements(By.cssSelector(".take-column"));
        assertThat(columns).extracting(c -> c.getAttribute("data-take")).containsExactly(first, second);
        assertThat(driver.findElement(By.id("columns")).getAttribute("class")).contains("two");
    }

    @Test
    void drawsEveryRigsTracesFromTheCollectorsSeriesAndZoomsToRawSamples() {
        JsonNode take = shared.awaitDay().get(0);
        WebDriver driver = openTake("id=" + encode(take.get("id").asText()));

        await().atMost(Duration.ofSeconds(30)).until(() -> "true"
                .equals(driver.findElement(By.tagName("body")).getAttribute("data-traces")));
        for (WebElement rig : driver.findElements(By.cssSelector(".rig-trace"))) {
            String error = rig.getAttribute("data-error");
            assertThat(error)
                    .as(rig.getAttribute("data-rig") + " (GET /api/takes/{id}/series is being added to the collector"
                            + " in parallel; merge it and run again)")
                    .isNull();
            assertThat(rig.getAttribute("data-resolution")).isIn("raw", "rollup", "bucket");
            assertThat(Integer.parseInt(rig.getAttribute("data-points"))).isPositive();
            assertThat(rig.findElement(By.cssSelector("canvas")).isDisplayed()).isTrue();
        }

        // Drag across a fortieth of the first chart: every rig's chart asks again, for raw samples.
        WebElement first = driver.findElement(By.cssSelector(".rig-trace[data-rig='rig-01']"));
        WebElement plot = first.findElement(By.cssSelector(".u-over"));
        int width = plot.getSize().getWidth();
        new Actions(driver)
                .moveToElement(plot, -width / 2 + 20, 0)
                .clickAndHold()
                .moveByOffset(Math.max(5, width / 40), 0)
                .release()
                .perform();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (WebElement rig : driver.findElements(By.cssSelector(".rig-trace"))) {
                assertThat(rig.getAttribute("data-resolution"))
                        .as(rig.getAttribute("data-rig"))
                        .isEqualTo("raw");
            }
        });
        driver.findElement(By.id("reset-zoom")).click();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(first.getAttribute("data-resolution"))
                .isNotEqualTo("raw"));
    }

    @Test
    void labelsTimecodeAsSmpteDropFrameCountingDoes() {
        WebDriver driver =
                openTake("id=" + encode(shared.awaitDay().get(0).get("id").asText()));

        Object labels = ((JavascriptExecutor) driver)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "import('/js/timecode.js').then(tc => done([tc.labelOf(1799, '29.97', true),"
                        + " tc.labelOf(1800, '29.97', true), tc.labelOf(17982, '29.97', true),"
                        + " tc.labelOf(107892, '29.97', true), tc.frameOf('00:01:00;02', '29.97'),"
                        + " tc.labeller('14:03:27:00', 0, '25')(1e9 + 40e6)]));");

        assertThat(labels)
                .isEqualTo(List.of("00:00:59;29", "00:01:00;02", "00:10:00;00", "01:00:00;00", 1800L, "14:03:28:01"));
    }
}

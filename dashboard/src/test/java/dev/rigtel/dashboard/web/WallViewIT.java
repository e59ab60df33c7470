package dev.rigtel.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.dashboard.testing.Browser;
import dev.rigtel.dashboard.testing.LiveSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The wall view in headless Chromium with a 16-rig simulation: every tile inside a 1920 x 1080
 * screen without scrolling, two scrollable columns with pinned alerts on a 1024 x 768 tablet, and a
 * tile that opens the rig's own page. Element boxes are asserted, not only text.
 */
class WallViewIT {

    static final int RIGS = 16;
    static final String SPARE = String.format("rig-%02d", RIGS + 1);

    private static LiveSet set;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        set = LiveSet.start(
                RIGS,
                sim -> sim.sampleRateHz(100)
                        .duration(Duration.ofMinutes(10))
                        .statusInterval(Duration.ofSeconds(2))
                        .timecodeInterval(Duration.ofMillis(500))
                        .dayTakes(2)
                        .takeLength(Duration.ofSeconds(20))
                        .betweenTakes(Duration.ofSeconds(5)),
                // A stunt performer used to falls alerts at her own, higher threshold.
                dash -> dash.wearerImpactAlertG(Map.of("Kim Falls", 20.0)));
        browser = Browser.start(1920, 1080);
        // The spare rig comes and goes: its offline alert stands for the whole class.
        MqttClient spare =
                new MqttClient("tcp://127.0.0.1:" + set.collector().mqttPort(), SPARE, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(SPARE);
        options.setPassword(String.format("pw-%02d", RIGS + 1).toCharArray());
        spare.connect(options);
        Thread.sleep(1500);
        spare.disconnect();
        spare.close();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (set != null) {
            set.close();
        }
    }

    private static WebDriver wall(int width, int height) {
        WebDriver driver = browser.driver();
        // The viewport itself, as a monitor of that size shows the page (a window's size includes
        // whatever chrome the headless shell gives it).
        browser.driver()
                .executeCdpCommand(
                        "Emulation.setDeviceMetricsOverride",
                        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        driver.get(set.url("/?token=" + LiveSet.ACCESS_TOKEN));
        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .untilAsserted(() -> assertThat(driver.findElements(By.cssSelector("#rigs .rig[data-online='true']")))
                        .hasSizeGreaterThanOrEqualTo(RIGS));
        // The page's own size, not the window's: the headless window has no chrome around it.
        Map<?, ?> inner = (Map<?, ?>) js(driver, "return {w: innerWidth, h: innerHeight};");
        assertThat(((Number) inner.get("w")).intValue()).isEqualTo(width);
        assertThat(((Number) inner.get("h")).intValue()).isEqualTo(height);
        return driver;
    }

    private static Object js(WebDriver driver, String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Each tile's box: x, y, width, height, right, bottom, in CSS pixels of the viewport. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tileBoxes(WebDriver driver) {
        return (List<Map<String, Object>>) js(
                driver,
                "return [...document.querySelectorAll('#rigs .rig')].map((t) => { const b = t.getBoundingClientRect();"
                        + " const w = t.querySelector('.wearer').getBoundingClientRect();"
                        + " return {rig: t.dataset.rig, x: b.x, y: b.y, width: b.width, height: b.height,"
                        + " right: b.right, bottom: b.bottom, wearerFont: parseFloat(getComputedStyle("
                        + "t.querySelector('.wearer')).fontSize), wearerBottom: w.bottom}; });");
    }

    private static double num(Map<String, Object> box, String key) {
        return ((Number) box.get(key)).doubleValue();
    }

    @Test
    void everyRigOfSixteenFitsA1920x1080ScreenWithoutScrolling() throws Exception {
        WebDriver driver = wall(1920, 1080);
        // Wait for wearers and traces, so the boxes and the screenshot are those of a working wall.
        await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> assertThat(
                        driver.findElements(By.cssSelector("#rigs .rig[data-online='true'][data-points='0']")))
                .isEmpty());
        // A few seconds of trace in every compact tile.
        Thread.sleep(8000);

        List<Map<String, Object>> boxes = tileBoxes(driver);
        // The simulated rigs and the spare one the set provisions only when it connects.
        assertThat(boxes).hasSizeGreaterThanOrEqualTo(RIGS);
        for (Map<String, Object> box : boxes) {
            String rig = (String) box.get("rig");
            assertThat(num(box, "x")).as(rig + " left").isGreaterThanOrEqualTo(0);
            assertThat(num(box, "y")).as(rig + " top").isGreaterThanOrEqualTo(0);
            assertThat(num(box, "right")).as(rig + " right").isLessThanOrEqualTo(1920);
            assertThat(num(box, "bottom")).as(rig + " bottom").isLessThanOrEqualTo(1080);
            assertThat(num(box, "height")).as(rig + " height").isGreaterThanOrEqualTo(150);
            // Readable from 3 m: the wearer's name at least 28 px, inside its tile.
            assertThat(num(box, "wearerFont")).as(rig + " wearer type").isGreaterThanOrEqualTo(28);
            assertThat(num(box, "wearerBottom")).as(rig + " wearer inside").isLessThanOrEqualTo(num(box, "bottom"));
        }
        long scrollHeight = ((Number) js(driver, "return document.documentElement.scrollHeight;")).longValue();
        assertThat(scrollHeight).isLessThanOrEqualTo(1080);
        // Alerts in a side column right of every tile.
        WebElement alerts = driver.findElement(By.id("alerts"));
        double tilesRight =
                boxes.stream().mapToDouble(b -> num(b, "right")).max().orElseThrow();
        assertThat(alerts.getRect().getX()).isGreaterThanOrEqualTo((int) tilesRight);
        // Each compact tile shows its state: online, wearer, take, battery, timecode lock, a trace.
        WebElement tile = driver.findElement(By.cssSelector(".rig[data-rig='rig-01']"));
        await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> {
            assertThat(tile.findElement(By.cssSelector(".status")).getText()).isEqualToIgnoringCase("online");
            assertThat(tile.findElement(By.cssSelector("[data-chip=battery]")).getText())
                    .endsWith("%");
            assertThat(tile.findElement(By.cssSelector("[data-chip=tc]")).getText())
                    .startsWith("TC ");
            assertThat(tile.findElement(By.cssSelector("[data-chip=take]")).isDisplayed())
                    .isTrue();
        });
        assertThat(tile.findElement(By.cssSelector(".spark")).getRect().getHeight())
                .isGreaterThan(20);
        assertThat(tile.findElement(By.cssSelector(".chart")).isDisplayed()).isFalse();
        screenshot("wall-view.png");
    }

    /** For the README: {@code -Drigtel.screenshots=docs} writes them there. */
    private static void screenshot(String name) {
        try {
            Path png = Path.of(System.getProperty("rigtel.screenshots", "target/screenshots"), name);
            Files.createDirectories(png.getParent());
            Files.write(png, browser.driver().getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTabletShowsEveryRigInTwoScrollableColumnsWithTheAlertsPinned() {
        WebDriver driver = wall(1024, 768);
        List<Map<String, Object>> boxes = tileBoxes(driver);
        TreeSet<Long> columns = new TreeSet<>();
        for (Map<String, Object> box : boxes) {
            columns.add(Math.round(num(box, "x")));
            assertThat(num(box, "right")).isLessThanOrEqualTo(1024);
        }
        assertThat(columns).hasSize(2);
        long scrollHeight = ((Number) js(driver, "return document.documentElement.scrollHeight;")).longValue();
        assertThat(scrollHeight).as("a list that scrolls").isGreaterThan(768);
        assertThat(driver.findElements(By.cssSelector(".alert[data-key='" + SPARE + ":offline']")))
                .isNotEmpty();
        js(driver, "window.scrollTo(0, document.documentElement.scrollHeight);");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<?, ?> alerts = (Map<?, ?>) js(
                    driver,
                    "const b = document.getElementById('alerts').getBoundingClientRect();"
                            + " return {top: b.top, bottom: b.bottom, y: scrollY};");
            assertThat(((Number) alerts.get("y")).doubleValue()).isPositive();
            assertThat(((Number) alerts.get("top")).doubleValue()).isBetween(0.0, 200.0);
            assertThat(((Number) alerts.get("bottom")).doubleValue()).isLessThanOrEqualTo(768.0);
        });
        js(driver, "window.scrollTo(0, 0);");
        long visible = tileBoxes(driver).stream()
                .filter(b -> num(b, "y") >= 0 && num(b, "bottom") <= 768)
                .count();
        System.out.printf("wall view at 1024x768: %d of %d rigs visible without scrolling%n", visible, boxes.size());
        assertThat(visible).isGreaterThanOrEqualTo(4);
        screenshot("wall-view-tablet.png");
        js(driver, "window.scrollTo(0, document.documentElement.scrollHeight);");
        // Every rig is in the list: the last one scrolled into view.
        Map<String, Object> last = tileBoxes(driver).get(boxes.size() - 1);
        assertThat(num(last, "bottom")).isLessThanOrEqualTo(768);
    }

    @Test
    void evenTwentyFiveRigsFitA1920x1080ScreenInTypeReadableFrom3m() {
        WebDriver driver = wall(1920, 1080);
        // More rigs than the set runs, as the live stream would announce them.
        js(
                driver,
                "for (let n = 18; n <= 25; n++) window.rigtelLive.deliver('state', {rig: `rig-${n}`, online: true,"
                        + " wearer: 'Alex Morgan', timecode_lock: 'locked', status: {battery_percent: 80, recording: true}});");

        List<Map<String, Object>> boxes = tileBoxes(driver);
        assertThat(boxes).hasSize(25);
        double smallestWearer = Double.MAX_VALUE;
        for (Map<String, Object> box : boxes) {
            assertThat(num(box, "bottom")).as(box.get("rig") + " bottom").isLessThanOrEqualTo(1080);
            assertThat(num(box, "right")).as(box.get("rig") + " right").isLessThanOrEqualTo(1920);
            smallestWearer = Math.min(smallestWearer, num(box, "wearerFont"));
        }
        assertThat(smallestWearer).isGreaterThanOrEqualTo(28);
        assertThat(((Number) js(driver, "return document.documentElement.scrollHeight;")).longValue())
                .isLessThanOrEqualTo(1080);
        System.out.printf(
                "wall view at 1920x1080: %d rigs without scrolling, wearer type %.0f px%n",
                boxes.size(), smallestWearer);
    }

    /** An impact of the rig as the live stream delivers it, through the page's own handler. */
    private static void impact(WebDriver driver, String rig, double peakG) {
        js(
                driver,
                "window.rigtelLive.deliver('event', {rig: '" + rig + "', type: 'impact', peak_g: " + peakG
                        + ", onset_nanos: (Date.now() + Math.random()) * 1e6});");
    }

    private static List<WebElement> alertsOf(WebDriver driver, String key) {
        return driver.findElements(By.cssSelector("#alerts .alert[data-key='" + key + "']"));
    }

    @Test
    void repeatedImpactsOfOneRigAreOneAlertWithACount() {
        WebDriver driver = wall(1920, 1080);

        for (int i = 0; i < 4; i++) {
            impact(driver, "rig-03", 12.5);
        }
        impact(driver, "rig-06", 11);

        List<WebElement> grouped = alertsOf(driver, "rig-03:impact");
        assertThat(grouped).hasSize(1);
        // The simulated day may add a real fall of rig-03 to the four.
        int count = Integer.parseInt(
                grouped.get(0).findElement(By.cssSelector(".count")).getAttribute("data-count"));
        assertThat(count).isGreaterThanOrEqualTo(4);
        assertThat(grouped.get(0).getText()).contains("×" + count);
        assertThat(alertsOf(driver, "rig-06:impact")).hasSize(1);
        // Inside the side column, readable: a box of its own.
        assertThat(grouped.get(0).getRect().getX())
                .isGreaterThanOrEqualTo(
                        driver.findElement(By.id("alerts")).getRect().getX());
    }

    @Test
    void aStuntTakeRaisesTheImpactThresholdForThatTake() {
        WebDriver driver = wall(1920, 1080);
        js(
                driver,
                "window.rigtelLive.deliver('takes', {event: 'started', take_id: 'stunt-it', name: '57B-1', scene: '57',"
                        + " shot: 'B', take: 1, start_timecode: '15:10:00:00', stunt: true});");
        assertThat(driver.findElement(By.id("take-now")).getText()).contains("STUNT");

        impact(driver, "rig-08", 12);
        assertThat(alertsOf(driver, "rig-08:impact"))
                .as("12 g in a rehearsed fight")
                .isEmpty();
        impact(driver, "rig-08", 16);
        assertThat(alertsOf(driver, "rig-08:impact"))
                .as("16 g, over the stunt threshold")
                .hasSize(1);

        js(
                driver,
                "window.rigtelLive.deliver('takes', {event: 'ended', take_id: 'stunt-it', name: '57B-1', scene: '57',"
                        + " shot: 'B', take: 1, start_timecode: '15:10:00:00', stunt: true});");
        impact(driver, "rig-09", 12);
        assertThat(alertsOf(driver, "rig-09:impact"))
                .as("12 g after the stunt take")
                .hasSize(1);
    }

    @Test
    void aWearersOwnThresholdReplacesTheNormalOne() {
        WebDriver driver = wall(1920, 1080);
        js(
                driver,
                "window.rigtelLive.deliver('state', {rig: 'rig-40', online: true, wearer: 'Kim Falls',"
                        + " timecode_lock: 'locked', status: {battery_percent: 80}});"
                        + "window.rigtelLive.deliver('state', {rig: 'rig-41', online: true, wearer: 'Sam New',"
                        + " timecode_lock: 'locked', status: {battery_percent: 80}});");

        impact(driver, "rig-40", 14);
        impact(driver, "rig-41", 14);
        assertThat(alertsOf(driver, "rig-40:impact"))
                .as("14 g for a wearer whose own threshold is 20 g")
                .isEmpty();
        assertThat(alertsOf(driver, "rig-41:impact"))
                .as("14 g for a wearer at the normal 10 g")
                .hasSize(1);
        impact(driver, "rig-40", 21);
        assertThat(alertsOf(driver, "rig-40:impact"))
                .as("21 g, over her own threshold")
                .hasSize(1);
    }

    @Test
    void aSnoozeFromTheSlateHoldsImpactAlertsUntilCutButNeverTheOfflineOne() {
        WebDriver driver = browser.driver();
        browser.driver()
                .executeCdpCommand(
                        "Emulation.setDeviceMetricsOverride",
                        Map.of("width", 1920, "height", 1080, "deviceScaleFactor", 1, "mobile", false));
        driver.get(set.url("/?token=" + LiveSet.CONTROL_TOKEN));
        await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> assertThat(
                        driver.findElements(By.cssSelector("#slate select[name=rig] option[value='rig-04']")))
                .isNotEmpty());
        assertThat(alertsOf(driver, SPARE + ":offline")).hasSize(1);
        impact(driver, "rig-04", 13);
        assertThat(alertsOf(driver, "rig-04:impact")).hasSize(1);

        driver.findElement(By.id("slate-toggle")).click();
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.cssSelector("#slate select[name=rig]")))
                .selectByValue("rig-04");
        driver.findElement(By.id("slate-snooze")).click();

        // Stored by the collector, told on rigtel/v1/live/rig-04/alert, relayed by the dashboard.
        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .until(() -> !alertsOf(driver, "rig-04:snooze").isEmpty());
        assertThat(driver.findElement(By.cssSelector("#slate .result")).getText())
                .startsWith("snooze stored at ");
        assertThat(alertsOf(driver, "rig-04:impact")).as("snoozed").isEmpty();
        impact(driver, "rig-04", 14);
        impact(driver, "rig-04", 15);
        assertThat(alertsOf(driver, "rig-04:impact")).as("still snoozed").isEmpty();
        assertThat(alertsOf(driver, "rig-04:snooze").get(0).getAttribute("data-held"))
                .isEqualTo("2");
        impact(driver, "rig-05", 13);
        assertThat(alertsOf(driver, "rig-05:impact")).as("another rig").hasSize(1);

        driver.findElement(By.id("slate-snooze-all")).click();
        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .until(() -> !alertsOf(driver, "*:snooze").isEmpty());
        // Offline is never snoozed: still shown, marked as holding through the snooze.
        WebElement offline = alertsOf(driver, SPARE + ":offline").get(0);
        assertThat(offline.getAttribute("class")).contains("during-snooze");
        assertThat(offline.getText()).contains("not snoozed");
        assertThat(alertsOf(driver, "rig-05:impact"))
                .as("snoozed with every rig")
                .isEmpty();

        // The cut of the take they were made in (or, made between takes, the next cut) ends them.
        js(
                driver,
                "for (const z of window.rigtelLive.snoozes()) window.rigtelLive.deliver('takes', {event: 'ended',"
                        + " take_id: z.takeId || 'next', name: 'x', scene: 'x', shot: 'x', take: 1,"
                        + " start_timecode: '00:00:00:00'});");
        assertThat(driver.findElements(By.cssSelector("#alerts .alert.snooze"))).isEmpty();
        assertThat(alertsOf(driver, SPARE + ":offline").get(0).getAttribute("class"))
                .doesNotContain("during-snooze");
        impact(driver, "rig-04", 13);
        assertThat(alertsOf(driver, "rig-04:impact")).as("after the cut").hasSize(1);
    }

    @Test
    void aTileOpensTheRigsOwnPageWithTodaysDetailedTile() {
        WebDriver driver = wall(1920, 1080);
        driver.findElement(By.cssSelector(".rig[data-rig='rig-05']")).click();

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(driver.getCurrentUrl()).endsWith("#rig=rig-05"));
        WebElement tile = driver.findElement(By.cssSelector(".rig[data-rig='rig-05']"));
        await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> {
            assertThat(tile.findElement(By.cssSelector(".chart canvas")).isDisplayed())
                    .isTrue();
            assertThat(tile.findElement(By.cssSelector("dd[data-fact=battery]")).getText())
                    .endsWith("%");
        });
        assertThat(driver.findElement(By.cssSelector(".rig[data-rig='rig-04']")).isDisplayed())
                .isFalse();
        driver.findElement(By.id("back-to-wall")).click();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(driver.findElement(By.cssSelector(".rig[data-rig='rig-04']"))
                                .isDisplayed())
                        .isTrue());
    }
}

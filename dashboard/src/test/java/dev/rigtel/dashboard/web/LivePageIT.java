package dev.rigtel.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.dashboard.testing.Browser;
import dev.rigtel.dashboard.testing.LiveSet;
import dev.rigtel.dashboard.testing.SharedLiveSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The live page in headless Chromium, with simulated rigs publishing to a real collector. */
class LivePageIT {

    @RegisterExtension
    static final SharedLiveSet shared = new SharedLiveSet();

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

    private static WebDriver open(String token) {
        WebDriver driver = browser.driver();
        driver.get(shared.set().url("/?token=" + token));
        return driver;
    }

    /** A rig's own page: today's detailed tile, with its chart, facts and commands. */
    private static WebDriver openRig(String token, String rig) {
        WebDriver driver = browser.driver();
        driver.get(shared.set().url("/?token=" + token + "#rig=" + rig));
        return driver;
    }

    /** The slate folds away on the wall; its button in the header opens it. */
    private static void openSlate(WebDriver driver) {
        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .until(() -> driver.findElement(By.id("slate-toggle")).isDisplayed());
        if (!driver.findElement(By.id("slate")).isDisplayed()) {
            driver.findElement(By.id("slate-toggle")).click();
        }
    }

    private static List<WebElement> tiles(WebDriver driver) {
        return driver.findElements(By.cssSelector("#rigs .rig"));
    }

    private static Map<String, Long> lastTraces(WebDriver driver) {
        Map<String, Long> last = new HashMap<>();
        for (WebElement tile : tiles(driver)) {
            last.put(tile.getAttribute("data-rig"), Long.parseLong(tile.getAttribute("data-last-trace")));
        }
        return last;
    }

    @Test
    void showsEveryRigOnlineWithinSecondsAndTheirTracesMove() {
        WebDriver driver = open(LiveSet.CONTROL_TOKEN);

        await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> {
            List<String> online = tiles(driver).stream()
                    .filter(t -> "true".equals(t.getAttribute("data-online")))
                    .map(t -> t.getAttribute("data-rig"))
                    .toList();
            assertThat(online).contains("rig-01", "rig-02", "rig-03", "rig-04");
        });
        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .untilAsserted(() -> assertThat(lastTraces(driver)).allSatisfy((rig, t) -> {
                    if (!rig.equals(SharedLiveSet.SPARE_RIG)) {
                        assertThat(t).as(rig).isPositive();
                    }
                }));
        Map<String, Long> before = lastTraces(driver);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Long> now = lastTraces(driver);
            for (String rig : List.of("rig-01", "rig-02", "rig-03", "rig-04")) {
                assertThat(now.get(rig)).as(rig + "'s trace moves").isGreaterThan(before.get(rig));
            }
        });
        openRig(LiveSet.CONTROL_TOKEN, "rig-01");
        await().atMost(LiveSet.SECONDS_TO_SHOW).until(() -> !tiles(driver).isEmpty());
        WebElement tile = driver.findElement(By.cssSelector(".rig[data-rig='rig-01']"));
        // Battery comes with the rig's status, the IMU rate with its first per-second motion
        // message: either may follow the first traces by a moment on a loaded machine.
        await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> {
            assertThat(tile.findElement(By.cssSelector("dd[data-fact=battery]")).getText())
                    .endsWith("%");
            assertThat(tile.findElement(By.cssSelector("dd[data-fact=imu]")).getText())
                    .endsWith("Hz");
        });
        assertThat(tile.findElement(By.cssSelector(".chart canvas")).isDisplayed())
                .isTrue();
        assertThat(driver.findElement(By.id("feed")).getText()).isEqualTo("live");
    }

    @Test
    void showsTheDiskTheShootUsesAndItsForecast() {
        WebDriver driver = open(LiveSet.ACCESS_TOKEN);

        await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> assertThat(
                        driver.findElement(By.id("storage")).isDisplayed())
                .isTrue());
        WebElement badge = driver.findElement(By.id("storage"));
        assertThat(badge.getText()).matches("disk [0-9.]+ [MG]B · [0-9.]+ [MG]B by day 120");
        assertThat(badge.getAttribute("data-level")).isIn("ok", "warning", "critical");
        assertThat(badge.getAttribute("title")).contains("of 120");
    }

    @Test
    void drawsTheLiveTraceFromTraceMessages() {
        WebDriver driver = open(LiveSet.ACCESS_TOKEN);

        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .untilAsserted(() -> assertThat(((Number) ((org.openqa.selenium.JavascriptExecutor) driver)
                                        .executeScript("return window.rigtelLatency.trace.length;"))
                                .intValue())
                        .as("trace events on the page (rigtel/v1/live/{rig}/trace is being added to the collector"
                                + " in parallel; merge it and run again)")
                        .isPositive());
    }

    @Test
    void showsSlateAndRigControlsOnlyWithControlRights() {
        WebDriver driver = open(LiveSet.ACCESS_TOKEN);
        await().atMost(LiveSet.SECONDS_TO_SHOW).until(() -> !tiles(driver).isEmpty());
        assertThat(driver.findElement(By.id("slate")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.cssSelector(".rig .controls")).isDisplayed())
                .isFalse();
        assertThat(driver.findElement(By.id("rights")).getText()).isEqualTo("view only");

        assertThat(driver.findElement(By.id("slate-toggle")).isDisplayed()).isFalse();
        openRig(LiveSet.ACCESS_TOKEN, "rig-01");
        await().atMost(LiveSet.SECONDS_TO_SHOW).until(() -> !tiles(driver).isEmpty());
        assertThat(driver.findElement(By.cssSelector(".rig[data-rig='rig-01'] .controls"))
                        .isDisplayed())
                .isFalse();

        open(LiveSet.CONTROL_TOKEN);
        await().atMost(LiveSet.SECONDS_TO_SHOW).until(() -> !tiles(driver).isEmpty());
        // Folded away until its button opens it.
        assertThat(driver.findElement(By.id("slate")).isDisplayed()).isFalse();
        openSlate(driver);
        assertThat(driver.findElement(By.id("slate")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("slate-roll")).isDisplayed()).isTrue();
        openRig(LiveSet.CONTROL_TOKEN, "rig-01");
        await().atMost(LiveSet.SECONDS_TO_SHOW).until(() -> !tiles(driver).isEmpty());
        assertThat(driver.findElement(By.cssSelector(".rig[data-rig='rig-01'] .controls"))
                        .isDisplayed())
                .isTrue();
    }

    @Test
    void identifiesARigFromItsTile() {
        WebDriver driver = openRig(LiveSet.CONTROL_TOKEN, "rig-02");
        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .until(() -> !driver.findElements(By.cssSelector(".rig[data-rig='rig-02'] .controls button"))
                        .isEmpty());

        WebElement tile = driver.findElement(By.cssSelector(".rig[data-rig='rig-02']"));
        // A command sent before the simulated rig subscribed to its command topic reaches nobody (a
        // clean session, as in CommandsIT): click again until one is answered.
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    tile.findElement(By.xpath(".//button[text()='Identify']")).click();
                    await().atMost(Duration.ofSeconds(5))
                            .untilAsserted(() -> assertThat(tile.findElement(By.cssSelector(".command-result"))
                                            .getText())
                                    .startsWith("identify: ok"));
                });
    }

    @Test
    void theSlateSendsAnAssignmentThroughTheDashboard() {
        WebDriver driver = open(LiveSet.CONTROL_TOKEN);
        openSlate(driver);
        await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> assertThat(
                        driver.findElements(By.cssSelector("#slate select[name=rig] option[value='rig-03']")))
                .isNotEmpty());
        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .until(() -> !driver.findElement(By.cssSelector(".rig[data-rig='rig-03'] .wearer"))
                        .getText()
                        .equals("no wearer"));
        // The person rig-03 already wears: the assignment is stored, nothing about the day changes.
        String wearer = driver.findElement(By.cssSelector(".rig[data-rig='rig-03'] .wearer"))
                .getText();
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.cssSelector("#slate select[name=rig]")))
                .selectByValue("rig-03");
        driver.findElement(By.cssSelector("#slate input[name=person]")).sendKeys(wearer);

        driver.findElement(By.id("slate-assign")).click();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                        driver.findElement(By.cssSelector("#slate .result")).getText())
                .startsWith("assign stored at "));
    }

    @Test
    void aRigGoingOfflineRaisesAnAlertThatAClickAcknowledges() throws Exception {
        WebDriver driver = open(LiveSet.ACCESS_TOKEN);
        await().atMost(LiveSet.SECONDS_TO_SHOW).until(() -> !tiles(driver).isEmpty());
        String rig = SharedLiveSet.SPARE_RIG;
        MqttClient spare =
                new MqttClient("tcp://127.0.0.1:" + shared.set().collector().mqttPort(), rig, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(rig);
        options.setPassword(String.format("pw-%02d", SharedLiveSet.RIGS + 1).toCharArray());
        spare.connect(options);
        await().atMost(LiveSet.SECONDS_TO_SHOW).until(() -> "true"
                .equals(driver.findElement(By.cssSelector(".rig[data-rig='" + rig + "']"))
                        .getAttribute("data-online")));

        spare.disconnect();
        spare.close();

        By alert = By.cssSelector(".alert[data-key='" + rig + ":offline']");
        await().atMost(LiveSet.SECONDS_TO_SHOW)
                .until(() -> !driver.findElements(alert).isEmpty());
        WebElement shown = driver.findElement(alert);
        assertThat(shown.getText()).contains(rig + " offline");
        assertThat(shown.getAttribute("class")).contains("bad");
        assertThat(driver.findElement(By.cssSelector(".rig[data-rig='" + rig + "']"))
                        .getAttribute("data-online"))
                .isEqualTo("false");

        shown.click();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> driver.findElements(alert).isEmpty());
        assertThat(driver.findElement(By.cssSelector(".acked-note")).getText()).contains("acknowledged");
    }
}

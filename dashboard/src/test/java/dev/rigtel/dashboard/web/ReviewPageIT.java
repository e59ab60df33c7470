package dev.rigtel.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigtel.dashboard.testing.Browser;
import dev.rigtel.dashboard.testing.LiveSet;
import dev.rigtel.dashboard.testing.SharedLiveSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The review page in headless Chromium for the simulated shooting day. */
class ReviewPageIT {

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

    /** Opens the day's review, failing with the page's own error if it shows one. */
    private static WebDriver openDay(String date) {
        WebDriver driver = browser.driver();
        driver.get(shared.set().url("/review.html?date=" + date + "&token=" + LiveSet.ACCESS_TOKEN));
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-ready"))
                                || !driver.findElements(By.cssSelector("#matrix .error"))
                                        .isEmpty());
        List<WebElement> errors = driver.findElements(By.cssSelector("#matrix .error"));
        if (!errors.isEmpty()) {
            String shown = errors.get(0).getText();
            throw new AssertionError("the review page shows: " + shown
                    + (shown.contains("no such endpoint")
                            ? " (GET /api/days/{d}/matrix is being added to the collector in parallel; merge it and"
                                    + " run again)"
                            : ""));
        }
        return driver;
    }

    @Test
    void rendersTheWearerByTakeMatrixOfASimulatedDay() {
        JsonNode takes = shared.awaitDay();
        WebDriver driver = openDay(shared.date());

        List<WebElement> timeline = driver.findElements(By.cssSelector("#timeline .take"));
        assertThat(timeline).hasSize(SharedLiveSet.TAKES);
        assertThat(timeline.get(0).getText()).isEqualTo(takes.get(0).get("name").asText());
        List<WebElement> headers = driver.findElements(By.cssSelector("table.matrix thead th.take"));
        assertThat(headers).hasSize(SharedLiveSet.TAKES);
        List<WebElement> rows = driver.findElements(By.cssSelector("table.matrix tbody tr"));
        assertThat(rows).hasSizeGreaterThanOrEqualTo(SharedLiveSet.RIGS);
        String wearer = takes.get(0).get("wearers").get(0).get("person").asText();
        assertThat(rows)
                .anySatisfy(row -> assertThat(row.getAttribute("data-person")).isEqualTo(wearer));
        List<WebElement> cells = driver.findElements(By.cssSelector("table.matrix td[data-value]"));
        assertThat(cells).hasSizeGreaterThanOrEqualTo(SharedLiveSet.RIGS * SharedLiveSet.TAKES);
        assertThat(cells.get(0).getAttribute("style")).contains("background");
        String peak = cells.get(0).getText();
        assertThat(Double.parseDouble(peak)).isGreaterThan(0.5);

        new Select(driver.findElement(By.id("metric"))).selectByValue("msdv");

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(driver.findElement(By.cssSelector("table.matrix td[data-value]"))
                                .getText())
                        .matches("\\d+\\.\\d\\d"));
        assertThat(driver.getCurrentUrl()).contains("metric=msdv");
    }

    @Test
    void showsEveryWearersExposureWithThresholds() {
        shared.awaitDay();
        WebDriver driver = openDay(shared.date());

        await().atMost(Duration.ofSeconds(30)).until(() -> "true"
                .equals(driver.findElement(By.tagName("body")).getAttribute("data-exposure")));
        List<WebElement> people = driver.findElements(By.cssSelector("#exposure .person"));
        assertThat(people).hasSizeGreaterThanOrEqualTo(SharedLiveSet.RIGS);
        WebElement first = people.get(0);
        assertThat(first.findElements(By.cssSelector(".error"))).isEmpty();
        assertThat(first.findElements(By.cssSelector(".meter"))).hasSize(5);
        assertThat(first.findElements(By.cssSelector(".meter .threshold"))).hasSize(10);
        assertThat(first.getText()).contains("takes", "MSDV");
    }
}

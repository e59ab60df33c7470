package dev.rigtel.dashboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.store.InfluxOptions;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.dashboard.testing.Browser;
import dev.rigtel.dashboard.testing.LiveSet;
import dev.rigtel.simulator.ShootHistory;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Pdf;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.print.PageSize;
import org.openqa.selenium.print.PrintOptions;

/**
 * The shoot view of the review page and the daily report, in headless Chromium, on a synthetic
 * history of {@value #DAYS} days of {@value #RIGS} rigs written into the test InfluxDB by the tools'
 * {@link ShootHistory} (dates from the clock: the shoot ends the day before yesterday, so its days
 * are past days the collector reads from InfluxDB, not its open ones).
 */
class ShootViewIT {

    static final int DAYS = 16;
    static final int RIGS = 4;
    static final int TAKES = 12;
    static final LocalDate LAST = TestClocks.today(ZoneOffset.UTC).minusDays(2);
    static final LocalDate FIRST = LAST.minusDays(DAYS - 1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();

    private static LiveSet set;
    private static ShootHistory.Result shoot;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        set = LiveSet.start(0, simulator -> null, dashboard -> dashboard);
        try (InfluxStore store = new InfluxStore(
                InfluxOptions.of(set.influx().url(), TestCollector.DATABASE, false, Duration.ofSeconds(30)))) {
            shoot = ShootHistory.write(
                    new ShootHistory.Options(
                            DAYS, TAKES, RIGS, Duration.ofSeconds(20), 0, 0, 200, FIRST, ZoneOffset.UTC, 17),
                    store,
                    2);
        }
        browser = Browser.start(1600, 1000);
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

    /** The collector's answer, straight from it. */
    private static JsonNode collector(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(set.collectorUrl(path)))
                        .header("Authorization", LiveSet.COLLECTOR_AUTHORIZATION)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static WebDriver open(String path, String readyAttribute) {
        WebDriver driver = browser.driver();
        driver.get(set.url(path + (path.contains("?") ? "&" : "?") + "token=" + LiveSet.ACCESS_TOKEN));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> driver.findElement(By.tagName("body")).getAttribute(readyAttribute) != null);
        return driver;
    }

    private static void assertDrawn(WebElement element) {
        assertThat(element.isDisplayed()).isTrue();
        assertThat(element.getRect().getWidth()).as("width").isPositive();
        assertThat(element.getRect().getHeight()).as("height").isPositive();
    }

    @Test
    void showsARowAndASmallChartPerWearerAndTheRollingLineCrossesTheLimitWhereTheDataSays() throws Exception {
        String range = "from=" + FIRST + "&to=" + LAST;
        JsonNode unlimited = collector("/api/shoot/exposure?" + range);
        List<String> wearers =
                new ArrayList<>(new java.util.TreeSet<>(shoot.exposures().keySet()));
        assertThat(unlimited.get("people").findValuesAsText("person")).containsExactlyElementsOf(wearers);
        // A limit half way up the busiest wearer's rolling impacts, so the line must cross it.
        JsonNode busiest = unlimited.get("people").get(0);
        for (JsonNode p : unlimited.get("people")) {
            if (p.get("max_rolling7_impacts").asInt()
                    > busiest.get("max_rolling7_impacts").asInt()) {
                busiest = p;
            }
        }
        int max = busiest.get("max_rolling7_impacts").asInt();
        assertThat(max).as("the history has impacts").isGreaterThanOrEqualTo(2);
        int limit = max / 2;
        String person = busiest.get("person").asText();
        JsonNode days = collector("/api/shoot/exposure?" + range + "&impact_limit=" + limit)
                .get("people")
                .get(wearers.indexOf(person))
                .get("days");
        List<String> crossings = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            int before =
                    i == 0 ? 0 : days.get(i - 1).get("rolling7").get("impacts").asInt();
            if (days.get(i).get("rolling7").get("impacts").asInt() > limit && before <= limit) {
                crossings.add(days.get(i).get("date").asText());
            }
        }
        assertThat(crossings).isNotEmpty();

        WebDriver driver = open(
                "/review.html?date=" + LAST + "&shoot_from=" + FIRST + "&shoot_to=" + LAST + "&impact_limit=" + limit,
                "data-shoot");

        List<WebElement> rows = driver.findElements(By.cssSelector("#shoot-table table.shoot tbody tr"));
        assertThat(rows).extracting(r -> r.getAttribute("data-person")).containsExactlyElementsOf(wearers);
        List<WebElement> charts = driver.findElements(By.cssSelector("#shoot-charts svg.small-chart"));
        assertThat(charts).hasSize(wearers.size());
        charts.forEach(ShootViewIT::assertDrawn);
        WebElement chart = driver.findElement(By.cssSelector("#shoot-charts figure[data-person='" + person + "'] svg"));
        assertThat(chart.getAttribute("data-crossings")).isEqualTo(String.join(",", crossings));
        // The drawing itself: each day's point of the rolling line is above the limit line (smaller y)
        // exactly on the days the collector says the rolling 7 days are over the limit.
        double limitY = Double.parseDouble(
                chart.findElement(By.cssSelector("line.limit")).getAttribute("y1"));
        String[] points = chart.findElement(By.cssSelector("polyline.rolling"))
                .getAttribute("points")
                .trim()
                .split(" ");
        assertThat(points).hasSize(DAYS);
        for (int i = 0; i < DAYS; i++) {
            double y = Double.parseDouble(points[i].split(",")[1]);
            boolean over = days.get(i).get("rolling7").get("impacts").asInt() > limit;
            assertThat(y < limitY).as(days.get(i).get("date").asText()).isEqualTo(over);
        }
        assertThat(chart.findElements(By.cssSelector("circle.over"))).hasSize(countOver(days, limit));
        assertThat(driver.findElement(By.id("report-link")).getAttribute("href"))
                .endsWith("/report.html?date=" + LAST);
        Path shot = Path.of("target", "shoot-view.png");
        Files.write(shot, driver.findElement(By.id("shoot-panel")).getScreenshotAs(OutputType.BYTES));
    }

    private static int countOver(JsonNode days, int limit) {
        int n = 0;
        for (JsonNode d : days) {
            n += d.get("rolling7").get("impacts").asInt() > limit ? 1 : 0;
        }
        return n;
    }

    @Test
    void theDailyReportDrawsItsPicturesAndPrintsOnOnePageOfA4AndOfLetter() throws Exception {
        JsonNode matrix = collector("/api/days/" + LAST + "/matrix");
        int impacts = 0;
        for (JsonNode cell : matrix.get("cells")) {
            impacts += cell.get("impacts").asInt();
        }
        WebDriver driver = open("/report.html?date=" + LAST, "data-ready");
        assertThat(driver.findElement(By.tagName("body")).getAttribute("data-ready"))
                .isEqualTo("true");

        WebElement timeline = driver.findElement(By.cssSelector("#timeline svg.report-timeline"));
        assertDrawn(timeline);
        List<WebElement> takes = timeline.findElements(By.cssSelector("rect.take-bar"));
        assertThat(takes).hasSize(TAKES);
        takes.forEach(ShootViewIT::assertDrawn);
        assertThat(timeline.findElements(By.cssSelector("line.impact-tick"))).hasSize(impacts);
        WebElement bars = driver.findElement(By.cssSelector("#bars svg.report-bars"));
        assertDrawn(bars);
        assertThat(bars.findElements(By.cssSelector("g.wearer")))
                .hasSize(matrix.get("people").size());
        assertThat(driver.findElements(By.cssSelector("#takes table.report-table tbody tr")))
                .hasSize(TAKES);
        assertThat(driver.findElements(By.cssSelector("#impacts table tbody tr")))
                .hasSize(impacts);

        driver.manage().window().setSize(new Dimension(1000, 1500));
        Files.write(Path.of("target", "daily-report.png"), ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));

        for (PageSize size : List.of(new PageSize(29.7, 21.0), new PageSize(27.94, 21.59))) {
            PrintOptions options = new PrintOptions();
            options.setPageSize(size);
            options.setBackground(true);
            Pdf pdf = ((ChromeDriver) driver).print(options);
            byte[] bytes = Base64.getDecoder().decode(pdf.getContent());
            Files.write(Path.of("target", "daily-report-" + (size.getHeight() > 28 ? "a4" : "letter") + ".pdf"), bytes);
            assertThat(new String(bytes, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
            assertThat(pages(bytes))
                    .as("pages on " + size.getWidth() + " x " + size.getHeight() + " cm")
                    .isEqualTo(1);
        }
        driver.manage().window().setSize(new Dimension(1600, 1000));
    }

    /** The page objects of a PDF as Chromium writes it (uncompressed object dictionaries). */
    static int pages(byte[] pdf) {
        Matcher m = Pattern.compile("/Type\\s*/Page(?![s\\w])").matcher(new String(pdf, StandardCharsets.ISO_8859_1));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

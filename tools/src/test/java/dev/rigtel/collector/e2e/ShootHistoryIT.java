package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.motion.Exposure;
import dev.rigtel.collector.store.InfluxOptions;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.ShootHistory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shoot longer than the reference production's 120 days, written into a real InfluxDB by the
 * history generator: after a restart the collector answers for its first day, its middle and its
 * last, and a wearer's exposure over the whole shoot adds up to what the generator wrote.
 */
@Tag(TestClocks.DATES)
class ShootHistoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DAYS = 130;
    private static final int TAKES = 12;
    private static final int RIGS = 4;
    private static final LocalDate FIRST_DAY = TestClocks.today(ZoneOffset.UTC).minusDays(DAYS);
    private static final LocalDate LAST_DAY = FIRST_DAY.plusDays(DAYS - 1);

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Path credentials;
    private static Collector.Running collector;
    private static ShootHistory.Result shoot;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void shoot() throws Exception {
        influx = InfluxdbServer.start();
        try (InfluxStore store = new InfluxStore(
                InfluxOptions.of(influx.url(), TestCollector.DATABASE, false, Duration.ofSeconds(30)))) {
            store.createDatabase();
            store.createRetentionPolicies();
            shoot = ShootHistory.write(
                    new ShootHistory.Options(
                            DAYS, TAKES, RIGS, Duration.ofSeconds(20), 1, 2, 200, FIRST_DAY, ZoneOffset.UTC, 42),
                    store,
                    2);
        }
        credentials = TestCollector.credentials(dir, 1);
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + path))
                        .header("Authorization", TestCollector.VIEWER_AUTHORIZATION)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void everyDayOfTheShootIsReviewableAfterARestart() throws Exception {
        for (int restart = 0; restart < 2; restart++) {
            for (LocalDate day : new LocalDate[] {FIRST_DAY, FIRST_DAY.plusDays(DAYS / 2), LAST_DAY}) {
                JsonNode takes = get("/api/days/" + day + "/takes");
                assertThat(takes).as(day.toString()).hasSize(TAKES);
                String id = shoot.takeIds().get(day).get(0);
                JsonNode take = get("/api/takes/" + id);
                assertThat(take.get("date").asText()).isEqualTo(day.toString());
                assertThat(take.get("wearers")).hasSize(RIGS);
                assertThat(take.get("rigs")).hasSize(RIGS);
                assertThat(get("/api/takes/" + id + "/summary").get("rigs")).hasSize(RIGS);
                JsonNode matrix = get("/api/days/" + day + "/matrix");
                assertThat(matrix.get("cells")).hasSize(TAKES * RIGS);
            }
            collector.close();
            collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
        }
    }

    @Test
    void rawSamplesAreGoneFromOldDaysButTheirRollupsAnswer() throws Exception {
        String old = shoot.takeIds().get(FIRST_DAY).get(0);
        JsonNode rig = get("/api/takes/" + old).get("rigs").get("rig-01");
        assertThat(rig.get("raw_kept").asBoolean()).isFalse();
        assertThat(rig.get("samples").asLong()).isPositive();
        JsonNode series = get("/api/takes/" + old + "/series?rig=rig-01");
        assertThat(series.get("raw_kept").asBoolean()).isFalse();
        assertThat(series.get("resolution").asText()).isEqualTo("rollup");
        assertThat(series.get("t_ns")).isNotEmpty();
    }

    @Test
    void aWearersExposureOverTheWholeShootAddsUpEveryTakeTheyWore() throws Exception {
        assertThat(shoot.exposures()).hasSizeGreaterThan(RIGS);
        for (Map.Entry<String, Exposure> person : shoot.exposures().entrySet()) {
            JsonNode answer = get("/api/people/"
                    + URLEncoder.encode(person.getKey(), StandardCharsets.UTF_8).replace("+", "%20")
                    + "/exposure?from=" + FIRST_DAY + "&to=" + LAST_DAY);
            JsonNode got = answer.get("exposure");
            Exposure want = person.getValue();
            String who = person.getKey();
            assertThat(got.get("takes").asInt()).as(who).isEqualTo(want.takes());
            assertThat(got.get("impactsOverThreshold").asInt()).as(who).isEqualTo(want.impactsOverThreshold());
            assertThat(got.get("maxHic15").asDouble()).as(who).isCloseTo(want.maxHic15(), within(1e-6));
            assertThat(got.get("msdvTotal").asDouble())
                    .as(who)
                    .isCloseTo(want.msdvTotal(), within(1e-6 * Math.max(1, want.msdvTotal())));
            assertThat(got.get("secondsAbove30Dps").asDouble())
                    .as(who)
                    .isCloseTo(want.secondsAbove30Dps(), within(1e-6 * Math.max(1, want.secondsAbove30Dps())));
            assertThat(got.get("secondsAbove3G").asDouble()).as(who).isEqualTo(want.secondsAbove3G());
            long days = 0;
            for (JsonNode day : answer.get("days")) {
                days += day.get("exposure").get("takes").asInt();
            }
            assertThat(days).as(who + ": the days add up to the total").isEqualTo(want.takes());
        }
    }

    @Test
    void theWholeShootAtAGlanceIsOneRequestThatAddsUpEveryWearersTakes() throws Exception {
        long started = System.nanoTime();
        JsonNode answer = get("/api/shoot/exposure?from=" + FIRST_DAY + "&to=" + LAST_DAY);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("GET /api/shoot/exposure over %d days of %d rigs: %d ms%n", DAYS, RIGS, millis);

        JsonNode people = answer.get("people");
        assertThat(people.findValuesAsText("person"))
                .containsExactlyElementsOf(
                        new java.util.TreeSet<>(shoot.exposures().keySet()));
        for (JsonNode person : people) {
            String who = person.get("person").asText();
            Exposure want = shoot.exposures().get(who);
            JsonNode total = person.get("total");
            assertThat(total.get("takes").asInt()).as(who).isEqualTo(want.takes());
            assertThat(total.get("impacts").asInt()).as(who).isEqualTo(want.impactsOverThreshold());
            assertThat(total.get("max_hic15").asDouble()).as(who).isCloseTo(want.maxHic15(), within(1e-6));
            assertThat(total.get("msdv").asDouble())
                    .as(who)
                    .isCloseTo(want.msdvTotal(), within(1e-6 * Math.max(1, want.msdvTotal())));
            assertThat(person.get("days")).hasSize(DAYS);
        }
        assertThat(millis)
                .as("a whole shoot answers well within the proxy's timeout")
                .isLessThan(10_000);
    }
}

package dev.rigtel.dashboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LiveSet} for every integration test class of a run (started by the first that
 * needs it, closed by JUnit when the run ends): {@value #RIGS} simulated rigs at 400 Hz, with
 * timecode, status every 2 s, and a scripted shooting day of {@value #TAKES} short takes.
 *
 * <pre>{@code
 * @RegisterExtension static final SharedLiveSet shared = new SharedLiveSet();
 * }</pre>
 */
public final class SharedLiveSet implements BeforeAllCallback {

    public static final int RIGS = 4;
    public static final int TAKES = 3;
    /** The spare rig a test may connect as by hand (the simulator does not use it). */
    public static final String SPARE_RIG = String.format("rig-%02d", RIGS + 1);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedLiveSet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private LiveSet set;

    @Override
    public void beforeAll(ExtensionContext context) {
        set = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("set", key -> start(), LiveSet.class);
    }

    private static LiveSet start() {
        try {
            return LiveSet.start(
                    RIGS,
                    // 400 Hz: a 6 s take has more samples than the take page asks for (1500), so its
                    // whole-take view is a rollup and only a zoom shows raw samples.
                    sim -> sim.sampleRateHz(400)
                            .duration(Duration.ofMinutes(15))
                            .qos(1)
                            .statusInterval(Duration.ofSeconds(2))
                            .timecodeInterval(Duration.ofMillis(100))
                            .clockDriftPpm(10)
                            .dayTakes(TAKES)
                            .takeLength(Duration.ofSeconds(6))
                            .betweenTakes(Duration.ofSeconds(3)),
                    dash -> dash);
        } catch (Exception e) {
            throw new IllegalStateException("could not start InfluxDB, the collector, the dashboard and the rigs", e);
        }
    }

    public LiveSet set() {
        return set;
    }

    /**
     * Waits until the scripted day is over and its take summaries are written, and returns the
     * day's takes as the collector lists them.
     */
    public JsonNode awaitDay() {
        String date = date();
        JsonNode[] takes = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode listed = JSON.readTree(get(set.collectorUrl("/api/days/" + date + "/takes")));
                    assertThat(listed).hasSize(TAKES);
                    for (JsonNode take : listed) {
                        assertThat(take.get("rolling").asBoolean()).isFalse();
                    }
                    JsonNode last = listed.get(TAKES - 1);
                    // Summaries are written 3 s after a cut.
                    assertThat(System.currentTimeMillis() - last.get("end_ns").asLong() / 1_000_000)
                            .isGreaterThan(4_000);
                    takes[0] = listed;
                });
        return takes[0];
    }

    /** The shooting day's date, YYYY-MM-DD, from the first take the live feed heard of. */
    public String date() {
        String[] date = new String[1];
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode takes = JSON.readTree(set.dashboard().hub().snapshotJson()).get("takes");
            assertThat(takes).isNotEmpty();
            date[0] = takes.get(0).get("date").asText();
        });
        return date[0];
    }

    /** One client, so its pooled connections are reused (the collector caps them per address). */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A read of the collector's own API, as the dashboard's collector user. */
    private static String get(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", LiveSet.COLLECTOR_AUTHORIZATION)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}

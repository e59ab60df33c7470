package dev.rigtel.dashboard.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.dashboard.Dashboard;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import dev.rigtel.dashboard.testing.Browser;
import dev.rigtel.dashboard.testing.LiveSet;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * A dashboard following two real collectors that share one real InfluxDB, one simulated rig
 * publishing to each: it shows both rigs, answers {@code /api} although its first collector URL is
 * dead, and says DEGRADED, naming the feed, once one collector stops, still showing the other's rig.
 */
class SeveralCollectorsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<String> get(Dashboard.Running dashboard, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + path))
                        .header("Authorization", "Bearer " + LiveSet.ACCESS_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Simulator simulate(Collector.Running collector, int rig) {
        Simulator simulator = new Simulator(
                SimulatorOptions.builder()
                        .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                        .rigs(1)
                        .firstRig(rig)
                        .usernamePattern("rig-{n}")
                        .passwordPattern("pw-{n}")
                        // Until the test stops it (the default 10 s can be over before a loaded machine gets here).
                        .duration(Duration.ZERO)
                        .build(),
                Clock.systemUTC());
        CompletableFuture.runAsync(() -> {
            try {
                simulator.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return simulator;
    }

    @Test
    void showsTheRigsOfBothCollectorsAndAnswersPastADeadFirstCollector() throws Exception {
        Path credentials = TestCollector.credentials(dir, 2);
        TestCollector.addUser(credentials, LiveSet.DASHBOARD_USER, Role.ADMIN, LiveSet.DASHBOARD_PASSWORD);
        URI dead = URI.create("http://127.0.0.1:" + freePort());
        try (InfluxdbServer influx = InfluxdbServer.start();
                Collector.Running a = TestCollector.start(dir.resolve("a"), credentials, influx.url());
                Collector.Running b = TestCollector.start(dir.resolve("b"), credentials, influx.url())) {
            String mqttA = "tcp://127.0.0.1:" + a.mqttPort();
            String mqttB = "tcp://127.0.0.1:" + b.mqttPort();
            try (Dashboard.Running dashboard = Dashboard.start(LiveSet.dashboardOptions(a)
                            .collectorUrls(List.of(dead, URI.create("http://127.0.0.1:" + b.httpPort())))
                            .mqttUrls(List.of(mqttA, mqttB))
                            .build());
                    Simulator rigA = simulate(a, 1);
                    Simulator rigB = simulate(b, 2);
                    Browser browser = Browser.start(1280, 800)) {
                await().atMost(LiveSet.SECONDS_TO_SHOW)
                        .until(() -> get(dashboard, "/health").statusCode() == 200);
                JsonNode health = JSON.readTree(get(dashboard, "/health").body());
                assertThat(health.get("status").asText()).isEqualTo("UP");
                assertThat(health.get("live_feed").asText()).isEqualTo("connected");
                assertThat(health.get("feeds")).hasSize(2);

                // Both rigs, each from the collector it publishes to.
                await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> {
                    var states = dashboard.hub().states();
                    java.util.Map<String, Boolean> online = new java.util.TreeMap<>();
                    states.forEach(
                            (rig, state) -> online.put(rig, state.path("online").asBoolean()));
                    assertThat(online)
                            .as("rigs online in the hub; states %s", states)
                            .isEqualTo(java.util.Map.of("rig-01", true, "rig-02", true));
                });

                // The wall shows both, online.
                WebDriver driver = browser.driver();
                driver.get("http://127.0.0.1:" + dashboard.port() + "/?token=" + LiveSet.ACCESS_TOKEN);
                await().atMost(LiveSet.SECONDS_TO_SHOW)
                        .untilAsserted(() -> assertThat(driver.findElements(By.cssSelector("#rigs .rig")).stream()
                                        .filter(t -> "true".equals(t.getAttribute("data-online")))
                                        .map(t -> t.getAttribute("data-rig")))
                                .as(
                                        "rigs online on the wall (feed badge '%s', %s tiles)",
                                        driver.findElement(By.id("feed")).getText(),
                                        driver.findElements(By.cssSelector("#rigs .rig"))
                                                .size())
                                .containsExactlyInAnyOrder("rig-01", "rig-02"));
                assertThat(driver.findElement(By.id("feed")).getText()).isEqualTo("live");

                // The first collector URL is dead: /api is answered by the second (its /api/rigs lists
                // the clocks of the rigs it serves itself).
                HttpResponse<String> rigs = get(dashboard, "/api/rigs");
                assertThat(rigs.statusCode()).isEqualTo(200);
                assertThat(rigs.body()).contains("\"rig\":\"rig-02\"");
                assertThat(dashboard.meters().count(DashboardMeters.PROXY_FAILOVERS, "reason", "unreachable"))
                        .isEqualTo(1);
                assertThat(get(dashboard, "/api/rigs").statusCode()).isEqualTo(200);
                assertThat(dashboard.meters().count(DashboardMeters.PROXY_FAILOVERS, "reason", "unreachable"))
                        .isEqualTo(1);

                // Collector b stops: DEGRADED, naming b's feed; a's rig still shown online.
                rigB.close();
                b.close();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> get(dashboard, "/health").statusCode() == 503);
                JsonNode degraded = JSON.readTree(get(dashboard, "/health").body());
                assertThat(degraded.get("status").asText()).isEqualTo("DEGRADED");
                assertThat(degraded.get("feeds").get(0).get("url").asText()).isEqualTo(mqttA);
                assertThat(degraded.get("feeds").get(0).get("connected").asBoolean())
                        .isTrue();
                assertThat(degraded.get("feeds").get(1).get("url").asText()).isEqualTo(mqttB);
                assertThat(degraded.get("feeds").get(1).get("connected").asBoolean())
                        .isFalse();
                assertThat(dashboard.hub().states().get("rig-01").path("online").asBoolean())
                        .isTrue();
                // The page says which collector it lost.
                await().atMost(LiveSet.SECONDS_TO_SHOW).untilAsserted(() -> assertThat(
                                driver.findElement(By.id("feed")).getText())
                        .isEqualTo("1 of 2 collectors unreachable"));
                assertThat(driver.findElement(By.id("alerts")).getText()).contains("No live connection to " + mqttB);
            }
        }
    }
}

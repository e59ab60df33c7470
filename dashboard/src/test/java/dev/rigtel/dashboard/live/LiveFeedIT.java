package dev.rigtel.dashboard.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.config.CollectorConfig;
import dev.rigtel.collector.testing.FreePorts;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.dashboard.Dashboard;
import dev.rigtel.dashboard.DashboardOptions;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import dev.rigtel.dashboard.testing.LiveSet;
import dev.rigtel.dashboard.testing.SharedLiveSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live feed lives through the collector's absence: a dashboard started before its collector
 * connects once it is up, says DEGRADED while the collector is down, and follows it again after a
 * restart.
 */
class LiveFeedIT {

    /**
     * One client for every request: a client per request leaves its keep-alive connection open
     * (the JDK keeps idle ones 20 minutes), and the servers close what one address opens beyond
     * 32 ({@code --http-max-connections-per-address}). The dashboard's /health is polled every 100 ms
     * for up to 40 s.
     */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final SharedLiveSet shared = new SharedLiveSet();

    @TempDir
    Path dir;

    private static int health(Dashboard.Running dashboard) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private Collector.Running collectorOn(int mqttPort, Path credentials) throws Exception {
        CollectorConfig base = TestCollector.config(
                dir.resolve("collector"), credentials, shared.set().influx().url());
        return Collector.start(base.toBuilder()
                .mqtt(base.mqtt().toBuilder().port(mqttPort).build())
                .build());
    }

    @Test
    void followsACollectorThatStartsLaterAndComesBackAfterARestart() throws Exception {
        Path credentials = TestCollector.credentials(dir, 1);
        TestCollector.addUser(credentials, LiveSet.DASHBOARD_USER, Role.ADMIN, LiveSet.DASHBOARD_PASSWORD);
        // Below the ephemeral range: the collectors bind it later (twice), and a port from bind(0)
        // may be taken by then by another bind(0) or an outgoing connection.
        int mqttPort = FreePorts.freePort();
        try (Dashboard.Running dashboard = Dashboard.start(DashboardOptions.builder()
                .host("127.0.0.1")
                .port(0)
                .mqttUrl("tcp://127.0.0.1:" + mqttPort)
                .collectorUser(LiveSet.DASHBOARD_USER)
                .collectorPassword(LiveSet.DASHBOARD_PASSWORD)
                .build())) {
            Thread.sleep(1_500);
            assertThat(health(dashboard)).isEqualTo(503);
            assertThat(dashboard.meters().count(DashboardMeters.FEED_CONNECTS, "result", "failed"))
                    .isPositive();

            Collector.Running collector = collectorOn(mqttPort, credentials);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> health(dashboard) == 200);
            } finally {
                collector.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> health(dashboard) == 503);

            collector = collectorOn(mqttPort, credentials);
            try {
                await().atMost(Duration.ofSeconds(40)).until(() -> health(dashboard) == 200);
                assertThat(dashboard.meters().count(DashboardMeters.FEED_CONNECTS, "result", "ok"))
                        .isEqualTo(2);
            } finally {
                collector.close();
            }
        }
    }
}

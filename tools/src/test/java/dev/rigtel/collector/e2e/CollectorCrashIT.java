package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector killed with SIGKILL while 13 rigs publish at QoS 1, then restarted on the same data
 * directory: every sample it acknowledged is stored (from the spool), and the rigs' re-sends of what
 * it had not acknowledged are stored once, not twice.
 */
class CollectorCrashIT {

    private static final Logger log = LoggerFactory.getLogger(CollectorCrashIT.class);
    private static final int RIGS = 13;
    /** The collector's shaded jar, which the reactor packages before this module (tools/pom.xml). */
    private static final Path JAR =
            Path.of(System.getProperty("rigtel.collectorJar", "../collector/target/rigtel-collector.jar"));

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Process startCollector(int mqttPort, int httpPort, String influxUrl, Path credentials) throws IOException {
        assertThat(JAR)
                .as("the collector's shaded jar (the reactor packages the collector before tools)")
                .exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("collector.log");
        return new ProcessBuilder(
                        java,
                        "-cp",
                        JAR.toString(),
                        "dev.rigtel.collector.CollectorMain",
                        "--mqtt-host",
                        "127.0.0.1",
                        "--mqtt-port",
                        Integer.toString(mqttPort),
                        "--http-host",
                        "127.0.0.1",
                        "--http-port",
                        Integer.toString(httpPort),
                        "--influx-url",
                        influxUrl,
                        "--data-dir",
                        dir.resolve("collector").toString(),
                        "--credentials",
                        credentials.toString(),
                        "--timezone",
                        "UTC")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static void awaitHealthy(int httpPort) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        return http.send(
                                                HttpRequest.newBuilder(
                                                                URI.create("http://127.0.0.1:" + httpPort + "/health"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    @Test
    void everyAcknowledgedSampleIsStoredOnceAfterSigkillAndRestart() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start()) {
            influx.createDatabase(TestCollector.DATABASE);
            Path credentials = TestCollector.credentials(dir, RIGS);
            int mqttPort = freePort();
            int httpPort = freePort();
            Process collector = startCollector(mqttPort, httpPort, influx.url(), credentials);
            try {
                awaitHealthy(httpPort);
                SimulatorOptions options = SimulatorOptions.builder()
                        .brokerUri("tcp://127.0.0.1:" + mqttPort)
                        .rigs(RIGS)
                        .sampleRateHz(1000)
                        .duration(Duration.ofSeconds(25))
                        .qos(1)
                        .usernamePattern("rig-{n}")
                        .passwordPattern("pw-{n}")
                        .ackTimeout(Duration.ofSeconds(120))
                        .build();
                SimulationSummary summary;
                try (Simulator simulator = new Simulator(options, Clock.systemUTC())) {
                    CompletableFuture<SimulationSummary> run = CompletableFuture.supplyAsync(() -> {
                        try {
                            return simulator.run();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    Thread.sleep(8_000);
                    collector.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                    assertThat(collector.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    log.info("collector killed with SIGKILL (exit {})", collector.exitValue());
                    Thread.sleep(2_000);
                    collector = startCollector(mqttPort, httpPort, influx.url(), credentials);
                    awaitHealthy(httpPort);
                    summary = run.get(5, TimeUnit.MINUTES);
                }
                assertThat(summary.allAcknowledged()).isTrue();
                long sent = summary.totals().samplesSent();
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            List<List<Object>> rows =
                                    influx.query(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu");
                            return !rows.isEmpty() && ((Number) rows.get(0).get(1)).longValue() >= sent;
                        });
                Thread.sleep(1_000);
                Map<String, List<List<Object>>> stored =
                        influx.queryByTag(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu GROUP BY rig", "rig");
                long total = 0;
                for (SimulationSummary.RigSummary rig : summary.perRig()) {
                    long count = ((Number) stored.get(rig.rig()).get(0).get(1)).longValue();
                    assertThat(count).as(rig.rig() + " stored exactly once").isEqualTo(rig.samplesSent());
                    total += count;
                }
                String collectorLog = Files.readString(dir.resolve("collector.log"));
                log.info(
                        "crash: {} samples sent and acknowledged, {} stored; reconnects {}; spool replay: {}",
                        sent,
                        total,
                        summary.totals().reconnects(),
                        collectorLog
                                .lines()
                                .filter(l -> l.contains("spool holds"))
                                .findFirst()
                                .orElse("none needed"));
            } finally {
                collector.destroyForcibly();
                collector.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}

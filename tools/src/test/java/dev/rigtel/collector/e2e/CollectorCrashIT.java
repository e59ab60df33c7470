package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.testing.FreePorts;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.SimulatorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    private Process collector;

    /** The collector's log, kept under target/ (see {@link E2eLogs}). */
    private final Path collectorLog = E2eLogs.folder(
                    CollectorCrashIT.class, "everyAcknowledgedSampleIsStoredOnceAfterSigkillAndRestart")
            .resolve("collector.log");

    private Process startCollector(int mqttPort, int httpPort, String influxUrl, Path credentials) throws IOException {
        assertThat(JAR)
                .as("the collector's shaded jar (the reactor packages the collector before tools)")
                .exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
                .redirectOutput(ProcessBuilder.Redirect.appendTo(collectorLog.toFile()))
                .start();
    }

    private void awaitHealthy(int httpPort) {
        E2eLogs.awaitHealthy("the collector", httpPort, collector, Duration.ofSeconds(60), List.of(collectorLog));
    }

    @Test
    void everyAcknowledgedSampleIsStoredOnceAfterSigkillAndRestart() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start()) {
            influx.createDatabase(TestCollector.DATABASE);
            Path credentials = TestCollector.credentials(dir, RIGS);
            int mqttPort = FreePorts.freePort();
            int httpPort = FreePorts.freePort();
            collector = startCollector(mqttPort, httpPort, influx.url(), credentials);
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
                SimulationSummary summary = SimulatedRigs.run(options, () -> {
                    Thread.sleep(8_000);
                    collector.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                    assertThat(collector.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    log.info("collector killed with SIGKILL (exit {})", collector.exitValue());
                    Thread.sleep(2_000);
                    collector = startCollector(mqttPort, httpPort, influx.url(), credentials);
                    awaitHealthy(httpPort);
                });
                long sent = summary.totals().samplesSent();
                long total = SimulatedRigs.total(
                        SimulatedRigs.assertStoredExactlyOnce(influx, summary, Duration.ofMinutes(2)));
                String logText = Files.readString(collectorLog);
                log.info(
                        "crash: {} samples sent and acknowledged, {} stored; reconnects {}; spool replay: {}",
                        sent,
                        total,
                        summary.totals().reconnects(),
                        logText.lines()
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

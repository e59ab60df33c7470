package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.testing.FreePorts;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.SimulatorOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer mode against a real Mosquitto 2.0 with the README's ACL and password file: the rigs
 * (the simulator, Paho at QoS 1) publish to Mosquitto, the collector (its shaded jar, a separate
 * process) subscribes there with {@code --source}. Every sample the broker acknowledged is stored
 * exactly once: in a plain run, across a SIGKILL of the collector, and across a broker restart.
 */
class ConsumerModeIT {

    private static final Logger log = LoggerFactory.getLogger(ConsumerModeIT.class);
    private static final int RIGS = 13;
    private static final String CLIENT_ID = "rigtel-collector-it";
    private static final Path MOSQUITTO_PUB =
            Path.of(System.getProperty("rigtel.mosquittoPub", "/usr/bin/mosquitto_pub"));
    /** The longest the rigs' samples may take to be stored after the run. */
    private static final Duration STORED_WITHIN = Duration.ofMinutes(2);

    private static final Path IMU_EXAMPLE = Path.of("../firmware-notes/examples/imu-1khz.json");

    @TempDir
    Path dir;

    /** The collector's and Mosquitto's logs, kept under target/ (see {@link E2eLogs}). */
    private Path logs;

    private int brokerPort;
    private Mosquitto broker;
    private Process collector;
    private int httpPort;

    @BeforeEach
    void startBroker(TestInfo test) throws Exception {
        logs = E2eLogs.folder(
                ConsumerModeIT.class, test.getTestMethod().orElseThrow().getName());
        broker = new Mosquitto(dir, RIGS, Mosquitto.CONSUMER_ACL).logTo(logs.resolve("mosquitto.log"));
        brokerPort = broker.port();
        httpPort = FreePorts.freePort();
        launchBroker();
    }

    private void launchBroker() throws Exception {
        broker.start();
    }

    private void stopBroker() throws InterruptedException {
        broker.stop(); // SIGTERM: mosquitto saves its persistent sessions and queues
    }

    @AfterEach
    void stopAll() throws Exception {
        if (collector != null) {
            collector.destroyForcibly();
            collector.waitFor(10, TimeUnit.SECONDS);
        }
        if (broker != null) {
            stopBroker();
        }
    }

    private Process startCollector(String influxUrl, Path credentials, String... more) throws IOException {
        return broker.startCollector(
                influxUrl,
                credentials,
                httpPort,
                dir.resolve("collector"),
                logs.resolve("collector.log"),
                CLIENT_ID,
                List.of(more));
    }

    /** Healthy means subscribed on the broker: from then on the broker queues for the session. */
    private void awaitHealthy() {
        E2eLogs.awaitHealthy(
                "the collector",
                httpPort,
                collector,
                Duration.ofSeconds(60),
                List.of(logs.resolve("collector.log"), broker.log()));
    }

    private SimulatorOptions rigs(int sampleRateHz, Duration duration) {
        return broker.rigs(RIGS)
                .sampleRateHz(sampleRateHz)
                .duration(duration)
                .ackTimeout(Duration.ofSeconds(120))
                .build();
    }

    @Test
    void everySampleAndSlateEventTheBrokerAcceptedIsStoredAndTheAclKeepsARigToItsOwnTopics() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start()) {
            influx.createDatabase(TestCollector.DATABASE);
            collector = startCollector(influx.url(), TestCollector.credentials(dir, RIGS));
            awaitHealthy();
            SimulatorOptions options = broker.rigs(RIGS)
                    .sampleRateHz(200)
                    .duration(Duration.ZERO)
                    .slateUsername("slate")
                    .slatePassword("clap")
                    .dayTakes(2)
                    .takeLength(Duration.ofSeconds(3))
                    .betweenTakes(Duration.ofSeconds(1))
                    .build();
            SimulationSummary summary = SimulatedRigs.run(options, () -> {});
            long stored = SimulatedRigs.total(SimulatedRigs.assertStoredExactlyOnce(influx, summary, STORED_WITHIN));

            // The slate events came through the broker: the collector's take book has the day's takes.
            String date = summary.slateEvents().get(0).date();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                                    .readTree(Mosquitto.get(httpPort, "/api/days/" + date + "/takes")
                                            .body())
                                    .size())
                            .isEqualTo(2));

            // mosquitto_pub as rig-20 on its own topic is stored; as rig-01 on another rig's topic the
            // broker's ACL drops it, so the collector never sees it.
            mosquittoPub("rig-01", "pw-01", "rigtel/v1/rig-99/imu");
            mosquittoPub("rig-20", "pw-20", "rigtel/v1/rig-20/imu");
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !influx.query(
                                    TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu WHERE rig = 'rig-20'")
                            .isEmpty());
            assertThat(influx.query(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu WHERE rig = 'rig-20'")
                            .get(0)
                            .get(1))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.type(Number.class))
                    .extracting(Number::longValue)
                    .isEqualTo(50L);
            assertThat(influx.query(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu WHERE rig = 'rig-99'"))
                    .isEmpty();
            assertThat(Mosquitto.meter(httpPort, "rigtel_source_messages_total"))
                    .isPositive();
            log.info(
                    "consumer: {} samples and {} slate events sent through mosquitto, {} samples stored",
                    summary.totals().samplesSent(),
                    summary.slateEvents().size(),
                    stored);
        }
    }

    private void mosquittoPub(String user, String password, String topic) throws Exception {
        Process p = new ProcessBuilder(
                        MOSQUITTO_PUB.toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(brokerPort),
                        "-V",
                        "mqttv311",
                        "-u",
                        user,
                        "-P",
                        password,
                        "-q",
                        "1",
                        "-t",
                        topic,
                        "-f",
                        IMU_EXAMPLE.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes()))
                .isZero();
    }

    @Test
    void aCollectorKilledMidRunResumesItsSessionAndStoresEverySampleOnce() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start()) {
            influx.createDatabase(TestCollector.DATABASE);
            Path credentials = TestCollector.credentials(dir, RIGS);
            collector = startCollector(influx.url(), credentials);
            awaitHealthy();
            SimulationSummary summary = SimulatedRigs.run(rigs(1000, Duration.ofSeconds(20)), () -> {
                Thread.sleep(7_000);
                collector.destroyForcibly(); // SIGKILL: no shutdown hook, unacknowledged messages stay with the broker
                assertThat(collector.waitFor(10, TimeUnit.SECONDS)).isTrue();
                log.info("collector killed with SIGKILL");
                Thread.sleep(3_000);
                collector = startCollector(influx.url(), credentials);
                awaitHealthy();
            });
            long stored = SimulatedRigs.total(SimulatedRigs.assertStoredExactlyOnce(influx, summary, STORED_WITHIN));
            log.info(
                    "consumer crash: {} samples sent and acknowledged by mosquitto, {} stored (0 lost, 0 duplicated)",
                    summary.totals().samplesSent(),
                    stored);
        }
    }

    /**
     * InfluxDB away and a small spool quota: the write buffer goes over capacity, the collector holds
     * its acknowledgements and the broker stops at the Receive Maximum. Killed then, the collector
     * gets those messages again from the broker once it is back, and stores each once.
     */
    @Test
    void acknowledgementsWaitWhileOverCapacityAndTheBrokerSendsThemAgainAfterAKill() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start()) {
            influx.createDatabase(TestCollector.DATABASE);
            Path credentials = TestCollector.credentials(dir, RIGS);
            String[] smallSpool = {"--spool-max-bytes", "200000"};
            collector = startCollector(influx.url(), credentials, smallSpool);
            awaitHealthy();
            influx.stop();
            SimulationSummary summary = SimulatedRigs.run(rigs(1000, Duration.ofSeconds(6)), () -> {});
            long sent = summary.perRig().stream()
                    .mapToLong(r -> r.imuMessagesSent() + r.timecodeReportsSent() + r.statusReportsSent())
                    .sum();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Mosquitto.meterSum(httpPort, "rigtel_source_messages_total") > 0);
            Thread.sleep(2_000);
            double beforeKill = Mosquitto.meterSum(httpPort, "rigtel_source_messages_total");
            assertThat(beforeKill)
                    .as("the Receive Maximum stops the broker while acknowledgements wait")
                    .isLessThan(sent);
            collector.destroyForcibly();
            assertThat(collector.waitFor(10, TimeUnit.SECONDS)).isTrue();
            influx.restart();
            collector = startCollector(influx.url(), credentials, smallSpool);
            long stored = SimulatedRigs.total(SimulatedRigs.assertStoredExactlyOnce(influx, summary, STORED_WITHIN));
            double afterKill = Mosquitto.meterSum(httpPort, "rigtel_source_messages_total");
            double redelivered = Mosquitto.meter(httpPort, "rigtel_source_redelivered_total");
            log.info(
                    "over capacity: {} of {} messages durable before the kill; {} received after it ({} marked DUP);"
                            + " {} samples stored, each once",
                    beforeKill,
                    sent,
                    afterKill,
                    redelivered,
                    stored);
            assertThat(beforeKill + afterKill)
                    .as("what was held unacknowledged came again from the broker")
                    .isGreaterThan(sent);
        }
    }

    @Test
    void aBrokerRestartMidRunLosesNothingAndTheCollectorReconnectsByItself() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start()) {
            influx.createDatabase(TestCollector.DATABASE);
            collector = startCollector(influx.url(), TestCollector.credentials(dir, RIGS));
            awaitHealthy();
            long[] awayMillis = new long[1];
            SimulationSummary summary = SimulatedRigs.run(rigs(1000, Duration.ofSeconds(20)), () -> {
                Thread.sleep(7_000);
                stopBroker();
                log.info("mosquitto stopped");
                await().atMost(Duration.ofSeconds(10)).until(() -> Mosquitto.healthStatus(httpPort) == 503);
                Thread.sleep(2_000);
                long restarted = System.nanoTime();
                launchBroker();
                awaitHealthy();
                awayMillis[0] = (System.nanoTime() - restarted) / 1_000_000;
            });
            long stored = SimulatedRigs.total(SimulatedRigs.assertStoredExactlyOnce(influx, summary, STORED_WITHIN));
            assertThat(Mosquitto.meter(httpPort, "rigtel_source_reconnects_total"))
                    .isGreaterThanOrEqualTo(1);
            log.info(
                    "broker restart: {} samples sent, {} stored; the collector was subscribed again {} ms after"
                            + " mosquitto restarted; rig reconnects {}",
                    summary.totals().samplesSent(),
                    stored,
                    awayMillis[0],
                    summary.totals().reconnects());
        }
    }
}

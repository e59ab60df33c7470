package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
    private static final Path IMU_EXAMPLE = Path.of("../firmware-notes/examples/imu-1khz.json");

    @TempDir
    Path dir;

    private int brokerPort;
    private Mosquitto broker;
    private Process collector;
    private int httpPort;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new Mosquitto(dir, RIGS, Mosquitto.CONSUMER_ACL);
        brokerPort = broker.port();
        httpPort = Mosquitto.freePort();
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
                dir.resolve("collector.log"),
                CLIENT_ID,
                List.of(more));
    }

    private int healthStatus() {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Healthy means subscribed on the broker: from then on the broker queues for the session. */
    private void awaitHealthy() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> healthStatus() == 200);
    }

    private double meter(String name) throws Exception {
        String text = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
    }

    /** The sum of a meter's series, 0 if there are none. */
    private double meterSum(String name) throws Exception {
        String text = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    private SimulatorOptions rigs(int sampleRateHz, Duration duration) {
        return SimulatorOptions.builder()
                .brokerUri("tcp://127.0.0.1:" + brokerPort)
                .rigs(RIGS)
                .sampleRateHz(sampleRateHz)
                .duration(duration)
                .qos(1)
                .usernamePattern("rig-{n}")
                .passwordPattern("pw-{n}")
                .ackTimeout(Duration.ofSeconds(120))
                .build();
    }

    /** Runs the rigs while {@code during} disturbs the run; returns what the rigs sent, all acknowledged. */
    private static SimulationSummary run(SimulatorOptions options, Disturbance during) throws Exception {
        try (Simulator simulator = new Simulator(options, Clock.systemUTC())) {
            CompletableFuture<SimulationSummary> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return simulator.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            during.run();
            SimulationSummary summary = run.get(5, TimeUnit.MINUTES);
            assertThat(summary.allAcknowledged())
                    .as("every message acknowledged by the broker")
                    .isTrue();
            return summary;
        }
    }

    private interface Disturbance {
        void run() throws Exception;
    }

    /** Every rig's samples are in InfluxDB exactly once (idempotent timestamps: no gaps, no duplicates). */
    private static long assertStoredExactlyOnce(InfluxdbServer influx, SimulationSummary summary) throws Exception {
        long sent = summary.totals().samplesSent();
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    List<List<Object>> rows = influx.query(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu");
                    return !rows.isEmpty() && ((Number) rows.get(0).get(1)).longValue() >= sent;
                });
        Thread.sleep(1_000);
        Map<String, List<List<Object>>> stored =
                influx.queryByTag(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu GROUP BY rig", "rig");
        long total = 0;
        List<String> rigs = new ArrayList<>();
        for (SimulationSummary.RigSummary rig : summary.perRig()) {
            assertThat(stored).as("samples of " + rig.rig()).containsKey(rig.rig());
            long count = ((Number) stored.get(rig.rig()).get(0).get(1)).longValue();
            assertThat(count).as(rig.rig() + " stored exactly once").isEqualTo(rig.samplesSent());
            total += count;
            rigs.add(rig.rig());
        }
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(rigs);
        return total;
    }

    @Test
    void everySampleAndSlateEventTheBrokerAcceptedIsStoredAndTheAclKeepsARigToItsOwnTopics() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start()) {
            influx.createDatabase(TestCollector.DATABASE);
            collector = startCollector(influx.url(), TestCollector.credentials(dir, RIGS));
            awaitHealthy();
            SimulatorOptions options = SimulatorOptions.builder()
                    .brokerUri("tcp://127.0.0.1:" + brokerPort)
                    .rigs(RIGS)
                    .sampleRateHz(200)
                    .duration(Duration.ZERO)
                    .qos(1)
                    .usernamePattern("rig-{n}")
                    .passwordPattern("pw-{n}")
                    .slateUsername("slate")
                    .slatePassword("clap")
                    .dayTakes(2)
                    .takeLength(Duration.ofSeconds(3))
                    .betweenTakes(Duration.ofSeconds(1))
                    .build();
            SimulationSummary summary = run(options, () -> {});
            long stored = assertStoredExactlyOnce(influx, summary);

            // The slate events came through the broker: the collector's take book has the day's takes.
            String date = summary.slateEvents().get(0).date();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                                    .readTree(get("/api/days/" + date + "/takes"))
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
            assertThat(meter("rigtel_source_messages_total")).isPositive();
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

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void aCollectorKilledMidRunResumesItsSessionAndStoresEverySampleOnce() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start()) {
            influx.createDatabase(TestCollector.DATABASE);
            Path credentials = TestCollector.credentials(dir, RIGS);
            collector = startCollector(influx.url(), credentials);
            awaitHealthy();
            SimulationSummary summary = run(rigs(1000, Duration.ofSeconds(20)), () -> {
                Thread.sleep(7_000);
                collector.destroyForcibly(); // SIGKILL: no shutdown hook, unacknowledged messages stay with the broker
                assertThat(collector.waitFor(10, TimeUnit.SECONDS)).isTrue();
                log.info("collector killed with SIGKILL");
                Thread.sleep(3_000);
                collector = startCollector(influx.url(), credentials);
                awaitHealthy();
            });
            long stored = assertStoredExactlyOnce(influx, summary);
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
            SimulationSummary summary = run(rigs(1000, Duration.ofSeconds(6)), () -> {});
            long sent = summary.perRig().stream()
                    .mapToLong(r -> r.imuMessagesSent() + r.timecodeReportsSent() + r.statusReportsSent())
                    .sum();
            await().atMost(Duration.ofSeconds(30)).until(() -> meterSum("rigtel_source_messages_total") > 0);
            Thread.sleep(2_000);
            double beforeKill = meterSum("rigtel_source_messages_total");
            assertThat(beforeKill)
                    .as("the Receive Maximum stops the broker while acknowledgements wait")
                    .isLessThan(sent);
            collector.destroyForcibly();
            assertThat(collector.waitFor(10, TimeUnit.SECONDS)).isTrue();
            influx.restart();
            collector = startCollector(influx.url(), credentials, smallSpool);
            long stored = assertStoredExactlyOnce(influx, summary);
            double afterKill = meterSum("rigtel_source_messages_total");
            double redelivered = meter("rigtel_source_redelivered_total");
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
            SimulationSummary summary = run(rigs(1000, Duration.ofSeconds(20)), () -> {
                Thread.sleep(7_000);
                stopBroker();
                log.info("mosquitto stopped");
                await().atMost(Duration.ofSeconds(10)).until(() -> healthStatus() == 503);
                Thread.sleep(2_000);
                long restarted = System.nanoTime();
                launchBroker();
                awaitHealthy();
                awayMillis[0] = (System.nanoTime() - restarted) / 1_000_000;
            });
            long stored = assertStoredExactlyOnce(influx, summary);
            assertThat(meter("rigtel_source_reconnects_total")).isGreaterThanOrEqualTo(1);
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

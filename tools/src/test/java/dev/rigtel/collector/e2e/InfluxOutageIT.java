package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
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
 * InfluxDB stopped for 60 s while 13 rigs publish at 1 kHz and QoS 1: the collector holds what it
 * acknowledged, slows the rigs down when its buffer is full instead of dropping, and after InfluxDB
 * returns every sample sent is stored exactly once.
 */
class InfluxOutageIT {

    private static final Logger log = LoggerFactory.getLogger(InfluxOutageIT.class);
    private static final int RIGS = 13;

    @TempDir
    Path dir;

    @Test
    void everySampleSentDuringAOneMinuteOutageIsStoredExactlyOnce() throws Exception {
        try (InfluxdbServer influx = InfluxdbServer.start();
                Collector.Running collector = TestCollector.start(
                        dir.resolve("collector"), TestCollector.credentials(dir, RIGS), influx.url())) {
            SimulatorOptions options = SimulatorOptions.builder()
                    .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                    .rigs(RIGS)
                    .sampleRateHz(1000)
                    .duration(Duration.ofSeconds(80))
                    .qos(1)
                    .usernamePattern("rig-{n}")
                    .passwordPattern("pw-{n}")
                    .ackTimeout(Duration.ofSeconds(120))
                    .build();
            CompletableFuture<SimulationSummary> run;
            try (Simulator simulator = new Simulator(options, Clock.systemUTC())) {
                run = CompletableFuture.supplyAsync(() -> {
                    try {
                        return simulator.run();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(10_000);
                influx.stop();
                log.info("InfluxDB stopped");
                Thread.sleep(60_000);
                log.info("InfluxDB restarting; {} points wait in the collector", collector.unwrittenPoints());
                influx.restart();
                SimulationSummary summary = run.get(5, TimeUnit.MINUTES);
                assertThat(summary.allAcknowledged()).isTrue();
                await().atMost(Duration.ofMinutes(2)).until(() -> collector.unwrittenPoints() == 0);

                Map<String, List<List<Object>>> stored =
                        influx.queryByTag(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu GROUP BY rig", "rig");
                long total = 0;
                for (SimulationSummary.RigSummary rig : summary.perRig()) {
                    long count = ((Number) stored.get(rig.rig()).get(0).get(1)).longValue();
                    assertThat(count).as(rig.rig()).isEqualTo(rig.samplesSent());
                    total += count;
                }
                double paused = collector
                        .registry()
                        .get("rigtel.mqtt.backpressure.paused")
                        .counter()
                        .count();
                double retries = collector.registry().find("rigtel.store.write.retries").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum();
                log.info(
                        "outage: {} samples sent, {} stored once; {} write retries, {} back-pressure pauses",
                        summary.totals().samplesSent(),
                        total,
                        retries,
                        paused);
                assertThat(retries).isPositive();
            }
        }
    }
}

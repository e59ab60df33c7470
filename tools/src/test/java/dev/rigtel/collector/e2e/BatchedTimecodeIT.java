package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.SimulatorOptions;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched timecode reports end to end: simulated rigs send 5 frames of 25 fps timecode in a report
 * every 200 ms (firmware-notes, "Batched reports") to a collector on a real influxd; every frame is
 * stored as its own timecode point, none is refused, and each rig's clock locks.
 */
class BatchedTimecodeIT {

    private static final int RIGS = 2;
    private static final int FRAMES = 5;

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Collector.Running collector;

    @BeforeAll
    static void start() throws Exception {
        influx = InfluxdbServer.start();
        collector = TestCollector.start(dir.resolve("collector"), TestCollector.credentials(dir, RIGS), influx.url());
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

    @Test
    void everyFrameOfABatchedReportIsStoredAndTheClocksLock() throws Exception {
        SimulatorOptions options = SimulatorOptions.builder()
                .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                .rigs(RIGS)
                .sampleRateHz(100)
                .duration(Duration.ofSeconds(5))
                .usernamePattern("rig-{n}")
                .passwordPattern("pw-{n}")
                .timecodeFrames(FRAMES)
                .timecodeInterval(Duration.ofMillis(200))
                .clockDriftPpm(30)
                .clockJitterMicros(200)
                .build();
        SimulationSummary summary = SimulatedRigs.run(options, () -> {});
        assertThat(summary.totals().timecodeReportsSent()).isGreaterThanOrEqualTo(RIGS * 20L);
        assertThat(rejected()).as("messages the collector refused").isZero();

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<String, List<List<Object>>> frames = influx.queryByTag(
                            TestCollector.DATABASE, "SELECT count(frame) FROM timecode GROUP BY rig", "rig");
                    for (SimulationSummary.RigSummary rig : summary.perRig()) {
                        assertThat(frames).as("timecode points of " + rig.rig()).containsKey(rig.rig());
                        assertThat(((Number) frames.get(rig.rig()).get(0).get(1)).longValue())
                                .as(rig.rig() + ": one point per frame, " + FRAMES + " a report")
                                .isEqualTo(rig.timecodeReportsSent() * FRAMES);
                    }
                });
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<String, List<List<Object>>> locks = influx.queryByTag(
                            TestCollector.DATABASE, "SELECT last(lock) FROM rig_clock GROUP BY rig", "rig");
                    for (SimulationSummary.RigSummary rig : summary.perRig()) {
                        assertThat(locks).as("clock segments of " + rig.rig()).containsKey(rig.rig());
                        assertThat(locks.get(rig.rig()).get(0).get(1))
                                .as(rig.rig() + " lock")
                                .isEqualTo("locked");
                    }
                });
    }

    private static double rejected() {
        return collector.registry().find("rigtel.ingest.rejected").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}

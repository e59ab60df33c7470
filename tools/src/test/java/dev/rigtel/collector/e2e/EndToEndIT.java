package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rigtel.collector.Collector;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest path end to end: the Paho simulator publishes 13 rigs x 1000 Hz for 10 s at QoS 1
 * to a collector that writes to a real influxd; every sample sent is stored exactly once with
 * the values sent.
 */
class EndToEndIT {

    private static final Logger log = LoggerFactory.getLogger(EndToEndIT.class);
    private static final int RIGS = 13;

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
    void everySampleSentAtQos1IsStoredExactlyOnceWithItsValues() throws Exception {
        SimulatorOptions options = SimulatorOptions.builder()
                .brokerUri("tcp://127.0.0.1:" + collector.mqttPort())
                .rigs(RIGS)
                .sampleRateHz(1000)
                .duration(Duration.ofSeconds(10))
                .qos(1)
                .usernamePattern("rig-{n}")
                .passwordPattern("pw-{n}")
                .build();
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        SimulationSummary summary;
        try (Simulator simulator = new Simulator(options, Clock.systemUTC())) {
            summary = simulator.run();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(summary.allAcknowledged()).isTrue();
        assertThat(summary.totals().samplesSent()).isGreaterThanOrEqualTo(RIGS * 1000L * 9);
        assertThat(collector.unwrittenPoints()).isZero();

        Map<String, List<List<Object>>> stored = influx.queryByTag(
                TestCollector.DATABASE,
                "SELECT count(ax), sum(ax), sum(ay), sum(az), sum(gx), sum(gy), sum(gz) FROM raw.imu GROUP BY rig",
                "rig");
        assertThat(stored).hasSize(RIGS);
        for (SimulationSummary.RigSummary rig : summary.perRig()) {
            List<Object> row = stored.get(rig.rig()).get(0);
            assertThat(((Number) row.get(1)).longValue())
                    .as(rig.rig() + " samples stored")
                    .isEqualTo(rig.samplesSent());
            double[] sent = {rig.sumAx(), rig.sumAy(), rig.sumAz(), rig.sumGx(), rig.sumGy(), rig.sumGz()};
            for (int k = 0; k < 6; k++) {
                double storedSum = ((Number) row.get(2 + k)).doubleValue();
                assertThat(storedSum)
                        .as(rig.rig() + " sum of field " + k)
                        .isCloseTo(sent[k], within(1e-9 * Math.max(1, Math.abs(sent[k])) + 1e-6));
            }
        }
        List<List<Object>> timecodes = influx.query(TestCollector.DATABASE, "SELECT count(frame) FROM timecode");
        assertThat(((Number) timecodes.get(0).get(1)).longValue())
                .isEqualTo(summary.totals().timecodeReportsSent());
        List<List<Object>> statuses = influx.query(TestCollector.DATABASE, "SELECT count(seq) FROM status");
        assertThat(((Number) statuses.get(0).get(1)).longValue())
                .isEqualTo(summary.totals().statusReportsSent());

        log.info(
                "end to end: {} samples from {} rigs stored in {} s ({} samples/s); JVM CPU (collector + "
                        + "simulator) {} s; heap used {} MB",
                summary.totals().samplesSent(),
                RIGS,
                String.format("%.1f", seconds),
                Math.round(summary.totals().samplesSent() / seconds),
                String.format("%.1f", (processCpuNanos() - cpuBefore) / 1e9),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}

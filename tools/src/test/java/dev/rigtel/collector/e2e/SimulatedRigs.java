package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.Simulator;
import dev.rigtel.simulator.SimulatorOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated rigs of the consumer-mode and cluster-mode tests: a run disturbed part way (a kill, a
 * broker restart), and the check that every sample the broker acknowledged is stored exactly once.
 */
final class SimulatedRigs {

    private static final Logger log = LoggerFactory.getLogger(SimulatedRigs.class);

    /** What a test does to the set while the rigs publish. */
    interface Disturbance {
        void run() throws Exception;
    }

    private SimulatedRigs() {}

    /**
     * Runs the rigs while {@code during} disturbs the run (on this thread); returns what the rigs sent,
     * after asserting that the broker acknowledged every message.
     */
    static SimulationSummary run(SimulatorOptions options, Disturbance during) throws Exception {
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

    /**
     * Every rig's samples are in InfluxDB exactly once (idempotent timestamps: no gaps, no
     * duplicates), and no other rig has any. Waits up to {@code wait} for the total to reach what was
     * sent; if it does not, the count per rig below fails and says which rig is short.
     *
     * @return the stored count of each rig, in the summary's order
     */
    static Map<String, Long> assertStoredExactlyOnce(InfluxdbServer influx, SimulationSummary summary, Duration wait)
            throws Exception {
        long sent = summary.totals().samplesSent();
        try {
            await().atMost(wait).pollInterval(Duration.ofSeconds(1)).until(() -> {
                List<List<Object>> rows = influx.query(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu");
                return !rows.isEmpty() && ((Number) rows.get(0).get(1)).longValue() >= sent;
            });
        } catch (ConditionTimeoutException e) {
            log.warn("not every sample stored after {}; the count per rig below says which", wait);
        }
        Thread.sleep(1_000);
        Map<String, List<List<Object>>> stored =
                influx.queryByTag(TestCollector.DATABASE, "SELECT count(ax) FROM raw.imu GROUP BY rig", "rig");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (SimulationSummary.RigSummary rig : summary.perRig()) {
            assertThat(stored).as("samples of " + rig.rig()).containsKey(rig.rig());
            long count = ((Number) stored.get(rig.rig()).get(0).get(1)).longValue();
            assertThat(count).as(rig.rig() + " stored exactly once").isEqualTo(rig.samplesSent());
            counts.put(rig.rig(), count);
        }
        assertThat(stored.keySet()).as("rigs with samples").containsExactlyInAnyOrderElementsOf(counts.keySet());
        return counts;
    }

    /** The samples of every rig together. */
    static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}

package dev.rigtel.collector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.source.Partitions;
import dev.rigtel.collector.testing.FreePorts;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.simulator.SimulationSummary;
import dev.rigtel.simulator.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode against a real Mosquitto 2.0: two collectors (shaded jars, separate processes, their
 * own spools, one InfluxDB) in one {@code --source-group} share 13 simulated rigs. One is killed with
 * SIGKILL mid-run: its partitions move to the survivor within a stated bound; it comes back with its
 * spool and takes its partitions back. The broker is restarted mid-run: both reconnect by
 * themselves. Every sample the broker acknowledged is stored exactly once, and every rig's
 * timeline stays continuous (the new owner maps device times with the clock segments the old one
 * stored).
 */
class ClusterFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(ClusterFailoverIT.class);
    private static final int RIGS = 13;
    private static final int PARTITIONS = 16;
    private static final int RATE_HZ = 100;
    /** Checked for continuity from here on: a rig's clock fit is mature after 20 s of timecode. */
    private static final long SETTLED_NANOS = 21_000_000_000L;

    private static final String GROUP = "it";
    /** The stated bound: a dead member's partitions are owned by a survivor within this. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Mosquitto broker;
    private final Member a = new Member("m-a");
    private final Member b = new Member("m-b");
    private InfluxdbServer influx;
    private Path credentials;

    private final class Member {
        final String id;
        final int httpPort;
        Process process;

        Member(String id) {
            this.id = id;
            try {
                this.httpPort = FreePorts.freePort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void start() throws Exception {
            List<String> rigs = new ArrayList<>();
            for (int n = 1; n <= RIGS; n++) {
                rigs.add(String.format("rig-%02d", n));
            }
            process = broker.startCollector(
                    influx.url(),
                    credentials,
                    httpPort,
                    dir.resolve("collector-" + id),
                    dir.resolve("collector-" + id + ".log"),
                    "rigtel-it-" + id,
                    List.of(
                            "--source-group",
                            GROUP,
                            "--source-member-id",
                            id,
                            "--source-partitions",
                            Integer.toString(PARTITIONS),
                            "--source-rigs",
                            String.join(",", rigs)));
        }

        double owned() {
            return Mosquitto.meterSum(httpPort, "rigtel_cluster_partitions_owned");
        }

        double meter(String name) {
            return Mosquitto.meterSum(httpPort, name);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no goodbye; the will clears its member message
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        void awaitHealthy() {
            E2eLogs.awaitHealthy(
                    id,
                    httpPort,
                    process,
                    Duration.ofSeconds(60),
                    List.of(dir.resolve("collector-" + id + ".log"), broker.log()));
        }
    }

    @BeforeEach
    void start() throws Exception {
        broker = new Mosquitto(dir, RIGS, Mosquitto.STUDIO_ACL);
        broker.start();
        influx = InfluxdbServer.start();
        influx.createDatabase(TestCollector.DATABASE);
        credentials = TestCollector.credentials(dir, RIGS);
    }

    @AfterEach
    void stopAll(org.junit.jupiter.api.TestInfo test) throws Exception {
        for (Member m : List.of(a, b)) {
            if (m.process != null) {
                m.process.destroyForcibly();
                m.process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (broker != null) {
            broker.stop();
        }
        if (influx != null) {
            influx.close();
        }
        // The logs outlive the temporary folder, for a failure's post-mortem.
        Path keep = Path.of(
                "target", "cluster-it-logs", test.getTestMethod().orElseThrow().getName());
        Files.createDirectories(keep);
        try (var logs = Files.list(dir)) {
            for (Path f : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Both members up, every partition owned by exactly one of them, each owning some. */
    private void awaitBalanced() {
        await("partitions shared by both members")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> a.owned() + b.owned() == PARTITIONS && a.owned() > 0 && b.owned() > 0);
        // Healthy again: every owned partition is subscribed, so the broker queues for it.
        a.awaitHealthy();
        b.awaitHealthy();
    }

    private SimulatorOptions rigs(Duration duration) {
        return rigsBuilder(duration).build();
    }

    private SimulatorOptions.Builder rigsBuilder(Duration duration) {
        return broker.rigs(RIGS).sampleRateHz(RATE_HZ).duration(duration).ackTimeout(Duration.ofSeconds(120));
    }

    /** Every member's take book: the takes of the day as each one's API answers them. */
    private static List<String> takeBook(Member m, String date) throws Exception {
        com.fasterxml.jackson.databind.JsonNode takes = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Mosquitto.get(m.httpPort, "/api/days/" + date + "/takes")
                        .body());
        List<String> out = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode t : takes) {
            out.add(t.path("id").asText() + " " + t.path("name").asText() + " "
                    + t.path("start_ns").asText() + ".." + t.path("end_ns").asText());
        }
        return out;
    }

    /**
     * Every rig's samples are in InfluxDB exactly once, and its timeline is continuous: consecutive
     * stored samples (after the rig's first 21 s, while its clock fit forms and young segments follow
     * it in steps of a few milliseconds) are between half and one and a half nominal periods apart. A new owner that mapped device times afresh (its own anchor,
     * not the stored segments) would shift the rig's timeline and break this.
     */
    private long assertExactlyOnceAndContinuous(SimulationSummary summary) throws Exception {
        Map<String, Long> stored = SimulatedRigs.assertStoredExactlyOnce(influx, summary, Duration.ofMinutes(1));
        long dtNanos = 1_000_000_000L / RATE_HZ;
        for (SimulationSummary.RigSummary rig : summary.perRig()) {
            List<List<Object>> times =
                    influx.query(TestCollector.DATABASE, "SELECT ax FROM raw.imu WHERE rig = '" + rig.rig() + "'");
            long first = nanos(times.get(0).get(0));
            long previous = Long.MIN_VALUE;
            long worst = 0;
            for (List<Object> row : times) {
                long t = nanos(row.get(0));
                if (previous != Long.MIN_VALUE && t - first > SETTLED_NANOS) {
                    long step = t - previous;
                    worst = Math.max(worst, Math.abs(step - dtNanos));
                    assertThat(step)
                            .as("%s: step between stored samples at %s", rig.rig(), Instant.ofEpochSecond(0, t))
                            .isBetween(dtNanos / 2, dtNanos * 3 / 2);
                }
                previous = t;
            }
            log.info(
                    "{}: {} samples, worst step off the nominal {} us: {} us",
                    rig.rig(),
                    stored.get(rig.rig()),
                    dtNanos / 1000,
                    worst / 1000);
        }
        return SimulatedRigs.total(stored);
    }

    private static long nanos(Object time) {
        if (time instanceof Number n) {
            return n.longValue();
        }
        Instant i = Instant.parse(time.toString());
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void aKilledMembersRigsMoveToTheSurvivorAndBackAndEverySampleIsStoredOnce() throws Exception {
        a.start();
        b.start();
        a.awaitHealthy();
        b.awaitHealthy();
        awaitBalanced();
        List<String> members = List.of(a.id, b.id);
        int aNonEmpty = 0;
        for (int k = 0; k < PARTITIONS; k++) {
            boolean hasRigs = false;
            for (int n = 1; n <= RIGS; n++) {
                hasRigs |= Partitions.of(String.format("rig-%02d", n), PARTITIONS) == k;
            }
            if (hasRigs && Partitions.owner(k, members).equals(a.id)) {
                aNonEmpty++;
            }
        }
        assertThat(aNonEmpty).as("the killed member owns some rigs").isPositive();
        int moved = aNonEmpty;
        long[] failover = new long[2];
        // Killed once every rig's clock fit is mature (20 s of timecode), so the timeline check spans
        // the takeover and the rejoin.
        // Slate events before and after the kill: both take books must agree at the end (every member
        // consumes the slate topic in its own persistent session).
        SimulatorOptions options = rigsBuilder(Duration.ofSeconds(40))
                .slateUsername("slate")
                .slatePassword("clap")
                .dayTakes(4)
                .takeLength(Duration.ofSeconds(4))
                .betweenTakes(Duration.ofSeconds(4))
                .build();
        SimulationSummary summary = SimulatedRigs.run(options, () -> {
            Thread.sleep(23_000);
            double takeoversBefore = b.meter("rigtel_cluster_takeovers_total");
            long killed = System.nanoTime();
            a.kill();
            log.info("member {} killed with SIGKILL", a.id);
            await("the survivor owns every partition")
                    .atMost(FAILOVER_BOUND)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> b.owned() == PARTITIONS);
            failover[0] = (System.nanoTime() - killed) / 1_000_000;
            await("the survivor consumes the moved partitions")
                    .atMost(FAILOVER_BOUND)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> b.meter("rigtel_cluster_takeovers_total") >= takeoversBefore + moved);
            failover[1] = (System.nanoTime() - killed) / 1_000_000;
            a.start(); // with its spool: it stores what it had made durable, then rejoins
            a.awaitHealthy();
            awaitBalanced();
            log.info("member {} rejoined: {} partitions back", a.id, a.owned());
        });
        long stored = assertExactlyOnceAndContinuous(summary);
        String date = summary.slateEvents().get(0).date();
        await("both take books have the day's takes")
                .atMost(Duration.ofSeconds(30))
                .until(() -> takeBook(a, date).size() == 4 && takeBook(b, date).size() == 4);
        assertThat(takeBook(a, date)).isEqualTo(takeBook(b, date));
        assertThat(b.meter("rigtel_cluster_handovers_total"))
                .as("the survivor handed partitions back to the rejoined member")
                .isPositive();
        assertThat(a.meter("rigtel_cluster_takeovers_total")).isPositive();
        assertThat(a.meter("rigtel_source_messages_total"))
                .as("the rejoined member consumed its rigs' messages again while they published")
                .isPositive();
        long sent = summary.totals().samplesSent();
        log.info(
                "cluster failover: kill -> takeover {} ms (-> moved partitions consumed {} ms), {} samples sent, {}"
                        + " stored, {} lost, {} duplicated",
                failover[0],
                failover[1],
                sent,
                stored,
                Math.max(0, sent - stored),
                Math.max(0, stored - sent));
        assertThat(Files.readString(dir.resolve("collector-m-b.log"))).contains("took partition");
    }

    @Test
    void aBrokerRestartWithTwoMembersLosesNothingAndEveryPartitionEndsOwnedOnce() throws Exception {
        a.start();
        b.start();
        a.awaitHealthy();
        b.awaitHealthy();
        awaitBalanced();
        SimulationSummary summary = SimulatedRigs.run(rigs(Duration.ofSeconds(32)), () -> {
            Thread.sleep(23_000);
            broker.stop();
            log.info("mosquitto stopped");
            await().atMost(Duration.ofSeconds(15)).until(() -> Mosquitto.healthStatus(b.httpPort) == 503);
            Thread.sleep(2_000);
            broker.start();
            a.awaitHealthy();
            b.awaitHealthy();
        });
        awaitBalanced();
        long stored = assertExactlyOnceAndContinuous(summary);
        assertThat(a.meter("rigtel_source_reconnects_total") + b.meter("rigtel_source_reconnects_total"))
                .isGreaterThanOrEqualTo(2);
        log.info(
                "cluster broker restart: {} samples sent, {} stored; partitions owned {} + {}",
                summary.totals().samplesSent(),
                stored,
                a.owned(),
                b.owned());
    }
}

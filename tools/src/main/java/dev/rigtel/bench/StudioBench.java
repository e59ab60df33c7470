package dev.rigtel.bench;

import static dev.rigtel.bench.BenchReport.count;
import static dev.rigtel.bench.BenchReport.percent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code studio} part (issue 18): the rigs publish to an external Mosquitto 2.0 (persistent, as
 * a studio runs it) and collectors consume from it. End-to-end throughput with one collector in
 * consumer mode, and with one and two collectors of a group (cluster mode); then the failover: two
 * collectors under a unit's paced load, one killed with SIGKILL, the time until the survivor owns
 * every partition, and every sample the broker acknowledged counted back in InfluxDB once the killed
 * collector came back and drained its spool.
 */
final class StudioBench {

    private static final Logger log = LoggerFactory.getLogger(StudioBench.class);

    /** The collector's default {@code --source-partitions}. */
    static final int PARTITIONS = 16;

    private final Bench bench;
    private final BenchOptions options;
    private final Services services;
    private final BenchReport report;
    private final InfluxHttp influx;
    private final ImuPayloads payloads;
    private final BatchSequence sequence;
    private final int bootSeed;
    private int port;
    private Process mosquitto;

    StudioBench(
            Bench bench,
            BenchOptions options,
            Services services,
            BenchReport report,
            InfluxHttp influx,
            ImuPayloads payloads,
            BatchSequence sequence,
            int bootSeed) {
        this.bench = bench;
        this.options = options;
        this.services = services;
        this.report = report;
        this.influx = influx;
        this.payloads = payloads;
        this.sequence = sequence;
        this.bootSeed = bootSeed;
    }

    void run() throws Exception {
        port = Services.freePort();
        Path data = services.work().resolve("mosquitto-studio");
        Files.createDirectories(data);
        mosquitto = services.startMosquitto(
                port,
                "mosquitto-studio",
                List.of(
                        "persistence true",
                        "persistence_location " + data + "/",
                        "max_queued_messages 0",
                        "max_queued_bytes 0",
                        "max_inflight_messages 256"));
        String part = "studio";
        report.add(part, "broker", "Mosquitto 2.0, persistence on, rigs and collectors on loopback");
        for (Setup setup : List.of(
                new Setup("consumer mode, 1 collector", "consumer", 1),
                new Setup("cluster mode, 1 collector", "group1", 1),
                new Setup("cluster mode, 2 collectors", "group2", 2))) {
            Throughput run = throughput(setup);
            report.add(
                    part,
                    "end to end through the broker, " + setup.label(),
                    count(run.samplesPerSecond()) + " samples/s (" + count(run.stored()) + " of " + count(run.samples())
                            + " stored)");
            report.add(
                    part,
                    "  collectors / Mosquitto CPU",
                    percent(run.collectorCpu()) + " / " + percent(run.brokerCpu()) + " of one core");
        }
        Failover failover = failover();
        report.add(
                part,
                "failover: SIGKILL of 1 of 2 collectors -> survivor owns all " + PARTITIONS + " partitions",
                String.format(Locale.ROOT, "%.2f s", failover.takeoverNanos() / 1e9));
        report.add(
                part,
                "  samples acknowledged by the broker / stored (after the killed one drained its spool)",
                count(failover.sent()) + " / " + count(failover.stored()) + ": "
                        + count(Math.max(0, failover.sent() - failover.stored())) + " lost, "
                        + count(Math.max(0, failover.stored() - failover.sent())) + " duplicated",
                "0 lost, 0 duplicated",
                failover.sent() == failover.stored());
    }

    private record Setup(String label, String group, int collectors) {
        boolean cluster() {
            return !group.equals("consumer");
        }
    }

    private record Throughput(long samples, long stored, long nanos, double collectorCpu, double brokerCpu) {
        double samplesPerSecond() {
            return stored / (nanos / 1e9);
        }
    }

    private record Failover(long takeoverNanos, long sent, long stored) {}

    /** The options that make a collector consume from the bench's broker. */
    private List<String> sourceOptions(Setup setup, int member, List<String> roster) {
        List<String> args = new ArrayList<>(List.of("--source", "mqtt://127.0.0.1:" + port));
        if (setup.cluster()) {
            args.addAll(List.of(
                    "--source-group", "bench-" + setup.group() + "-" + bootSeed,
                    "--source-member-id", "m" + member,
                    "--source-rigs", String.join(",", roster)));
        } else {
            args.addAll(List.of("--source-client-id", "bench-consumer-" + bootSeed));
        }
        return args;
    }

    private List<String> roster(int rigs) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= rigs; i++) {
            names.add(MqttLoad.rigName(i));
            names.add(MqttLoad.rigName("warm-", i));
        }
        return names;
    }

    private List<Services.Collector> startCollectors(String prefix, Setup setup, String db) throws Exception {
        List<Services.Collector> collectors = new ArrayList<>();
        List<String> roster = roster(options.rigs());
        for (int m = 0; m < setup.collectors(); m++) {
            collectors.add(bench.startCollector(prefix + "-" + m, db, sourceOptions(setup, m, roster)));
        }
        awaitReady(setup, collectors, 60);
        return collectors;
    }

    /**
     * Every collector's {@code /health} is UP: consumer mode subscribed; cluster mode every partition
     * owned by exactly one member and subscribed (a rig publishing before that is queued for nobody).
     */
    private void awaitReady(Setup setup, List<Services.Collector> collectors, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            double owned = 0;
            boolean up = true;
            for (Services.Collector collector : collectors) {
                owned += metric(collector, "rigtel_cluster_partitions_owned");
                up &= services.get("http://127.0.0.1:" + collector.httpPort() + "/health") != null;
            }
            if (up && (!setup.cluster() || owned == PARTITIONS)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the collectors (" + setup.label() + ") were not ready in " + seconds
                        + " s: partitions owned " + owned + ", all UP " + up);
            }
            Thread.sleep(100);
        }
    }

    private double metric(Services.Collector collector, String name) throws InterruptedException {
        String metrics = services.get(collector.metricsUrl());
        return metrics == null ? 0 : PrometheusText.sum(metrics, name);
    }

    private Throughput throughput(Setup setup) throws Exception {
        String db = "bench_studio_" + setup.group();
        List<Services.Collector> collectors = startCollectors("studio-" + setup.group(), setup, db);
        int rigs = options.rigs();
        try {
            // A warm-up of a fifth of the samples from other rigs, written to the end first.
            long warmBatches = Math.max(1, options.samples() / 5 / ((long) rigs * sequence.samplesPerBatch()));
            publish("warm-", warmBatches, db, 0);
            long before = influx.countImu(db);
            long batchesPerRig = Math.max(1, options.samples() / ((long) rigs * sequence.samplesPerBatch()));
            List<ProcStat.CpuWindow> cpu = new ArrayList<>();
            for (Services.Collector collector : collectors) {
                cpu.add(ProcStat.CpuWindow.start(collector.pid()));
            }
            ProcStat.CpuWindow broker = ProcStat.CpuWindow.start(mosquitto.pid());
            long[] window = publish("rig-", batchesPerRig, db, before);
            double collectorCpu = 0;
            for (ProcStat.CpuWindow c : cpu) {
                collectorCpu += c.percent();
            }
            long samples = batchesPerRig * rigs * sequence.samplesPerBatch();
            log.info("studio {}: {} samples in {} ms", setup.label(), samples, window[1] / 1_000_000);
            return new Throughput(samples, window[0] - before, window[1], collectorCpu, broker.percent());
        } finally {
            for (Services.Collector collector : collectors) {
                services.stop(collector);
            }
        }
    }

    /**
     * Publishes {@code batchesPerRig} unpaced from {@code options.rigs()} rigs to the broker and waits
     * until InfluxDB holds them all; returns {stored count, nanoseconds from start to the last}.
     */
    private long[] publish(String prefix, long batchesPerRig, String db, long before) throws Exception {
        int rigs = options.rigs();
        long expected = before + batchesPerRig * rigs * sequence.samplesPerBatch();
        try (MqttLoad load =
                new MqttLoad(new java.net.InetSocketAddress("127.0.0.1", port), options.threads(), prefix)) {
            load.connect(rigs, payloads, sequence, options.window(), 60, bootSeed + prefix.hashCode(), 60);
            long started = System.nanoTime();
            load.start(batchesPerRig, false);
            long stored = awaitStored(db, expected);
            return new long[] {stored, System.nanoTime() - started};
        }
    }

    /** Polls InfluxDB until it holds {@code expected} samples or made no progress for 60 s. */
    private long awaitStored(String db, long expected) throws IOException, InterruptedException {
        long last = -1;
        long progress = System.nanoTime();
        while (true) {
            long stored = influx.countImu(db);
            if (stored >= expected) {
                return stored;
            }
            if (stored > last) {
                last = stored;
                progress = System.nanoTime();
            } else if (System.nanoTime() - progress > TimeUnit.SECONDS.toNanos(60)) {
                log.warn("studio: {} of {} samples stored, no progress for 60 s", stored, expected);
                return stored;
            }
            Thread.sleep(100);
        }
    }

    private Failover failover() throws Exception {
        Setup setup = new Setup("failover", "failover", 2);
        String db = "bench_studio_failover";
        List<Services.Collector> collectors = startCollectors("studio-failover", setup, db);
        int rigs = options.rigs();
        long batchesPerRig =
                Math.max(2, (long) options.durationSeconds() * options.rateHz() / sequence.samplesPerBatch());
        long takeover;
        long sent;
        try (MqttLoad load = new MqttLoad(new java.net.InetSocketAddress("127.0.0.1", port), options.threads())) {
            load.connect(rigs, payloads, sequence, options.window(), 60, bootSeed + 17, 60);
            load.start(batchesPerRig, true);
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.durationSeconds()) / 2);
            Services.Collector victim = collectors.get(0);
            Services.Collector survivor = collectors.get(1);
            long killed = System.nanoTime();
            victim.process().destroyForcibly();
            while (metric(survivor, "rigtel_cluster_partitions_owned") < PARTITIONS) {
                if (System.nanoTime() - killed > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("the survivor did not take every partition in 60 s");
                }
                Thread.sleep(20);
            }
            takeover = System.nanoTime() - killed;
            log.info("studio failover: survivor owns all partitions {} ms after the SIGKILL", takeover / 1_000_000);
            victim.process().waitFor(10, TimeUnit.SECONDS);
            if (!load.awaitAllAcknowledged(batchesPerRig, options.durationSeconds() + 60L)) {
                throw new IllegalStateException("the broker did not acknowledge every batch");
            }
            sent = load.stats().acked.sum() * sequence.samplesPerBatch();
            // The killed collector comes back with its spool: what it had acknowledged reaches InfluxDB.
            collectors.set(0, bench.startCollector("studio-failover-0", db, sourceOptions(setup, 0, roster(rigs))));
            long stored = awaitStored(db, sent);
            // A little longer: a duplicate would only show once everything is written.
            Thread.sleep(3_000);
            stored = influx.countImu(db);
            return new Failover(takeover, sent, stored);
        } finally {
            for (Services.Collector collector : collectors) {
                services.stop(collector);
            }
        }
    }
}

package dev.rigtel.bench;

import static dev.rigtel.bench.BenchReport.count;
import static dev.rigtel.bench.BenchReport.kilobytes;
import static dev.rigtel.bench.BenchReport.megabytes;
import static dev.rigtel.bench.BenchReport.percent;
import static dev.rigtel.bench.BenchReport.ratio;

import dev.rigtel.bench.BenchOptions.Part;
import dev.rigtel.collector.auth.CredentialsFile;
import dev.rigtel.collector.auth.PasswordHasher;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.simulator.PayloadEncoding;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the parts of a bench: every process measured is started on its own ({@link Services}), the
 * load comes from this process ({@link MqttLoad}), and the figures go into a {@link BenchReport}.
 */
final class Bench {

    private static final Logger log = LoggerFactory.getLogger(Bench.class);

    /** A rig's device clock reads 5 s at its first sample: it booted a moment before the run. */
    private static final long FIRST_DEVICE_MICROS = 5_000_000;

    private static final String VIEWER = "bench-viewer";
    private static final String VIEWER_PASSWORD = "bench-viewer-password";
    /** The slate app of the resources part's scripted day posts as this user. */
    private static final String SLATE_USER = "bench-slate";

    private static final String SLATE_PASSWORD = "bench-slate-password";
    /** A rig's status report period in the resources part (the simulator's default). */
    static final int STATUS_SECONDS = 5;

    /** The viewer's HTTP Basic header: the collector's /metrics and API reads need it. */
    static final String READ_AUTHORIZATION = "Basic "
            + java.util.Base64.getEncoder()
                    .encodeToString((VIEWER + ":" + VIEWER_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /** How often the stored latency is polled (InfluxDB {@code last(dev_ns)}), milliseconds. */
    static final int STORED_POLL_MILLIS = 50;

    private final BenchOptions options;
    private final Services services;
    private final BenchReport report;
    private final BatchSequence sequence;
    private final ImuPayloads payloads;
    private final int bootSeed = (int) System.nanoTime();
    private InfluxHttp influx;
    private Path credentials;

    Bench(BenchOptions options, Services services, BenchReport report) {
        this.options = options;
        this.services = services;
        this.report = report;
        this.sequence = BatchSequence.at(FIRST_DEVICE_MICROS, options.rateHz(), options.samplesPerBatch());
        this.payloads = ImuPayloads.create(options.encoding(), sequence);
    }

    void run() throws Exception {
        credentials = services.work().resolve("credentials");
        // The live subscriber logs in as a viewer; rigs connect anonymously (client id = rig id), so
        // 10,000 rigs need no 10,000 PBKDF2 checks.
        CredentialsFile.empty()
                .with(new CredentialsFile.Entry(
                        VIEWER, Role.VIEWER, PasswordHasher.hash(VIEWER_PASSWORD.toCharArray(), 1000)))
                .with(new CredentialsFile.Entry(
                        SLATE_USER, Role.SLATE, PasswordHasher.hash(SLATE_PASSWORD.toCharArray(), 1000)))
                .save(credentials);
        boolean needsInflux = options.parts().stream()
                .anyMatch(p -> p == Part.THROUGHPUT || p == Part.LATENCY || p == Part.RESOURCES || p == Part.STUDIO);
        if (needsInflux) {
            influx = new InfluxHttp(services.startInfluxDb());
            log.info("InfluxDB at {}", influx.url());
        }
        for (Part part : Part.values()) {
            if (!options.parts().contains(part)) {
                continue;
            }
            log.info("--- {} ---", part.label());
            switch (part) {
                case THROUGHPUT -> throughput();
                case INTAKE -> intake();
                case LATENCY -> {
                    latency(1);
                    if (options.loadFactor() > 1) {
                        latency(options.loadFactor());
                    }
                }
                case CONNECTIONS -> connections();
                case RESOURCES -> resources();
                case HISTORY -> new ShootBench(this, options, services, report).history();
                case STORAGE -> new ShootBench(this, options, services, report).storage();
                case GOPRO -> new GoproBench(services.work(), report).run();
                case STUDIO ->
                    new StudioBench(this, options, services, report, influx, payloads, sequence, bootSeed).run();
                case SPOOL -> SpoolCapacity.report(services.work(), report);
            }
        }
    }

    // --- throughput ------------------------------------------------------------------------

    private void throughput() throws Exception {
        int rigs = options.rigs();
        long batchesPerRig = Math.max(1, options.samples() / ((long) rigs * sequence.samplesPerBatch()));
        long samples = batchesPerRig * rigs * sequence.samplesPerBatch();

        log.info("encoding {} points as gzip line protocol for the ceiling", samples);
        Ceiling ceiling = Ceiling.encode(payloads, sequence, rigs, batchesPerRig, options.writeBatchPoints());
        // The honest ceiling (issue 19): the best of {1, 2, 4} writers x {plain, gzip} at the collector's
        // batch size, unless --ceiling-writers restricts it to one writer count. With all six, each
        // combination writes the first third of the bodies, so the whole takes about twice one full run.
        int[] writerCounts = options.ceilingWriters() == 0 ? new int[] {1, 2, 4} : new int[] {options.ceilingWriters()};
        int share = writerCounts.length == 1 ? ceiling.bodies() : Math.max(1, (ceiling.bodies() + 2) / 3);
        log.info(
                "ceiling: {} bodies, {} MB gzip; {} per combination of writers {} x plain, gzip",
                ceiling.bodies(),
                ceiling.gzipBytes() / 1_000_000,
                share,
                java.util.Arrays.toString(writerCounts));
        List<String[]> combinations = new java.util.ArrayList<>();
        double ceilingRate = -1;
        double ceilingInfluxCpu = 0;
        double ceilingOthersCpu = 0;
        String best = "";
        for (int writers : writerCounts) {
            for (boolean gzip : new boolean[] {false, true}) {
                String name = writers + (writers == 1 ? " writer, " : " writers, ") + (gzip ? "gzip" : "plain");
                String ceilingDb = "bench_ceiling_" + writers + (gzip ? "_gzip" : "_plain");
                influx.createDatabase(ceilingDb);
                awaitInfluxQuiet("ceiling " + name);
                ProcStat.CpuWindow influxCpu = ProcStat.CpuWindow.start(influxPid());
                ProcStat.Others others =
                        ProcStat.Others.start(ProcessHandle.current().pid(), influxPid());
                long nanos = ceiling.write(influx, ceilingDb, writers, gzip, share);
                double cpu = influxCpu.percent();
                double othersCpu = others.percent();
                long stored = influx.countImu(ceilingDb, ""); // written straight to the default policy
                double rate = stored / (nanos / 1e9);
                combinations.add(new String[] {
                    name,
                    count(rate) + " samples/s, InfluxDB " + percent(cpu)
                            + (writerCounts.length == 1 ? "" : " (a third of the points)")
                });
                log.info("ceiling {}: {} samples/s", name, count(rate));
                if (rate > ceilingRate) {
                    ceilingRate = rate;
                    ceilingInfluxCpu = cpu;
                    ceilingOthersCpu = othersCpu;
                    best = name;
                }
            }
        }

        String db = "bench_e2e";
        Services.Collector collector = startCollector("throughput", db, List.of());
        double storedRate;
        long stored;
        double collectorCpu;
        double publishRate;
        double e2eInfluxCpu;
        double e2eOthersCpu;
        long storedNanos;
        double writes;
        double writeSeconds;
        try (MqttLoad load = new MqttLoad(collector.mqtt(), options.threads())) {
            Baseline before = warmUp(collector, db, rigs);
            load.connect(rigs, payloads, sequence, options.window(), 60, bootSeed, 60);
            awaitInfluxQuiet("end to end");
            ProcStat.CpuWindow cpu = ProcStat.CpuWindow.start(collector.pid());
            ProcStat.CpuWindow influxCpu = ProcStat.CpuWindow.start(influxPid());
            ProcStat.Others others =
                    ProcStat.Others.start(ProcessHandle.current().pid(), collector.pid(), influxPid());
            long started = System.nanoTime();
            load.start(batchesPerRig, false);
            long acked = -1;
            long lastIngested = 0;
            long lastProgress = System.nanoTime();
            long end;
            while (true) {
                Thread.sleep(100);
                if (acked < 0 && load.stats().acked.sum() >= batchesPerRig * rigs) {
                    acked = System.nanoTime();
                }
                String metrics = services.get(collector.metricsUrl());
                double ingested = metrics == null
                        ? 0
                        : PrometheusText.sum(metrics, "rigtel_ingest_samples_total") - before.ingested();
                double unwritten = metrics == null ? 1 : PrometheusText.sum(metrics, "rigtel_store_spool_points");
                if (ingested >= samples && unwritten == 0) {
                    end = System.nanoTime();
                    break;
                }
                if (ingested > lastIngested || unwritten > 0) {
                    lastIngested = (long) ingested;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("the collector made no progress for 60 s (" + (long) ingested
                            + " of " + samples + " samples ingested)");
                }
            }
            collectorCpu = cpu.percent();
            e2eInfluxCpu = influxCpu.percent();
            e2eOthersCpu = others.percent();
            String metrics = services.get(collector.metricsUrl());
            writes = metrics == null
                    ? Double.NaN
                    : PrometheusText.sum(metrics, "rigtel_store_write_duration_seconds_count") - before.writes();
            writeSeconds = metrics == null
                    ? Double.NaN
                    : PrometheusText.sum(metrics, "rigtel_store_write_duration_seconds_sum") - before.writeSeconds();
            stored = influx.countImu(db) - before.stored();
            storedNanos = end - started;
            storedRate = stored / (storedNanos / 1e9);
            publishRate = samples / (((acked < 0 ? end : acked) - started) / 1e9);
        } finally {
            services.stop(collector);
        }
        String part = "throughput";
        report.add(part, "samples sent / stored (collector path)", count(samples) + " / " + count(stored));
        report.add(
                part,
                "ceiling: best of writers x {plain, gzip} straight to InfluxDB",
                count(ceilingRate) + " samples/s (" + best + ")");
        for (String[] combination : combinations) {
            report.add(part, "  ceiling, " + combination[0], combination[1]);
        }
        report.add(part, "end to end: MQTT -> collector -> InfluxDB", count(storedRate) + " samples/s");
        report.add(part, "  rigs' publish rate (all PUBACKs in)", count(publishRate) + " samples/s");
        report.add(
                part,
                "  InfluxDB CPU: ceiling / end to end",
                percent(ceilingInfluxCpu) + " / " + percent(e2eInfluxCpu) + " of one core");
        report.add(part, "  collector CPU during the run", percent(collectorCpu) + " of one core");
        report.add(
                part,
                "  other processes on the machine: ceiling / end to end",
                percent(ceilingOthersCpu) + " / " + percent(e2eOthersCpu) + " of one core");
        report.add(
                part,
                "  collector's InfluxDB writes",
                count(writes) + " batches, "
                        + String.format(java.util.Locale.ROOT, "%.1f", writeSeconds * 1000 / writes)
                        + " ms each (request to response), on average " + ratio(writeSeconds * 1e9 / storedNanos)
                        + " in flight");
        report.add(
                part,
                "end to end / ceiling",
                ratio(storedRate / ceilingRate),
                ">= 0.8",
                storedRate / ceilingRate >= 0.8 && stored == samples);
    }

    /** What the warm-up left: samples the collector ingested and InfluxDB holds. */
    private record Baseline(double ingested, long stored, double writes, double writeSeconds) {}

    /**
     * Runs the same unpaced load from other rigs ({@code warm-00001...}) for {@code --warmup}
     * seconds and waits until the collector has written all of it, so that the measured run meets a
     * collector whose hot paths are compiled, as on a set after the first minute, rather than one
     * still interpreting and compiling them.
     */
    private Baseline warmUp(Services.Collector collector, String db, int rigs) throws Exception {
        log.info("warming the collector up for {} s with other rigs", options.warmupSeconds());
        try (MqttLoad warm = new MqttLoad(collector.mqtt(), options.threads(), "warm-")) {
            warm.connect(rigs, payloads, sequence, options.window(), 60, bootSeed + 1, 60);
            warm.start(Long.MAX_VALUE, false);
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmupSeconds()));
            warm.stop();
            if (!warm.awaitAcks(60)) {
                throw new IllegalStateException("the warm-up's batches were not all acknowledged within 60 s");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            String metrics = services.get(collector.metricsUrl());
            if (metrics != null && PrometheusText.sum(metrics, "rigtel_store_spool_points") == 0) {
                return new Baseline(
                        PrometheusText.sum(metrics, "rigtel_ingest_samples_total"),
                        influx.countImu(db),
                        PrometheusText.sum(metrics, "rigtel_store_write_duration_seconds_count"),
                        PrometheusText.sum(metrics, "rigtel_store_write_duration_seconds_sum"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the collector did not write the warm-up within 120 s");
            }
            Thread.sleep(100);
        }
    }

    // --- MQTT intake -------------------------------------------------------------------------

    private void intake() throws Exception {
        int port = Services.freePort();
        Process mosquitto = services.startMosquitto(port);
        Intake broker;
        try {
            broker = intakeRun(new InetSocketAddress("127.0.0.1", port), mosquitto.pid());
        } finally {
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
        }
        Services.Collector collector = startCollector(
                "intake",
                "bench_intake",
                List.of("--store", "discard", "--influx-url", "http://127.0.0.1:" + Services.freePort()));
        Intake ours;
        try {
            ours = intakeRun(collector.mqtt(), collector.pid());
        } finally {
            services.stop(collector);
        }
        String part = "intake";
        for (Intake run : List.of(broker, ours)) {
            report.add(
                    part,
                    run == broker ? "Mosquitto (no persistence)" : "collector, --store discard",
                    count(run.messagesPerSecond) + " msg/s, " + count(run.samplesPerSecond()) + " samples/s");
            report.add(
                    part,
                    "  server / generator / other processes' CPU; PUBACK p50 / p99 / max",
                    percent(run.serverCpu) + " / " + percent(run.generatorCpu) + " / " + percent(run.othersCpu) + "; "
                            + run.ackLatency.millis());
        }
        String topic = "rigtel/v1/" + MqttLoad.rigName(1) + "/imu";
        for (PayloadEncoding encoding : PayloadEncoding.values()) {
            ImuPayloads wire = ImuPayloads.create(encoding, sequence);
            report.add(
                    part,
                    "  bytes per sample on the wire, " + encoding
                            + (encoding == options.encoding() ? " (this run)" : ""),
                    String.format(
                            java.util.Locale.ROOT,
                            "%.1f (payload %.1f; MQTT PUBLISH QoS 1 and TCP/IP at %d samples a batch)",
                            wire.wireBytesPerSample(topic),
                            wire.payloadBytesPerSample(),
                            sequence.samplesPerBatch()));
        }
        report.add(
                part,
                "collector / Mosquitto",
                ratio(ours.messagesPerSecond / broker.messagesPerSecond),
                ">= 1.0",
                ours.messagesPerSecond >= broker.messagesPerSecond);
    }

    private record Intake(
            double messagesPerSecond,
            int samplesPerBatch,
            double serverCpu,
            double generatorCpu,
            Latencies.Summary ackLatency,
            double othersCpu) {
        double samplesPerSecond() {
            return messagesPerSecond * samplesPerBatch;
        }
    }

    /** Publishes as fast as the windows allow for the duration; counts PUBACKs after the warm-up. */
    private Intake intakeRun(InetSocketAddress address, long serverPid) throws Exception {
        try (MqttLoad load = new MqttLoad(address, options.threads())) {
            load.connect(options.rigs(), payloads, sequence, options.window(), 60, bootSeed, 60);
            load.start(Long.MAX_VALUE / 4, false);
            Thread.sleep(TimeUnit.SECONDS.toMillis(Math.min(options.warmupSeconds(), options.durationSeconds())));
            ProcStat.CpuWindow server = ProcStat.CpuWindow.start(serverPid);
            ProcStat.CpuWindow self =
                    ProcStat.CpuWindow.start(ProcessHandle.current().pid());
            ProcStat.Others others =
                    ProcStat.Others.start(ProcessHandle.current().pid(), serverPid);
            load.stats().ackLatency.clear();
            long acked0 = load.stats().acked.sum();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.durationSeconds()));
            long acked1 = load.stats().acked.sum();
            long t1 = System.nanoTime();
            double serverCpu = server.percent();
            double selfCpu = self.percent();
            double othersCpu = others.percent();
            Latencies.Summary acks = load.stats().ackLatency.summary();
            load.stop();
            load.awaitAcks(30);
            if (load.stats().dropped.sum() > 0) {
                throw new IllegalStateException(load.stats().dropped.sum() + " connections dropped during intake");
            }
            return new Intake(
                    (acked1 - acked0) / ((t1 - t0) / 1e9),
                    sequence.samplesPerBatch(),
                    serverCpu,
                    selfCpu,
                    acks,
                    othersCpu);
        }
    }

    // --- latency -----------------------------------------------------------------------------

    private void latency(int factor) throws Exception {
        int rigs = options.rigs() * factor;
        String name = "latency-" + factor + "x";
        String db = "bench_latency_" + factor + "x";
        long warmupNanos = TimeUnit.SECONDS.toNanos(options.warmupSeconds());
        long batches = (warmupNanos + TimeUnit.SECONDS.toNanos(options.durationSeconds())) / sequence.batchNanos();
        Services.Collector collector = startCollector(name, db, List.of());
        LoadStats stats;
        long sent;
        long stored;
        double collectorCpu;
        double generatorCpu;
        double influxCpu;
        double othersCpu;
        List<LoadRig> watched;
        try (MqttLoad load = new MqttLoad(collector.mqtt(), options.threads())) {
            List<LoadRig> all = load.connect(rigs, payloads, sequence, options.window(), 60, bootSeed, 120);
            watched = all.subList(0, Math.min(options.watchRigs(), all.size()));
            load.subscribe(VIEWER, VIEWER_PASSWORD, watched, payloads);
            stats = load.stats();
            StoredPoller poller = new StoredPoller(influx, db, watched, stats, batches);
            Thread pollerThread = new Thread(poller, "bench-stored-poller");
            pollerThread.setDaemon(true);
            long started = load.start(batches, true);
            // A collector that just started compiles its hot paths for the first seconds (JIT):
            // batches published then are measured apart from the steady state.
            stats.steadyFrom(started + warmupNanos);
            pollerThread.start();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmupNanos));
            ProcStat.CpuWindow cpu = ProcStat.CpuWindow.start(collector.pid());
            ProcStat.CpuWindow self =
                    ProcStat.CpuWindow.start(ProcessHandle.current().pid());
            ProcStat.CpuWindow influxdb = ProcStat.CpuWindow.start(influxPid());
            ProcStat.Others others =
                    ProcStat.Others.start(ProcessHandle.current().pid(), collector.pid(), influxPid());
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.durationSeconds()));
            collectorCpu = cpu.percent();
            generatorCpu = self.percent();
            influxCpu = influxdb.percent();
            othersCpu = others.percent();
            load.awaitAllAcknowledged(batches, 60);
            sent = stats.acked.sum() * sequence.samplesPerBatch();
            stored = awaitStored(db, sent, 60);
            pollerThread.join(TimeUnit.SECONDS.toMillis(30));
            poller.stop();
            pollerThread.join();
        } finally {
            services.stop(collector);
        }
        String part = "latency " + factor + "x";
        String load = rigs + " rigs x " + options.rateHz() + " Hz, " + options.batchMillis() + " ms batches";
        Latencies.Summary live = stats.liveLatency.summary();
        Latencies.Summary storedLatency = stats.storedLatency.summary();
        report.add(
                part,
                "load",
                load + " (" + count(rigs * (double) options.rateHz()) + " samples/s), " + options.durationSeconds()
                        + " s measured after " + options.warmupSeconds() + " s warm-up");
        report.add(
                part,
                "publish -> PUBACK p50 / p99 / max (all rigs)",
                stats.ackLatency.summary().millis());
        report.add(
                part,
                "publish -> live subscriber p50 / p99 / max (" + watched.size() + " rigs)",
                live.millis(),
                "p99 < 100 ms",
                live.count() > 0 && live.percentile(99) < TimeUnit.MILLISECONDS.toNanos(100));
        report.add(
                part,
                "publish -> queryable in InfluxDB p50 / p99 / max (" + watched.size() + " rigs, polled every "
                        + STORED_POLL_MILLIS + " ms)",
                storedLatency.millis(),
                "p99 < 2 s",
                storedLatency.count() > 0 && storedLatency.percentile(99) < TimeUnit.SECONDS.toNanos(2));
        report.add(
                part,
                "  during the warm-up: PUBACK / live / stored p99",
                p99(stats.warmupAckLatency) + " / " + p99(stats.warmupLiveLatency) + " / "
                        + p99(stats.warmupStoredLatency) + " ms");
        boolean lossless = stored == sent && stats.sent.sum() == stats.acked.sum() && stats.dropped.sum() == 0;
        report.add(
                part,
                "samples published / acknowledged / stored (whole run)",
                count(stats.sent.sum() * (double) sequence.samplesPerBatch()) + " / " + count(sent) + " / "
                        + count(stored),
                factor > 1 ? "no loss" : "",
                lossless);
        report.add(
                part,
                "  CPU: collector / InfluxDB / load generator / other processes",
                percent(collectorCpu) + " / " + percent(influxCpu) + " / " + percent(generatorCpu) + " / "
                        + percent(othersCpu));
        if (stats.windowFull.sum() > 0) {
            report.add(part, "  ticks a rig's window was full", count(stats.windowFull.sum()));
        }
    }

    private static String p99(Latencies latencies) {
        Latencies.Summary s = latencies.summary();
        return s.count() == 0 ? "-" : Latencies.Summary.ms(s.percentile(99));
    }

    /** Polls {@code count(ax)} until it reaches {@code expected} or stops growing for {@code seconds}. */
    private long awaitStored(String db, long expected, int seconds) throws IOException, InterruptedException {
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long stored = influx.countImu(db);
            if (stored >= expected) {
                return stored;
            }
            if (stored != last) {
                last = stored;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(seconds)) {
                return stored;
            }
            Thread.sleep(500);
        }
    }

    /**
     * Polls the newest stored {@code dev_ns} of the watched rigs; every batch whose last sample it
     * covers counts as stored, and its latency is the time from its publication to the answer that
     * showed it. The collector writes a rig's batches in order, but with two InfluxDB writes in
     * flight a later one can become queryable before the one before it finishes (by at most one
     * write, some tens of milliseconds), which this reads as both stored.
     */
    private static final class StoredPoller implements Runnable {
        private final InfluxHttp influx;
        private final String db;
        private final List<LoadRig> rigs;
        private final LoadStats stats;
        private final long lastSeq;
        private final long[] storedSeq;
        private final String regex;
        private volatile boolean stopped;
        private int failures;

        StoredPoller(InfluxHttp influx, String db, List<LoadRig> rigs, LoadStats stats, long lastSeq) {
            this.influx = influx;
            this.db = db;
            this.rigs = rigs;
            this.stats = stats;
            this.lastSeq = lastSeq;
            this.storedSeq = new long[rigs.size()];
            this.regex = rigs.stream().map(LoadRig::rig).collect(Collectors.joining("|"));
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            while (!stopped) {
                long polled = System.nanoTime();
                try {
                    Map<String, Long> last = influx.lastDeviceNanos(db, regex);
                    long answered = System.nanoTime();
                    boolean all = true;
                    for (int i = 0; i < rigs.size(); i++) {
                        LoadRig rig = rigs.get(i);
                        Long device = last.get(rig.rig());
                        long upTo = device == null ? 0 : rig.sequence().lastSeqAtOrBefore(device);
                        for (long seq = storedSeq[i] + 1; seq <= upTo; seq++) {
                            long sent = rig.sentNanos(seq);
                            if (sent > 0) {
                                stats.stored(sent, answered);
                            }
                        }
                        storedSeq[i] = Math.max(storedSeq[i], upTo);
                        all &= storedSeq[i] >= lastSeq;
                    }
                    if (all) {
                        return;
                    }
                } catch (IOException e) {
                    if (failures++ == 0) {
                        log.warn("stored-latency poll failed (further failures are not logged): {}", e.toString());
                    }
                } catch (InterruptedException e) {
                    return;
                }
                long sleep = TimeUnit.MILLISECONDS.toNanos(STORED_POLL_MILLIS) - (System.nanoTime() - polled);
                if (sleep > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    // --- connections -------------------------------------------------------------------------

    private void connections() throws Exception {
        int n = options.connections();
        long limit = openFileLimit();
        if (limit > 0 && limit < n + 200L) {
            throw new IllegalStateException("this process may open " + limit + " files, too few for " + n
                    + " connections: raise it (ulimit -n) or lower --connections");
        }
        Services.Collector collector = startCollector(
                "connections",
                "bench_connections",
                List.of(
                        "--max-connections",
                        Integer.toString(n + 100),
                        // Every rig that connects gets a retained live state (firmware-notes/live-topics.md):
                        // part of what a connection costs, so it must fit.
                        "--max-retained-messages",
                        Integer.toString(n + 1000),
                        "--influx-url",
                        "http://127.0.0.1:" + Services.freePort()));
        try (MqttLoad load = new MqttLoad(collector.mqtt(), options.threads())) {
            Thread.sleep(3000);
            Memory before = memory(collector);
            long started = System.nanoTime();
            load.connect(n, payloads, sequence, 1, options.keepAliveSeconds(), bootSeed, 300);
            double connectSeconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.holdSeconds()));
            Memory after = memory(collector);
            String metrics = services.get(collector.metricsUrl());
            double open = metrics == null ? Double.NaN : PrometheusText.sum(metrics, "rigtel_mqtt_connections");
            long dropped = load.stats().dropped.sum();
            double heapEach = (after.heapUsed - before.heapUsed) / (double) n;
            double rssEach = (after.rss - before.rss) / (double) n;
            String part = "connections";
            report.add(
                    part,
                    "idle rig connections (keep-alive " + options.keepAliveSeconds() + " s, held "
                            + options.holdSeconds() + " s)",
                    count(n) + " connected in " + String.format(java.util.Locale.ROOT, "%.1f", connectSeconds)
                            + " s; " + count(open) + " open at the end, " + dropped + " dropped, "
                            + count(load.stats().pings.sum()) + " pings answered");
            report.add(
                    part,
                    "collector heap after full GC, before / after",
                    megabytes(before.heapUsed) + " / " + megabytes(after.heapUsed));
            report.add(part, "collector RSS before / after", megabytes(before.rss) + " / " + megabytes(after.rss));
            report.add(part, "heap per connection", kilobytes(heapEach), "< 10 KB", heapEach < 10_000 && dropped == 0);
            report.add(part, "RSS per connection", kilobytes(rssEach));
        } finally {
            services.stop(collector);
        }
    }

    record Memory(double heapUsed, double heapCommitted, long rss) {}

    /** Heap after a full collection (jcmd GC.run) and RSS of the collector. */
    Memory memory(Services.Collector collector) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (Files.isExecutable(jcmd)) {
            new ProcessBuilder(jcmd.toString(), Long.toString(collector.pid()), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(60, TimeUnit.SECONDS);
        } else {
            log.warn("no jcmd at {}: heap is measured without a full GC first", jcmd);
        }
        Thread.sleep(500);
        String metrics = services.get(collector.metricsUrl());
        if (metrics == null) {
            throw new IOException("the collector's /metrics did not answer");
        }
        return new Memory(
                PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\""),
                PrometheusText.sum(metrics, "jvm_memory_committed_bytes", "area=\"heap\""),
                ProcStat.rssBytes(collector.pid()));
    }

    /** The soft limit on open files of this process ({@code /proc/self/limits}), -1 if unknown. */
    static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts =
                            line.substring("Max open files".length()).trim().split("\\s+");
                    return "unlimited".equals(parts[0]) ? Long.MAX_VALUE : Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    // --- resources ---------------------------------------------------------------------------

    /**
     * A normal day at steady state: the nominal rigs paced, each with a timecode report every frame
     * and a status report every {@value #STATUS_SECONDS} s, and a slate app playing a scripted day
     * ({@link SlateDay}); after {@code --settle}, {@code --duration} is measured.
     */
    private void resources() throws Exception {
        int rigs = options.rigs();
        long seconds = options.settleSeconds() + options.resourcesSeconds();
        long batches = TimeUnit.SECONDS.toNanos(seconds) / sequence.batchNanos();
        Services.Collector collector = startCollector("resources", "bench_resources", List.of());
        try (MqttLoad load = new MqttLoad(collector.mqtt(), options.threads());
                SlateDay day = SlateDay.start(rigs, seconds, collector.httpPort(), SLATE_USER, SLATE_PASSWORD)) {
            load.connect(rigs, payloads, sequence, options.window(), 60, bootSeed, 60);
            load.rigs().forEach(rig -> rig.reports(options.timecodeFrames(), STATUS_SECONDS));
            // A normal day has the dashboard running: its feed follows every live topic all day.
            DashboardFeed dashboard = load.followLive(VIEWER, VIEWER_PASSWORD);
            load.start(batches, true);
            Thread.sleep(TimeUnit.SECONDS.toMillis(options.settleSeconds()));
            long pid = collector.pid();
            ProcStat.CpuWindow cpu = ProcStat.CpuWindow.start(pid);
            ProcStat.CpuWindow self =
                    ProcStat.CpuWindow.start(ProcessHandle.current().pid());
            ProcStat.Others others =
                    ProcStat.Others.start(ProcessHandle.current().pid(), pid, influxPid());
            long ticksBefore = ProcStat.cpuTicks(pid);
            long systemBefore = ProcStat.systemTicks(pid);
            long switchesBefore = ProcStat.contextSwitches(pid);
            Map<String, long[]> groupsBefore = ProcStat.threadGroups(pid);
            long ackedBefore = load.stats().acked.sum();
            long slateBefore = day.posted();
            long liveBefore = dashboard.messages.sum();
            long tracesBefore = dashboard.traces.sum();
            String metricsBefore = services.get(collector.metricsUrl());
            long startNanos = System.nanoTime();
            double maxHeap = 0;
            double sumHeap = 0;
            double committed = 0;
            int samples = 0;
            long end = startNanos + TimeUnit.SECONDS.toNanos(options.resourcesSeconds());
            while (System.nanoTime() < end) {
                // Every 5 s: a scrape costs the collector CPU too, more than Prometheus every 15 s would.
                Thread.sleep(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                String metrics = services.get(collector.metricsUrl());
                if (metrics != null) {
                    double used = PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
                    maxHeap = Math.max(maxHeap, used);
                    sumHeap += used;
                    committed = PrometheusText.sum(metrics, "jvm_memory_committed_bytes", "area=\"heap\"");
                    samples++;
                }
            }
            double cpuPercent = cpu.percent();
            double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
            long cpuTicks = ProcStat.cpuTicks(pid) - ticksBefore;
            long systemTicks = ProcStat.systemTicks(pid) - systemBefore;
            long switches = ProcStat.contextSwitches(pid) - switchesBefore;
            Map<String, long[]> groupsAfter = ProcStat.threadGroups(pid);
            int threads = ProcStat.threads(pid);
            long messages = load.stats().acked.sum() - ackedBefore;
            long slateEvents = day.posted() - slateBefore;
            long liveMessages = dashboard.messages.sum() - liveBefore;
            long traceMessages = dashboard.traces.sum() - tracesBefore;
            String metricsAfter = services.get(collector.metricsUrl());
            double selfPercent = self.percent();
            double othersPercent = others.percent();
            long rss = ProcStat.rssBytes(pid);
            load.stop();
            load.awaitAcks(30);
            String part = "resources";
            report.add(
                    part,
                    "load",
                    rigs + " rigs x " + options.rateHz() + " Hz, " + options.batchMillis()
                            + " ms batches, timecode every"
                            + " frame (" + LoadRig.TIMECODE_FPS + " fps) in reports of " + options.timecodeFrames()
                            + " (--timecode-frames), status every " + STATUS_SECONDS
                            + " s, a scripted day's slate events, the dashboard's feed; " + options.resourcesSeconds()
                            + " s measured after "
                            + options.settleSeconds() + " s settling (--settle)");
            report.add(
                    part,
                    "messages acknowledged (IMU + timecode + status) / slate events stored",
                    count(messages / wallSeconds) + " msg/s / " + slateEvents + " events");
            report.add(
                    part,
                    "live messages to the dashboard's feed (" + DashboardFeed.FILTER + "), of which traces",
                    count(liveMessages / wallSeconds) + " msg/s, " + count(traceMessages / wallSeconds) + " msg/s");
            report.add(part, "collector CPU", percent(cpuPercent) + " of one core", "< 10 %", cpuPercent < 10);
            report.add(
                    part,
                    "  of which in the kernel (system time: syscalls, fsync, wake-ups)",
                    percent(systemTicks * 100.0 / ProcStat.TICKS_PER_SECOND / wallSeconds) + " of one core");
            report.add(
                    part,
                    "  CPU per message",
                    messages == 0
                            ? "-"
                            : String.format("%.1f us", cpuTicks * 1e6 / ProcStat.TICKS_PER_SECOND / messages));
            report.add(
                    part,
                    "  context switches (voluntary + involuntary), threads",
                    count(switches / wallSeconds) + "/s, "
                            + String.format("%.2f", (double) switches / Math.max(1, messages)) + " per message; "
                            + threads + " threads");
            if (metricsBefore != null && metricsAfter != null) {
                double fsyncs = PrometheusText.sum(metricsAfter, "rigtel_store_spool_fsyncs_total")
                        - PrometheusText.sum(metricsBefore, "rigtel_store_spool_fsyncs_total");
                report.add(part, "  spool fsyncs", count(fsyncs / wallSeconds) + "/s");
            }
            report.add(
                    part,
                    "collector heap used, mean / max (committed)",
                    megabytes(sumHeap / Math.max(1, samples)) + " / " + megabytes(maxHeap) + " (" + megabytes(committed)
                            + ")",
                    "< 256 MB",
                    maxHeap < 256e6);
            report.add(part, "collector RSS", megabytes(rss));
            report.add(
                    part,
                    "  load generator / other processes' CPU",
                    percent(selfPercent) + " / " + percent(othersPercent) + " of one core");
            // Where the collector's CPU and wake-ups went, by thread group: for the log, not the table.
            groupsAfter.forEach((name, after) -> {
                long[] before = groupsBefore.getOrDefault(name, new long[3]);
                long ticks = after[0] - before[0];
                long sw = after[1] - before[1];
                if (ticks > 0 || sw / wallSeconds >= 1) {
                    log.info(
                            "resources: threads '{}' x{}: {} of one core, {} context switches/s",
                            name,
                            after[2],
                            percent(ticks * 100.0 / ProcStat.TICKS_PER_SECOND / wallSeconds),
                            count(sw / wallSeconds));
                }
            });
        } finally {
            services.stop(collector);
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    /** The pid of the InfluxDB that scripts/influxd-local.sh started. */
    /**
     * Waits until InfluxDB has finished the work earlier writes left it (cache snapshots and
     * compactions, which run after the writes are answered): until it uses under
     * {@value #QUIET_INFLUX_PERCENT} % of a core over a second, or {@value #QUIET_INFLUX_MAX_SECONDS} s.
     * Every timed write run (each ceiling combination, end to end) starts from a quiet InfluxDB, so
     * that none pays for the run before it; end to end's follows the collector's warm-up, which
     * wrote about three times its points.
     */
    private void awaitInfluxQuiet(String before) throws IOException, InterruptedException {
        long started = System.nanoTime();
        double cpu;
        do {
            ProcStat.CpuWindow window = ProcStat.CpuWindow.start(influxPid());
            Thread.sleep(1000);
            cpu = window.percent();
        } while (cpu >= QUIET_INFLUX_PERCENT
                && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(QUIET_INFLUX_MAX_SECONDS));
        log.info(
                "InfluxDB quiet before {} after {} s ({} of a core over the last second)",
                before,
                (System.nanoTime() - started) / 1_000_000_000L,
                percent(cpu));
    }

    private static final int QUIET_INFLUX_PERCENT = 5;
    private static final int QUIET_INFLUX_MAX_SECONDS = 120;

    private long influxPid() throws IOException {
        return Long.parseLong(Files.readString(services.work().resolve("influxdb/influxd.pid"))
                .trim());
    }

    /**
     * Starts a collector for one part: anonymous rigs (client id = rig id) plus the viewer, limits
     * raised where the bench goes past them on purpose; {@code extra} (option, value pairs) overrides.
     */
    Services.Collector startCollector(String name, String db, List<String> extra)
            throws IOException, InterruptedException {
        List<String> jvm = new ArrayList<>(options.collectorJvmOptions());
        if (options.jfr()) {
            jvm.add("-XX:StartFlightRecording=filename=" + services.work().resolve(name + ".jfr")
                    + ",settings=profile");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("--credentials", credentials.toString());
        values.put("--influx-db", db);
        values.put("--timezone", "UTC");
        values.put("--write-batch-points", Integer.toString(options.writeBatchPoints()));
        // Unpaced bench rigs publish faster than a real one; that limit is not what is measured.
        values.put("--max-messages-per-second", "1000000");
        values.put("--max-connections", Integer.toString(Math.max(1000, options.rigs() * options.loadFactor() + 100)));
        if (influx != null) {
            values.put("--influx-url", influx.url());
        }
        List<String> args = collectorOptions(values, extra, options.collectorArgs());
        log.info("starting collector {} (log {})", name, services.work().resolve(name + ".log"));
        return services.startCollector(name, jvm, args);
    }

    /**
     * The collector's command line: {@code --allow-anonymous}, then the bench's {@code defaults}, each
     * replaced by the same option in {@code extra} (a part's own, as pairs) and then in {@code user}
     * ({@code --collector-args}: pairs, or a flag alone when the next word starts with {@code --}).
     * Every bench rig connects from 127.0.0.1, so unless given, {@code --max-connections-per-address}
     * follows {@code --max-connections}: the per-address limit (100 by default, one host must not
     * take every slot) would close the 10x latency run's rigs and the connections part's.
     */
    static List<String> collectorOptions(Map<String, String> defaults, List<String> extra, List<String> user) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i + 1 < extra.size(); i += 2) {
            values.put(extra.get(i), extra.get(i + 1));
        }
        for (int i = 0; i < user.size(); i++) {
            boolean hasValue = i + 1 < user.size() && !user.get(i + 1).startsWith("--");
            values.put(user.get(i), hasValue ? user.get(++i) : null);
        }
        if (values.get("--max-connections") != null) {
            values.putIfAbsent("--max-connections-per-address", values.get("--max-connections"));
        }
        List<String> args = new ArrayList<>(List.of("--allow-anonymous"));
        values.forEach((option, value) -> {
            args.add(option);
            if (value != null) {
                args.add(value);
            }
        });
        return args;
    }
}

package dev.rigtel.bench;

import dev.rigtel.collector.ingest.MotionPoints;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.MotionSink;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.motion.TakeSummarizer;
import dev.rigtel.collector.store.InfluxOptions;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.LineEncoder;
import dev.rigtel.collector.store.Measurements;
import dev.rigtel.collector.store.SinkException;
import dev.rigtel.simulator.MotionGenerator;
import dev.rigtel.simulator.MotionProfile;
import dev.rigtel.simulator.ShootHistory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a bench run about a whole shoot's length, which take minutes of their own and run
 * only when named ({@code --only history,storage}):
 *
 * <ul>
 *   <li><b>history</b>: a synthetic shoot ({@link ShootHistory}) of a tenth of {@code
 *       --history-days} and then of all of them, each written into InfluxDB; a collector started on
 *       each, its start time (spawn to {@code /health} UP, state restored) and heap after a full GC
 *       compared; then, after that restart, the answers a review asks for: day 1 listed, one of its
 *       takes opened, the matrix of day 60, a wearer's exposure over the whole shoot.
 *   <li><b>storage</b>: hours of raw 1 kHz samples (the simulator's mixed motion, a crystal 20 ppm
 *       fast) and what the collector derives from them written the collector's way into an InfluxDB
 *       that compacts within seconds; once compacted, the bytes on disk per rig-hour of raw samples
 *       and of everything kept for the whole shoot, and what a shooting day and a 120-day shoot
 *       cost.
 * </ul>
 */
final class ShootBench {

    private static final Logger log = LoggerFactory.getLogger(ShootBench.class);

    private final Bench bench;
    private final BenchOptions options;
    private final Services services;
    private final BenchReport report;
    private final HttpClient http = HttpClient.newHttpClient();

    ShootBench(Bench bench, BenchOptions options, Services services, BenchReport report) {
        this.bench = bench;
        this.options = options;
        this.services = services;
        this.report = report;
    }

    // --- history ---------------------------------------------------------------------------

    void history() throws Exception {
        BenchOptions.Shoot shoot = options.shoot();
        String url = services.startInfluxDb("influxdb-history", false);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int full = shoot.historyDays();
        int tenth = Math.max(10, full / 10);
        Bench.Memory[] heap = new Bench.Memory[2];
        long[] startMillis = new long[2];
        int index = 0;
        for (int days : new int[] {tenth, full}) {
            String db = "history_" + days;
            LocalDate first = today.minusDays(days);
            ShootHistory.Result written;
            try (InfluxStore store = new InfluxStore(InfluxOptions.of(url, db, false, Duration.ofSeconds(60)))) {
                store.createDatabase();
                store.createRetentionPolicies();
                log.info(
                        "writing a {}-day shoot of {} takes a day, {} rigs into {}",
                        days,
                        shoot.historyTakes(),
                        shoot.historyRigs(),
                        db);
                written = ShootHistory.write(
                        new ShootHistory.Options(
                                days,
                                shoot.historyTakes(),
                                shoot.historyRigs(),
                                Duration.ofSeconds(30),
                                2,
                                5,
                                1000,
                                first,
                                ZoneOffset.UTC,
                                days),
                        store,
                        2);
            }
            double seconds = written.elapsed().toMillis() / 1000.0;
            report.add(
                    "history",
                    days + "-day shoot written",
                    String.format(
                            Locale.ROOT,
                            "%,d takes, %,d points in %.0f s (%,.0f points/s)",
                            written.takes(),
                            written.points(),
                            seconds,
                            written.points() / seconds));
            long spawned = System.nanoTime();
            Services.Collector collector = bench.startCollector(
                    "history-" + days, db, List.of("--influx-url", url, "--shoot-start", first.toString()));
            awaitUp(collector);
            startMillis[index] = (System.nanoTime() - spawned) / 1_000_000;
            heap[index] = bench.memory(collector);
            report.add("history", "collector start to /health UP, " + days + "-day shoot", startMillis[index] + " ms");
            report.add(
                    "history",
                    "collector heap after full GC, " + days + "-day shoot",
                    String.format(Locale.ROOT, "%.1f MB", heap[index].heapUsed() / 1e6));
            if (days == full) {
                requests(collector, first, days);
            }
            services.stop(collector);
            index++;
        }
        double heapGrowth = heap[1].heapUsed() / heap[0].heapUsed();
        report.add(
                "history",
                "heap, " + full + " days against " + tenth,
                String.format(Locale.ROOT, "x %.2f", heapGrowth),
                "does not grow with the shoot (< x 1.25)",
                heapGrowth < 1.25);
        double startGrowth = (double) startMillis[1] / Math.max(1, startMillis[0]);
        report.add(
                "history",
                "start time, " + full + " days against " + tenth,
                String.format(Locale.ROOT, "x %.2f", startGrowth),
                "does not grow with the shoot (< x 1.5)",
                startGrowth < 1.5);
    }

    /** The review's requests right after a restart: the first answer (cold) and the median of five more. */
    private void requests(Services.Collector collector, LocalDate first, int days) throws Exception {
        String base = "http://127.0.0.1:" + collector.httpPort();
        String listing = "/api/days/" + first + "/takes";
        long[] list = time(base + listing);
        report.add("history", "list day 1 (300 takes), cold / warm", millis(list), "< 200 ms", list[0] < 200);
        String body = get(base + listing);
        int at = body.indexOf("\"id\":\"") + 6;
        String takeId = body.substring(at, body.indexOf('"', at));
        long[] take = time(base + "/api/takes/" + takeId);
        report.add("history", "open one of day 1's takes, cold / warm", millis(take));
        long[] matrix = time(base + "/api/days/" + first.plusDays(Math.min(59, days - 1)) + "/matrix");
        report.add("history", "matrix of day 60 (3,900 cells), cold / warm", millis(matrix));
        String person = URLEncoder.encode(ShootHistory.PEOPLE.get(0), StandardCharsets.UTF_8)
                .replace("+", "%20");
        long[] exposure =
                time(base + "/api/people/" + person + "/exposure?from=" + first + "&to=" + first.plusDays(days - 1));
        report.add(
                "history",
                "one wearer's exposure over the whole shoot, cold / warm",
                millis(exposure),
                "< 2 s",
                exposure[0] < 2000);
    }

    private long[] time(String url) throws Exception {
        long[] out = new long[2];
        long[] warm = new long[5];
        for (int i = -1; i < warm.length; i++) {
            long started = System.nanoTime();
            get(url);
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (i < 0) {
                out[0] = ms;
            } else {
                warm[i] = ms;
            }
        }
        Arrays.sort(warm);
        out[1] = warm[warm.length / 2];
        return out;
    }

    private static String millis(long[] coldWarm) {
        return coldWarm[0] + " / " + coldWarm[1] + " ms";
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", Bench.READ_AUTHORIZATION)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void awaitUp(Services.Collector collector) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String health = "http://127.0.0.1:" + collector.httpPort() + "/health";
        while (System.nanoTime() < deadline) {
            String body = services.get(health);
            if (body != null && body.contains("\"restored\":true")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IOException("the collector was not UP with its state restored within 120 s");
    }

    // --- storage ---------------------------------------------------------------------------

    void storage() throws Exception {
        BenchOptions.Shoot shoot = options.shoot();
        String url = services.startInfluxDb("influxdb-storage", true);
        Path dataDir = services.work().resolve("influxdb-storage");
        int rigs = Math.max(1, (int) Math.ceil(shoot.storageRigHours()));
        long samplesPerRig = Math.round(shoot.storageRigHours() / rigs * 3600 * 1000);
        // The collector's way (float fields in m/s^2 and deg/s), and for comparison the same samples
        // as the sensors' 16-bit counts in integer fields (what a packed wire encoding could store).
        String[] dbs = {"storage", "storage_counts"};
        long[][] points = new long[2][2]; // per db: raw, kept
        long started = System.nanoTime();
        for (int v = 0; v < dbs.length; v++) {
            try (InfluxStore store = new InfluxStore(InfluxOptions.of(url, dbs[v], false, Duration.ofSeconds(60)))) {
                store.createDatabase();
                store.createRetentionPolicies();
                for (int r = 1; r <= rigs; r++) {
                    points[v][0] += writeRig(store, r, samplesPerRig, points[v], v == 1);
                }
            }
        }
        log.info(
                "{} raw samples twice and {} derived points written in {} s; waiting for InfluxDB to compact",
                points[0][0],
                points[0][1],
                (System.nanoTime() - started) / 1_000_000_000L);
        String raw = InfluxOptions.DEFAULT_RAW_RETENTION_POLICY;
        Path data = dataDir.resolve("data");
        Path wal = dataDir.resolve("wal");
        settled(data, wal);
        long rawBytes = size(data.resolve("storage").resolve(raw))
                + size(wal.resolve("storage").resolve(raw));
        long keptBytes = size(data.resolve("storage").resolve("autogen"))
                + size(wal.resolve("storage").resolve("autogen"));
        long countsBytes = size(data.resolve("storage_counts").resolve(raw))
                + size(wal.resolve("storage_counts").resolve(raw));
        long seriesFile = size(data.resolve("storage").resolve("_series"));
        double rigHours = rigs * samplesPerRig / 3_600_000.0;
        double rawPerRigHour = rawBytes / rigHours;
        double keptPerRigHour = keptBytes / rigHours;
        report.add(
                "storage",
                "raw 1 kHz samples on disk",
                String.format(
                        Locale.ROOT,
                        "%.1f MB per rig-hour (%.1f bytes a sample: 6 floats, dev_ns)",
                        rawPerRigHour / 1e6,
                        rawBytes / (double) points[0][0]));
        report.add(
                "storage",
                "rollups, events, summaries on disk",
                String.format(Locale.ROOT, "%.2f MB per rig-hour (%,d points)", keptPerRigHour / 1e6, points[0][1]));
        report.add(
                "storage",
                "the same samples as 16-bit counts (integers), for comparison",
                String.format(
                        Locale.ROOT,
                        "%.1f MB per rig-hour (%.1f bytes a sample)",
                        countsBytes / rigHours / 1e6,
                        countsBytes / (double) points[1][0]));
        report.add(
                "storage",
                "InfluxDB's series file, once per database",
                String.format(Locale.ROOT, "%.0f MB (preallocated)", seriesFile / 1e6));
        double dayHours = shoot.storageDayHours();
        double rawDay = rawPerRigHour * 13 * dayHours;
        double keptDay = keptPerRigHour * 13 * dayHours;
        report.add(
                "storage",
                String.format(Locale.ROOT, "a shooting day, 13 rigs streaming %.0f h", dayHours),
                String.format(Locale.ROOT, "%.1f GB raw + %.2f GB kept", rawDay / 1e9, keptDay / 1e9));
        report.add(
                "storage",
                "a 120-day shoot",
                String.format(
                        Locale.ROOT,
                        "%.0f GB with raw kept; %.0f GB with --raw-retention 30d",
                        (rawDay + keptDay) * 120 / 1e9,
                        (rawDay * 30 + keptDay * 120) / 1e9));
    }

    /**
     * One rig's hours: raw samples, and the rollups, events and 30 s take summaries the collector
     * derives from them. Returns the raw points; adds the derived ones to {@code points[1]}.
     */
    private long writeRig(InfluxStore store, int rig, long samples, long[] points, boolean counts)
            throws SinkException {
        String name = String.format(Locale.ROOT, "rig-%02d", rig);
        // 20 ppm fast, as a real crystal: sample times are not an exact multiple of a millisecond.
        double intervalNanos = 1_000_000 * (1 + 20e-6);
        MotionGenerator generator = new MotionGenerator(rig, rig, MotionProfile.MIXED, 1_000_000);
        long start = LocalDate.now(ZoneOffset.UTC)
                        .minusDays(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toEpochSecond()
                * 1_000_000_000L;
        LineEncoder raw = new LineEncoder(counts ? 0 : 6_000 * 140);
        StringBuilder rawCounts = new StringBuilder(counts ? 6_000 * 140 : 0);
        LineEncoder kept = new LineEncoder(64 * 1024);
        long[] keptPoints = new long[1];
        MotionSink sink = new MotionSink() {
            @Override
            public void rollup(Rollup x) {
                kept.rollup(MotionPoints.rollup(name, x));
                keptPoints[0]++;
            }

            @Override
            public void event(MotionEvent e) {
                kept.motionEvent(MotionPoints.event(name, e));
                keptPoints[0]++;
            }
        };
        // The rig names here need no escaping.
        String countsPrefix = Measurements.IMU + ",rig=" + name + " ax=";
        double[] sample = new double[6];
        TakeSummarizer take = null;
        long takeStart = 0;
        int inBatch = 0;
        for (long i = 0; i < samples; i++) {
            long at = start + Math.round(i * intervalNanos);
            if (i % 30_000 == 0) {
                if (take != null) {
                    kept.takeSummary(MotionPoints.summary(name, "t" + takeStart, takeStart, take.finish(), "bench"));
                    keptPoints[0]++;
                }
                take = new TakeSummarizer(MotionConfig.defaults(), sink);
                takeStart = at;
            }
            generator.sample(i, sample);
            if (counts) {
                countsPoint(rawCounts, countsPrefix, at, sample, i * 1_000_000L);
            } else {
                raw.imu(name, at, sample, 0, i * 1_000_000L);
            }
            take.accept(at, sample[0], sample[1], sample[2], sample[3], sample[4], sample[5]);
            if (++inBatch == 5000) {
                store.write(drain(raw, rawCounts), inBatch);
                inBatch = 0;
                if (kept.length() > 32 * 1024) {
                    store.write(kept.text(), 1);
                    kept.clear();
                }
            }
        }
        if (inBatch > 0) {
            store.write(drain(raw, rawCounts), inBatch);
        }
        if (take != null) {
            kept.takeSummary(MotionPoints.summary(name, "t" + takeStart, takeStart, take.finish(), "bench"));
            keptPoints[0]++;
        }
        if (kept.length() > 0) {
            store.write(kept.text(), 1);
        }
        points[1] += keptPoints[0];
        return samples;
    }

    /** The raw points so far, of whichever of the two holds them, which is then emptied. */
    private static String drain(LineEncoder raw, StringBuilder rawCounts) {
        if (rawCounts.length() > 0) {
            String text = rawCounts.toString();
            rawCounts.setLength(0);
            return text;
        }
        String text = raw.text();
        raw.clear();
        return text;
    }

    /** One sample as a 16-bit sensor reports it: counts at 2048 LSB/g and 16.384 LSB/(deg/s). */
    private static void countsPoint(StringBuilder out, String prefix, long at, double[] v, long deviceNanos) {
        double accelLsb = MotionGenerator.STANDARD_GRAVITY_MPS2 / 2048;
        double gyroLsb = 2000.0 / 32768;
        out.append(prefix).append(Math.round(v[0] / accelLsb)).append('i');
        out.append(",ay=").append(Math.round(v[1] / accelLsb)).append('i');
        out.append(",az=").append(Math.round(v[2] / accelLsb)).append('i');
        out.append(",gx=").append(Math.round(v[3] / gyroLsb)).append('i');
        out.append(",gy=").append(Math.round(v[4] / gyroLsb)).append('i');
        out.append(",gz=").append(Math.round(v[5] / gyroLsb)).append('i');
        out.append(",dev_ns=").append(deviceNanos).append('i');
        out.append(' ').append(at).append('\n');
    }

    /** Waits until InfluxDB has compacted: the files unchanged for 20 s and the WAL empty (at most 10 minutes). */
    private void settled(Path data, Path wal) throws InterruptedException {
        long last = -1;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            long now = size(data) + size(wal);
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(20).toNanos() && size(wal) < 1_000_000) {
                return;
            }
            Thread.sleep(1000);
        }
        log.warn("InfluxDB was still compacting after 10 minutes: the figures may be high");
    }

    private static long size(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Long> sizes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                try {
                    sizes.add(Files.size(p));
                } catch (IOException e) {
                    // compacted away while we looked
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
        return sizes.stream().mapToLong(Long::longValue).sum();
    }
}

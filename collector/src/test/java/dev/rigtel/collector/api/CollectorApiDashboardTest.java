package dev.rigtel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.ingest.IngestResult;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.Publisher;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.ingest.json.ImuBatchJson;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.BrokerMeters;
import dev.rigtel.collector.metrics.IngestMeters;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.MemoryStore;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.takes.SlateLog;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.testing.RecordingCommandOutlet;
import dev.rigtel.collector.testing.SettableClock;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.collector.testing.TestIngest;
import dev.rigtel.collector.timecode.AlignerOptions;
import dev.rigtel.collector.timecode.DeviceClocks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard routes of the HTTP API (series, day matrix, CSV downloads) against the in-memory
 * store ({@link MemoryStore}, which meets the same read contract as InfluxDB: {@code
 * StoreReadsContract}), on a shooting day that went through the real ingest path: slate events and 1
 * kHz IMU batches of two rigs through {@link IngestService}, the write buffer and its spool into the
 * store, rollups and
 * events as they came, and the take summaries written by the ingest tick after each cut.
 *
 * <p>The day, 2026-11-21, UTC, 25 fps: {@value #RIG_A} worn by Dana Brooks and {@value #RIG_B} by Alex
 * Kim from 14:00:00, then by Chris Lee from 14:01:05. Take 42A-1 rolls 14:00:10 to 14:00:40, 42A-2
 * 14:01:00 to 14:01:20. Both rigs send one sample a millisecond from 14:00:00.000 to 14:01:29.999,
 * at rest with y up; {@value #RIG_A} takes a 12 g knock along x at 14:00:20.500 (10 ms half-sine,
 * peak at .505) and turns its head left at 200 deg/s from 14:00:30.000 for 300 ms.
 */
class CollectorApiDashboardTest {

    static final String RIG_A = "rig-41";
    static final String RIG_B = "rig-42";
    static final String DAY = "2026-11-21";
    static final String TAKE_1 = "dash-roll-1";
    static final String TAKE_2 = "dash-roll-2";
    static final Instant T0 = Instant.parse("2026-11-21T14:00:00Z");
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final double G0 = RigMotion.G0;

    @TempDir
    static Path dir;

    private static MemoryStore store;
    /** The store's reads as the API makes them, counted. */
    private static StoreReads reads;

    private static final java.util.concurrent.atomic.AtomicInteger storeReads =
            new java.util.concurrent.atomic.AtomicInteger();
    private static WriteBuffer buffer;
    private static ExecutorService authExecutor;
    private static CollectorApi api;
    private static final WireMapper wire = WireMapper.create();

    static long at(long offsetMillis) {
        return T0.getEpochSecond() * S + offsetMillis * MS;
    }

    /** Sample {@code i} (ms since 14:00:00) of a rig. */
    static double[] sample(String rig, int i) {
        double ax = 0;
        double gy = 0;
        if (rig.equals(RIG_A)) {
            int knock = i - 20_500;
            if (knock >= 0 && knock <= 10) {
                ax = 12 * G0 * Math.sin(Math.PI * knock / 10);
            }
            if (i >= 30_000 && i < 30_300) {
                gy = 200;
            }
        }
        return new double[] {ax, G0, 0, 0, gy, 0};
    }

    @BeforeAll
    static void shootTheDay() throws IOException {
        store = new MemoryStore();
        reads = (StoreReads) java.lang.reflect.Proxy.newProxyInstance(
                StoreReads.class.getClassLoader(), new Class<?>[] {StoreReads.class}, (proxy, method, args) -> {
                    storeReads.incrementAndGet();
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        buffer = new WriteBuffer(
                        store,
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool"))),
                        new WriteBufferOptions(
                                5000, Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofMillis(50)),
                        new StoreMeters(registry))
                .start();
        SettableClock clock = new SettableClock(T0);
        PayloadDecoder decoder = new PayloadDecoder(wire, 4000);
        DeviceClocks clocks = new DeviceClocks(clock, AlignerOptions.defaults());
        TakeHistory takes = new TakeHistory(
                new SlateLog(reads), ZoneOffset.UTC, clock, buffer::storedThrough, TakeHistory.Options.DEFAULTS);
        IngestService ingest = TestIngest.create(
                decoder,
                clocks,
                takes,
                MotionConfig.defaults(),
                ZoneOffset.UTC,
                buffer,
                new IngestMeters(registry),
                clock);
        authExecutor = Executors.newSingleThreadExecutor();
        api = new CollectorApi(
                wire.mapper(),
                decoder,
                ingest,
                takes,
                clocks,
                reads,
                new Authenticator(TestCollector.credentials(dir, 1), authExecutor),
                ZoneOffset.UTC,
                clock,
                MotionConfig.defaults(),
                new RigCommands(
                        wire,
                        new RecordingCommandOutlet(),
                        new InfluxWrites(buffer),
                        new BrokerMeters(registry),
                        clock),
                () -> null);

        Publisher slateApp = new Publisher(new RigId("slate-app"), false, true);
        for (String event : List.of(
                slate(
                        "dash-assign-a",
                        "assign",
                        "14:00:00:00",
                        ",\"rig\":\"" + RIG_A + "\",\"person\":\"Dana Brooks\""),
                slate("dash-assign-b", "assign", "14:00:00:00", ",\"rig\":\"" + RIG_B + "\",\"person\":\"Alex Kim\""),
                slate(TAKE_1, "roll", "14:00:10:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":1"),
                slate("dash-cut-1", "cut", "14:00:40:00", ""),
                slate(TAKE_2, "roll", "14:01:00:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":2"),
                slate("dash-assign-b2", "assign", "14:01:05:00", ",\"rig\":\"" + RIG_B + "\",\"person\":\"Chris Lee\""),
                slate("dash-cut-2", "cut", "14:01:20:00", ""))) {
            assertThat(ingest.accept(slateApp, "rigtel/v1/slate", event.getBytes(StandardCharsets.UTF_8), () -> {}))
                    .isInstanceOf(IngestResult.Accepted.class);
        }
        // Without timecode the last sample of a boot's first batch is anchored at the collector's
        // clock: the first batch ends at 14:00:00.999, so sample i lands on 14:00:00 + i ms.
        clock.set(T0.plusMillis(999));
        for (int n = 0; n < 90; n++) {
            for (String rig : List.of(RIG_A, RIG_B)) {
                int first = n * 1000;
                byte[] batch = imu(n, i -> sample(rig, first + i));
                IngestResult result = ingest.accept(
                        new Publisher(new RigId(rig), true, false), "rigtel/v1/" + rig + "/imu", batch, () -> {});
                assertThat(result).isInstanceOf(IngestResult.Accepted.class);
            }
        }
        clock.set(T0.plusSeconds(95));
        ingest.tick(); // both takes were cut over 3 s ago: their summaries are written
        buffer.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> buffer.queuedPoints() == 0);
    }

    @AfterAll
    static void stop() {
        if (buffer != null) {
            buffer.close();
        }
        if (authExecutor != null) {
            authExecutor.shutdownNow();
        }
    }

    private static String slate(String id, String type, String tc, String extra) {
        return "{\"v\":1,\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"tc\":\"" + tc + "\",\"rate\":\"25\","
                + "\"date\":\"" + DAY + "\"" + extra + "}";
    }

    /** Batch {@code n} of one second at 1 kHz, device time from 1 s. */
    private static byte[] imu(int n, IntFunction<double[]> sample) throws IOException {
        double[][] samples = new double[1000][];
        for (int i = 0; i < 1000; i++) {
            samples[i] = sample.apply(i);
        }
        return wire.writeJson(
                new ImuBatchJson(1, (long) n, "b1", 1_000_000L + n * 1_000_000L, 1_000_000L, null, samples));
    }

    private static ApiResponse get(String path, String... params) {
        Map<String, List<String>> query = new HashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            query.put(params[i], List.of(params[i + 1]));
        }
        return api.handle(new ApiRequest("GET", path, query, new byte[0], Optional.empty()));
    }

    private static JsonNode json(ApiResponse response) throws IOException {
        assertThat(response.contentType()).isEqualTo("application/json");
        return wire.mapper().readTree(response.body());
    }

    private static JsonNode ok(String path, String... params) throws IOException {
        ApiResponse response = get(path, params);
        assertThat(response.status()).as(path + ": " + text(response)).isEqualTo(200);
        return json(response);
    }

    private static String text(ApiResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    // --- series ---

    @Test
    void aShortWindowIsAnsweredWithTheRawSamplesInTheirStoredUnits() throws IOException {
        JsonNode series = ok(
                "/api/takes/" + TAKE_1 + "/series",
                "rig",
                RIG_A,
                "from_ns",
                Long.toString(at(20_490)),
                "to_ns",
                Long.toString(at(20_530)));

        assertThat(fields(series))
                .containsExactly(
                        "take_id",
                        "rig",
                        "raw_kept",
                        "resolution",
                        "bucket_ms",
                        "from_ns",
                        "to_ns",
                        "t_ns",
                        "accel_g",
                        "ax_mps2",
                        "ay_mps2",
                        "az_mps2",
                        "gx_dps",
                        "gy_dps",
                        "gz_dps");
        assertThat(series.get("take_id").asText()).isEqualTo(TAKE_1);
        assertThat(series.get("rig").asText()).isEqualTo(RIG_A);
        assertThat(series.get("resolution").asText()).isEqualTo("raw");
        assertThat(series.get("bucket_ms").isNull()).isTrue();
        assertThat(series.get("from_ns").asLong()).isEqualTo(at(20_490));
        assertThat(series.get("to_ns").asLong()).isEqualTo(at(20_530));
        List<Long> t = longs(series.get("t_ns"));
        assertThat(t).hasSize(40);
        for (int k = 0; k < 40; k++) {
            assertThat(t.get(k)).isEqualTo(at(20_490 + k)); // exact to the nanosecond
        }
        // Sample 15 of the window is the knock's peak, 14:00:20.505: 12 g along x, 1 g along y.
        assertThat(series.get("ax_mps2").get(15).asDouble()).isCloseTo(12 * G0, within(1e-9));
        assertThat(series.get("ay_mps2").get(15).asDouble()).isCloseTo(G0, within(1e-9));
        assertThat(series.get("accel_g").get(15).asDouble()).isCloseTo(Math.sqrt(145), within(1e-9));
        assertThat(series.get("accel_g").get(0).asDouble()).isCloseTo(1.0, within(1e-9));
        for (String axis : List.of("az_mps2", "gx_dps", "gy_dps", "gz_dps")) {
            assertThat(series.get(axis)).as(axis).hasSize(40);
            assertThat(series.get(axis).get(15).asDouble()).as(axis).isZero();
        }
    }

    @Test
    void rawSamplesAreAnsweredUpToMaxPointsAndRollupsAbove() throws IOException {
        String from = Long.toString(at(12_000));
        JsonNode ten = ok(
                "/api/takes/" + TAKE_1 + "/series",
                "rig",
                RIG_A,
                "from_ns",
                from,
                "to_ns",
                Long.toString(at(12_010)),
                "max_points",
                "10");
        assertThat(ten.get("resolution").asText()).isEqualTo("raw");
        assertThat(ten.get("t_ns")).hasSize(10);

        JsonNode eleven = ok(
                "/api/takes/" + TAKE_1 + "/series",
                "rig",
                RIG_A,
                "from_ns",
                from,
                "to_ns",
                Long.toString(at(12_011)),
                "max_points",
                "10");
        assertThat(eleven.get("resolution").asText()).isEqualTo("rollup");
        assertThat(eleven.get("bucket_ms").asInt()).isEqualTo(1000);
        // The second the window lies in, stamped with its start.
        assertThat(longs(eleven.get("t_ns"))).containsExactly(at(12_000));
    }

    @Test
    void aWholeTakeIsAnsweredWithItsOneSecondRollups() throws IOException {
        JsonNode series = ok("/api/takes/" + TAKE_1 + "/series", "rig", RIG_A);

        assertThat(fields(series))
                .containsExactly(
                        "take_id",
                        "rig",
                        "raw_kept",
                        "resolution",
                        "bucket_ms",
                        "from_ns",
                        "to_ns",
                        "t_ns",
                        "accel_peak_g",
                        "accel_rms_g",
                        "gyro_peak_dps",
                        "gyro_rms_dps");
        assertThat(series.get("resolution").asText()).isEqualTo("rollup");
        assertThat(series.get("bucket_ms").asInt()).isEqualTo(1000);
        assertThat(series.get("from_ns").asLong()).isEqualTo(at(10_000));
        assertThat(series.get("to_ns").asLong()).isEqualTo(at(40_000));
        List<Long> t = longs(series.get("t_ns"));
        assertThat(t).hasSize(30);
        for (int k = 0; k < 30; k++) {
            assertThat(t.get(k)).isEqualTo(at(10_000 + k * 1000L));
        }
        // The seconds stored in imu_1s, as the same figures.
        List<StoreReads.Rollup> stored = store.rollups(RIG_A, at(10_000), at(40_000));
        assertThat(stored).hasSize(30);
        for (int k = 0; k < 30; k++) {
            assertThat(series.get("accel_peak_g").get(k).asDouble())
                    .isEqualTo(stored.get(k).accelPeakG());
            assertThat(series.get("accel_rms_g").get(k).asDouble())
                    .isEqualTo(stored.get(k).accelRmsG());
            assertThat(series.get("gyro_peak_dps").get(k).asDouble())
                    .isEqualTo(stored.get(k).gyroPeakDps());
            assertThat(series.get("gyro_rms_dps").get(k).asDouble())
                    .isEqualTo(stored.get(k).gyroRmsDps());
        }
        assertThat(series.get("accel_peak_g").get(10).asDouble()).isCloseTo(Math.sqrt(145), within(1e-9));
        assertThat(series.get("gyro_peak_dps").get(20).asDouble()).isCloseTo(200, within(1e-6));
        assertThat(series.get("accel_peak_g").get(0).asDouble()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void moreSecondsThanMaxPointsAreBucketedMaxOfPeaksMeanOfRms() throws IOException {
        JsonNode seconds = ok("/api/takes/" + TAKE_1 + "/series", "rig", RIG_A);
        JsonNode series = ok("/api/takes/" + TAKE_1 + "/series", "rig", RIG_A, "max_points", "10");

        assertThat(series.get("resolution").asText()).isEqualTo("bucket");
        long bucketMs = series.get("bucket_ms").asLong();
        assertThat(bucketMs % 1000).isZero();
        List<Long> t = longs(series.get("t_ns"));
        assertThat(t).isNotEmpty().hasSizeLessThanOrEqualTo(10);
        long bucket = bucketMs * MS;
        // The smallest whole-second bucket that fits: one second less would make more than 10.
        assertThat(TakeSeries.buckets(at(10_000), at(40_000), bucket)).isLessThanOrEqualTo(10);
        assertThat(TakeSeries.buckets(at(10_000), at(40_000), bucket - S)).isGreaterThan(10);
        for (int k = 0; k < t.size(); k++) {
            long start = t.get(k);
            assertThat(start % bucket).isZero(); // aligned to the epoch, as InfluxDB groups
            double peak = 0;
            double rmsSum = 0;
            int n = 0;
            for (int s = 0; s < seconds.get("t_ns").size(); s++) {
                long second = seconds.get("t_ns").get(s).asLong();
                if (second >= start && second < start + bucket) {
                    peak = Math.max(peak, seconds.get("accel_peak_g").get(s).asDouble());
                    rmsSum += seconds.get("accel_rms_g").get(s).asDouble();
                    n++;
                }
            }
            assertThat(n).as("seconds in bucket %d", k).isPositive();
            assertThat(series.get("accel_peak_g").get(k).asDouble()).isCloseTo(peak, within(1e-12));
            assertThat(series.get("accel_rms_g").get(k).asDouble()).isCloseTo(rmsSum / n, within(1e-12));
        }
        double largest = 0;
        for (JsonNode p : series.get("accel_peak_g")) {
            largest = Math.max(largest, p.asDouble());
        }
        assertThat(largest).isCloseTo(Math.sqrt(145), within(1e-9));
    }

    @Test
    void aWindowIsClippedToTheTake() throws IOException {
        JsonNode series = ok(
                "/api/takes/" + TAKE_1 + "/series",
                "rig",
                RIG_B,
                "from_ns",
                Long.toString(at(0)),
                "to_ns",
                Long.toString(at(10_005)));

        assertThat(series.get("from_ns").asLong()).isEqualTo(at(10_000));
        assertThat(series.get("to_ns").asLong()).isEqualTo(at(10_005));
        assertThat(longs(series.get("t_ns")))
                .containsExactly(at(10_000), at(10_001), at(10_002), at(10_003), at(10_004));
    }

    @Test
    void badSeriesParametersAreAnswered400AndUnknownTakesOrRigs404() throws IOException {
        String path = "/api/takes/" + TAKE_1 + "/series";
        Map<String, String[]> bad = new java.util.LinkedHashMap<>();
        bad.put("rig is required", new String[] {});
        bad.put("invalid rig id", new String[] {"rig", "rig 41"});
        bad.put("max_points must be an integer 10..20000, got '9'", new String[] {"rig", RIG_A, "max_points", "9"});
        bad.put(
                "max_points must be an integer 10..20000, got '20001'",
                new String[] {"rig", RIG_A, "max_points", "20001"});
        bad.put("max_points must be an integer 10..20000, got 'lots'", new String[] {"rig", RIG_A, "max_points", "lots"
        });
        bad.put("from_ns must be an integer of nanoseconds", new String[] {"rig", RIG_A, "from_ns", "14:00:20"});
        bad.put(
                "from_ns must be before to_ns",
                new String[] {"rig", RIG_A, "from_ns", Long.toString(at(20_000)), "to_ns", Long.toString(at(20_000))});
        bad.put(
                "is outside take 42A-1",
                new String[] {"rig", RIG_A, "from_ns", Long.toString(at(50_000)), "to_ns", Long.toString(at(60_000))});
        for (Map.Entry<String, String[]> c : bad.entrySet()) {
            ApiResponse response = get(path, c.getValue());
            assertThat(response.status()).as(c.getKey()).isEqualTo(400);
            assertThat(json(response).get("error").asText()).as(c.getKey()).contains(c.getKey());
        }

        ApiResponse noTake = get("/api/takes/no-such-take/series", "rig", RIG_A);
        assertThat(noTake.status()).isEqualTo(404);
        ApiResponse noSamples = get(path, "rig", "rig-99");
        assertThat(noSamples.status()).isEqualTo(404);
        assertThat(json(noSamples).get("error").asText()).isEqualTo("rig rig-99 has no samples in take 42A-1");
    }

    // --- day matrix ---

    @Test
    void theDayMatrixHasTheTakesTheirWearersAndACellPerTakeAndRig() throws IOException {
        JsonNode matrix = ok("/api/days/" + DAY + "/matrix");

        assertThat(fields(matrix)).containsExactly("date", "takes", "people", "cells");
        assertThat(matrix.get("date").asText()).isEqualTo(DAY);
        JsonNode takes = matrix.get("takes");
        assertThat(takes).hasSize(2);
        assertThat(fields(takes.get(0)))
                .containsExactly("id", "name", "scene", "shot", "take", "start_ns", "end_ns", "start_tc");
        assertThat(takes.findValuesAsText("id")).containsExactly(TAKE_1, TAKE_2);
        assertThat(takes.findValuesAsText("name")).containsExactly("42A-1", "42A-2");
        assertThat(takes.get(0).get("start_ns").asLong()).isEqualTo(at(10_000));
        assertThat(takes.get(0).get("end_ns").asLong()).isEqualTo(at(40_000));
        assertThat(takes.get(1).get("start_tc").asText()).isEqualTo("14:01:00:00");
        assertThat(takes.get(1).get("take").asInt()).isEqualTo(2);
        // Alex Kim wore rig-42 when take 2 rolled (Chris Lee took it over 5 s in): the cell is Alex's,
        // as a wearer's exposure counts it.
        assertThat(matrix.get("people").toString()).isEqualTo("[\"Alex Kim\",\"Dana Brooks\"]");

        JsonNode cells = matrix.get("cells");
        assertThat(cells).hasSize(4);
        List<String> who = new ArrayList<>();
        for (JsonNode cell : cells) {
            who.add(cell.get("take_id").asText() + " " + cell.get("rig").asText() + " "
                    + cell.get("person").asText());
        }
        assertThat(who)
                .containsExactly(
                        TAKE_1 + " " + RIG_A + " Dana Brooks",
                        TAKE_1 + " " + RIG_B + " Alex Kim",
                        TAKE_2 + " " + RIG_A + " Dana Brooks",
                        TAKE_2 + " " + RIG_B + " Alex Kim");
        Set<String> expected = new LinkedHashSet<>(List.of("take_id", "rig", "person", "source"));
        expected.addAll(TakeSummaries.METRICS);
        for (JsonNode cell : cells) {
            assertThat(fields(cell)).containsExactlyElementsOf(expected);
        }
        JsonNode knocked = cells.get(0);
        assertThat(knocked.get("source").asText()).isEqualTo("live");
        assertThat(knocked.get("samples").isIntegralNumber()).isTrue();
        assertThat(knocked.get("samples").asLong()).isEqualTo(30_000);
        assertThat(knocked.get("impacts").asInt()).isEqualTo(1);
        assertThat(knocked.get("head_turns").asInt()).isEqualTo(1);
        assertThat(knocked.get("peak_g").asDouble()).isCloseTo(Math.sqrt(145), within(1e-9));
        assertThat(knocked.get("msdv").isNumber()).isTrue();
        assertThat(cells.get(1).get("impacts").asInt()).isZero();
        assertThat(cells.get(1).get("head_turns").asInt()).isZero();

        // The same figures as the take's summary route.
        for (JsonNode cell : cells) {
            JsonNode summary = ok("/api/takes/" + cell.get("take_id").asText() + "/summary")
                    .get("rigs")
                    .get(cell.get("rig").asText());
            for (String metric : TakeSummaries.METRICS) {
                if (summary.has(metric)) {
                    assertThat(cell.get(metric).asDouble())
                            .as(metric)
                            .isEqualTo(summary.get(metric).asDouble());
                } else {
                    assertThat(cell.get(metric).isNull()).as(metric).isTrue();
                }
            }
        }
    }

    /**
     * One read of the store for the whole day, whatever its number of takes; that one read is one
     * InfluxDB request is {@code InfluxReadsContractIT}'s to show.
     */
    @Test
    void theDayMatrixIsOneStoreReadWhateverTheNumberOfTakes() throws IOException {
        long matrix = readsDuring(
                () -> assertThat(get("/api/days/" + DAY + "/matrix").status()).isEqualTo(200));
        long summaries = readsDuring(() -> {
            assertThat(get("/api/takes/" + TAKE_1 + "/summary").status()).isEqualTo(200);
            assertThat(get("/api/takes/" + TAKE_2 + "/summary").status()).isEqualTo(200);
        });

        assertThat(matrix).isEqualTo(1);
        assertThat(summaries).isEqualTo(2); // the counter counts what it should
    }

    /** Reads of the store made while {@code action} ran. */
    private static long readsDuring(Runnable action) {
        long before = storeReads.get();
        action.run();
        return storeReads.get() - before;
    }

    @Test
    void theShootsExposureCountsEachWearersTakesPerDayWeekAndRollingWeekInTwoStoreReads() throws IOException {
        long[] reads = new long[1];
        JsonNode[] answer = new JsonNode[1];
        reads[0] = readsDuring(() -> {
            try {
                answer[0] = ok("/api/shoot/exposure", "from", "2026-11-15", "to", "2026-11-27", "impact_limit", "0");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode shoot = answer[0];

        assertThat(reads[0]).isEqualTo(2);
        assertThat(shoot.get("limits").get("impacts_7d").asInt()).isZero();
        assertThat(shoot.get("people").findValuesAsText("person")).containsExactly("Alex Kim", "Dana Brooks");
        JsonNode dana = shoot.get("people").get(1);
        assertThat(dana.get("total").get("takes").asInt()).isEqualTo(2);
        assertThat(dana.get("total").get("impacts").asInt()).isEqualTo(1);
        assertThat(dana.get("total").get("head_turns").asInt()).isEqualTo(1);
        assertThat(dana.get("total").get("peak_g").asDouble()).isCloseTo(Math.sqrt(145), within(1e-9));
        JsonNode days = dana.get("days");
        assertThat(days).hasSize(13);
        // The knock on the 21st stays in the rolling 7 days up to the 27th, over the limit of 0.
        assertThat(days.get(5).get("rolling7").get("impacts").asInt()).isZero();
        assertThat(days.get(6).get("date").asText()).isEqualTo(DAY);
        assertThat(days.get(6).get("day").get("impacts").asInt()).isEqualTo(1);
        assertThat(days.get(12).get("rolling7").get("impacts").asInt()).isEqualTo(1);
        assertThat(days.get(12).get("over_limit").asBoolean()).isTrue();
        assertThat(dana.get("days_over_limit").asInt()).isEqualTo(7);
        assertThat(dana.get("weeks").findValuesAsText("week")).containsExactly("2026-W46", "2026-W47", "2026-W48");
        assertThat(dana.get("weeks").get(1).get("figures").get("takes").asInt()).isEqualTo(2);

        JsonNode otherScene = ok("/api/shoot/exposure", "from", DAY, "to", DAY, "scene", "43");
        assertThat(otherScene.get("people")).isEmpty();
        JsonNode scene = ok("/api/shoot/exposure", "from", DAY, "to", DAY, "scene", "42", "stunt", "false");
        assertThat(scene.get("people")).hasSize(2);
        assertThat(scene.get("stunt").get("applied").asBoolean()).isTrue();
        // No take of the day was rolled as a stunt.
        assertThat(ok("/api/shoot/exposure", "from", DAY, "to", DAY, "scene", "42", "stunt", "true")
                        .get("people"))
                .isEmpty();
        assertThat(get("/api/shoot/exposure", "from", DAY, "to", "2026-11-20").status())
                .isEqualTo(400);
    }

    @Test
    void aDayWithoutTakesIsAnEmptyMatrixAndABadDateA400() throws IOException {
        JsonNode empty = ok("/api/days/2026-11-22/matrix");
        assertThat(empty.toString()).isEqualTo("{\"date\":\"2026-11-22\",\"takes\":[],\"people\":[],\"cells\":[]}");

        ApiResponse bad = get("/api/days/21-11-2026/matrix");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).isEqualTo("dates are YYYY-MM-DD");
    }

    // --- downloads ---

    @Test
    void summaryCsvHasARowPerRigWithTheWearerAndEveryFigure() throws IOException {
        ApiResponse response = get("/api/takes/" + TAKE_2 + "/summary.csv");

        assertThat(response.status()).as(text(response)).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(response.headers())
                .containsEntry("Content-Disposition", "attachment; filename=\"42A-2_dash-roll-2_summary.csv\"");
        List<String> lines = text(response).lines().toList();
        assertThat(text(response)).endsWith("\r\n");
        assertThat(lines.get(0))
                .isEqualTo("take_id,take_name,rig,person,source,duration_s,samples,peak_g,peak_dps,"
                        + "peak_ang_accel_rads2,impacts,max_hic15,head_turns,whip_pans,msdv_mps1.5,"
                        + "weighted_rms_mps2,share_above_30dps_0to1,viewer_comfort_0to100,above_3g_s");
        assertThat(lines).hasSize(3);
        JsonNode summary = ok("/api/takes/" + TAKE_2 + "/summary").get("rigs");
        List<String> header = List.of(lines.get(0).split(","));
        for (String line : lines.subList(1, 3)) {
            String[] cells = line.split(",", -1);
            assertThat(cells).hasSize(header.size());
            assertThat(cells[0]).isEqualTo(TAKE_2);
            assertThat(cells[1]).isEqualTo("42A-2");
            assertThat(cells[3]).isEqualTo(cells[2].equals(RIG_A) ? "Dana Brooks" : "Alex Kim");
            assertThat(cells[4]).isEqualTo("live");
            JsonNode rig = summary.get(cells[2]);
            for (int i = 5; i < header.size(); i++) {
                String metric = TakeSummaries.METRICS.get(i - 5);
                if (rig.has(metric)) {
                    assertThat(Double.parseDouble(cells[i]))
                            .as(header.get(i))
                            .isEqualTo(rig.get(metric).asDouble());
                } else {
                    assertThat(cells[i]).as(header.get(i)).isEmpty();
                }
            }
        }
        assertThat(lines.get(1)).startsWith(TAKE_2 + ",42A-2," + RIG_A + ",Dana Brooks,live,20.0,20000,");
    }

    @Test
    void samplesCsvHasEverySampleOfTheRigInTheTakeWithTimeTimecodeAndUnits() throws IOException {
        ApiResponse response = get("/api/takes/" + TAKE_1 + "/samples.csv", "rig", RIG_A);

        assertThat(response.status()).as(text(response)).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(response.headers())
                .containsEntry("Content-Disposition", "attachment; filename=\"42A-1_dash-roll-1_rig-41_samples.csv\"");
        List<String> lines = text(response).lines().toList();
        assertThat(lines.get(0)).isEqualTo("time_utc,timecode,ax_mps2,ay_mps2,az_mps2,gx_dps,gy_dps,gz_dps");
        assertThat(lines).hasSize(1 + 30_000);
        assertThat(lines.get(1)).isEqualTo("2026-11-21T14:00:10.000000000Z,14:00:10:00,0.0," + G0 + ",0.0,0.0,0.0,0.0");
        // 14:00:20.505: the knock's peak, in frame 12 of its second (40 ms frames at 25 fps).
        assertThat(lines.get(1 + 10_505))
                .isEqualTo("2026-11-21T14:00:20.505000000Z,14:00:20:12," + 12 * G0 + "," + G0 + ",0.0,0.0,0.0,0.0");
        assertThat(lines.get(1 + 20_000)).startsWith("2026-11-21T14:00:30.000000000Z,14:00:30:00,");
        assertThat(lines.get(1 + 20_000)).endsWith(",0.0,200.0,0.0");
        assertThat(lines.get(30_000)).startsWith("2026-11-21T14:00:39.999000000Z,14:00:39:24,");
    }

    @Test
    void samplesCsvTakesAWindowAndRefusesWhatItCannotAnswer() throws IOException {
        ApiResponse window = get(
                "/api/takes/" + TAKE_2 + "/samples.csv",
                "rig",
                RIG_B,
                "from_ns",
                Long.toString(at(61_000)),
                "to_ns",
                Long.toString(at(61_003)));
        assertThat(text(window).lines().toList())
                .containsExactly(
                        "time_utc,timecode,ax_mps2,ay_mps2,az_mps2,gx_dps,gy_dps,gz_dps",
                        "2026-11-21T14:01:01.000000000Z,14:01:01:00,0.0," + G0 + ",0.0,0.0,0.0,0.0",
                        "2026-11-21T14:01:01.001000000Z,14:01:01:00,0.0," + G0 + ",0.0,0.0,0.0,0.0",
                        "2026-11-21T14:01:01.002000000Z,14:01:01:00,0.0," + G0 + ",0.0,0.0,0.0,0.0");

        assertThat(get("/api/takes/" + TAKE_1 + "/samples.csv").status()).isEqualTo(400);
        ApiResponse none = get("/api/takes/" + TAKE_1 + "/samples.csv", "rig", "rig-99");
        assertThat(none.status()).isEqualTo(404);
        assertThat(json(none).get("error").asText()).startsWith("rig rig-99 has no raw samples in take 42A-1 (");
        assertThat(get("/api/takes/no-such-take/samples.csv", "rig", RIG_A).status())
                .isEqualTo(404);
        assertThat(get("/api/takes/no-such-take/summary.csv").status()).isEqualTo(404);
    }

    @Test
    void cutCandidateDownloadsAreAttachmentsNamedAfterTheTake() throws IOException {
        Map<String, String> types = Map.of(
                "edl", "text/plain; charset=utf-8",
                "resolve.edl", "text/plain; charset=utf-8",
                "fcpxml", "application/xml; charset=utf-8",
                "txt", "text/plain; charset=utf-8",
                "csv", "text/csv; charset=utf-8");
        for (Map.Entry<String, String> type : types.entrySet()) {
            ApiResponse response = get("/api/takes/" + TAKE_1 + "/cuts." + type.getKey());

            assertThat(response.status()).as(text(response)).isEqualTo(200);
            assertThat(response.contentType()).as(type.getKey()).isEqualTo(type.getValue());
            assertThat(response.headers())
                    .as(type.getKey())
                    .containsEntry(
                            "Content-Disposition",
                            "attachment; filename=\"42A-1_dash-roll-1_cuts." + type.getKey() + "\"");
        }
        assertThat(text(get("/api/takes/" + TAKE_1 + "/cuts.csv")))
                .startsWith("take,timecode,onset_utc,rig,wearer,type,direction,peak_dps,angle_deg\r\n42A-1,");
    }

    @Test
    void aBadEscapeInAPathSegmentIsAnswered400() {
        ApiResponse response = get("/api/takes/44A%zz/series");
        assertThat(response.status()).isEqualTo(400);
        assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("malformed path segment");
    }

    @Test
    void samplesCsvOverItsRowLimitIsA413ThatSaysWhatToDo() throws Exception {
        // The same route with a limit of 1000 rows: take 1 has 30,000 samples of the rig.
        TakeDownloads small = new TakeDownloads(1000);

        ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(
                ApiException.class,
                () -> small.samplesCsv(
                        reads,
                        takeOne(),
                        new ApiRequest("GET", "/", Map.of("rig", List.of(RIG_A)), new byte[0], Optional.empty()),
                        at(40_000),
                        ZoneOffset.UTC));
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.getMessage())
                .isEqualTo("take 42A-1 has 30000 samples of rig-41 in that range; samples.csv holds at most 1000"
                        + " rows (it is built in memory): ask for parts with from_ns and to_ns");
    }

    private static dev.rigtel.collector.takes.Take takeOne() throws Exception {
        dev.rigtel.collector.takes.TakeBook book = new dev.rigtel.collector.takes.TakeBook();
        PayloadDecoder decoder = new PayloadDecoder(wire, 4000);
        book.add(decoder.slate(
                slate(TAKE_1, "roll", "14:00:10:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":1")
                        .getBytes(StandardCharsets.UTF_8),
                T0,
                ZoneOffset.UTC,
                true));
        book.add(decoder.slate(
                slate("dash-cut-1", "cut", "14:00:40:00", "").getBytes(StandardCharsets.UTF_8),
                T0,
                ZoneOffset.UTC,
                true));
        return book.take(TAKE_1).orElseThrow();
    }
}

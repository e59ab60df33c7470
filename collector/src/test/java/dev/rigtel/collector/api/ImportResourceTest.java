package dev.rigtel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.imports.ImportService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.json.WireMapper;
import dev.rigtel.collector.metrics.ImportMeters;
import dev.rigtel.collector.metrics.MeterCatalog;
import dev.rigtel.collector.metrics.StoreMeters;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.RigMotion;
import dev.rigtel.collector.store.InfluxWrites;
import dev.rigtel.collector.store.MemoryStore;
import dev.rigtel.collector.store.PointBatch;
import dev.rigtel.collector.store.PointSink;
import dev.rigtel.collector.store.Spool;
import dev.rigtel.collector.store.SpoolOptions;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.StoreWrites;
import dev.rigtel.collector.store.WriteBuffer;
import dev.rigtel.collector.store.WriteBufferOptions;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.testing.SettableClock;
import dev.rigtel.collector.testing.TestCollector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/import} and {@code GET /api/import/{clip}} over the real write path (spool, write
 * buffer) into a {@link MemoryStore}, with a real take book and authenticator.
 */
class ImportResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate DAY = LocalDate.of(2026, 3, 14);
    private static final long S = 1_000_000_000L;
    private static final long MIDNIGHT = DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * S;
    /** 14:00:05, five seconds before the roll. */
    private static final long CLIP_START = MIDNIGHT + (14 * 3600 + 5) * S;

    private static final int RATE_HZ = 200;
    private static final int SAMPLES = 40 * RATE_HZ;
    private static final String IMPORTER = authorization("dit", "cart");
    private static final String VIEWER = authorization("viewer", "pw-viewer");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MemoryStore store = new MemoryStore();
    private final List<String> written = new ArrayList<>();
    /** Set to hold batches of imported points before they go to the spool. */
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();

    private WriteBuffer buffer;
    private ExecutorService auth;
    private CollectorApi api;

    @BeforeEach
    void setUp() throws Exception {
        PointSink sink = (lines, points) -> {
            synchronized (written) {
                written.add(lines);
            }
            store.write(lines, points);
        };
        buffer = new WriteBuffer(
                        sink,
                        Spool.open(SpoolOptions.defaults(dir.resolve("spool"))),
                        new WriteBufferOptions(
                                5000, Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofMillis(50)),
                        new StoreMeters(registry))
                .start();
        SettableClock clock = new SettableClock(Instant.ofEpochSecond(MIDNIGHT / S + 15 * 3600));
        TakeHistory takes = TakeHistory.inMemory(ZoneOffset.UTC, clock);
        WireMapper wire = WireMapper.create();
        PayloadDecoder decoder = new PayloadDecoder(wire, 4000);
        long sequence = 0;
        for (String event : List.of(
                slate("assign-1", "assign", "13:00:00:00", ",\"rig\":\"rig-01\",\"person\":\"Dana Brooks\""),
                slate("roll-1", "roll", "14:00:10:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":3"),
                slate("cut-1", "cut", "14:00:40:00", ""))) {
            takes.add(
                    decoder.slate(event.getBytes(StandardCharsets.UTF_8), clock.instant(), ZoneOffset.UTC, true),
                    ++sequence);
        }
        Path credentials = TestCollector.credentials(dir, 1);
        TestCollector.addUser(credentials, "dit", Role.IMPORT, "cart");
        auth = Executors.newSingleThreadExecutor();
        StoreWrites writes = gated(new InfluxWrites(buffer));
        api = new CollectorApi(
                wire.mapper(),
                decoder,
                null,
                takes,
                null,
                store,
                new Authenticator(credentials, auth),
                ZoneOffset.UTC,
                clock,
                MotionConfig.defaults(),
                null,
                () -> null,
                new ImportService(writes, store, takes, MotionConfig.defaults(), ZoneOffset.UTC),
                new ImportMeters(registry));
    }

    @AfterEach
    void tearDown() {
        buffer.close();
        auth.shutdownNow();
    }

    @Test
    void storesAClipOnTheRigWithSourceGoproAndRunsTheAnalytics() throws Exception {
        JsonNode last = importClip("C1_GX010042_14-00-05-00", 1000);

        assertThat(last.get("samples").asLong()).isEqualTo(SAMPLES);
        assertThat(last.get("complete").asBoolean()).isTrue();
        assertThat(last.get("timezone").asText()).isEqualTo("Z");
        JsonNode take = last.get("takes").get(0);
        assertThat(take.get("takeId").asText()).isEqualTo("roll-1");
        assertThat(take.get("name").asText()).isEqualTo("42A-3");
        assertThat(take.get("wearer").asText()).isEqualTo("Dana Brooks");
        assertThat(take.get("samples").asLong()).isEqualTo(30L * RATE_HZ);
        assertThat(take.get("summary").asText()).isEqualTo("stored");

        long end = CLIP_START + 40 * S;
        awaitStored();
        assertThat(store.imuCount("rig-01", CLIP_START, end)).isEqualTo(SAMPLES);
        String imu = lines("imu,");
        assertThat(imu).contains("imu,rig=rig-01,source=gopro ax=").doesNotContain("imu,rig=rig-01 ");
        assertThat(lines("imu_1s,")).contains("imu_1s,rig=rig-01,source=gopro ");
        assertThat(store.rollupCount("rig-01", CLIP_START, end)).isEqualTo(40);
        List<StoreReads.MotionEventRow> events =
                store.motionEvents(CLIP_START, end, List.of("clipping", "head-turn", "whip-pan"));
        assertThat(events).extracting(StoreReads.MotionEventRow::type).contains("clipping", "head-turn");
        assertThat(store.summaries(CLIP_START, end)).singleElement().satisfies(s -> {
            assertThat(s.takeId()).isEqualTo("roll-1");
            assertThat(s.rig()).isEqualTo("rig-01");
            assertThat(s.source()).isEqualTo("gopro");
            assertThat(s.figures().get("head_turns").intValue()).isEqualTo(1);
        });

        JsonNode progress = body(get("/api/import/C1_GX010042_14-00-05-00"));
        assertThat(progress.get("samples").asLong()).isEqualTo(SAMPLES);
        assertThat(progress.get("complete").asBoolean()).isTrue();
        assertThat(counter("ok")).isEqualTo(8);
        assertThat(registry.get(MeterCatalog.IMPORT_SAMPLES).counter().count()).isEqualTo(SAMPLES);
    }

    @Test
    void theTakeListsItsImportedClipsServesTheCameraTraceAndMarksCameraCutCandidates() throws Exception {
        importClip("C1_GX010042_14-00-05-00", 1000);
        awaitStored();

        JsonNode clips = body(get("/api/takes/roll-1/clips")).get("clips");
        assertThat(clips).hasSize(1);
        JsonNode clip = clips.get(0);
        assertThat(clip.get("clip").asText()).isEqualTo("C1_GX010042_14-00-05-00");
        assertThat(clip.get("rig").asText()).isEqualTo("rig-01");
        assertThat(clip.get("wearer").asText()).isEqualTo("Dana Brooks");
        assertThat(clip.get("samples").asLong()).isEqualTo(30L * RATE_HZ);
        assertThat(clip.get("first_ns").asLong()).isLessThan(clip.get("last_ns").asLong());

        JsonNode camera = body(api.handle(new ApiRequest(
                "GET",
                "/api/takes/roll-1/series",
                Map.of("rig", List.of("rig-01"), "source", List.of("gopro")),
                new byte[0],
                Optional.of(VIEWER))));
        assertThat(camera.get("source").asText()).isEqualTo("gopro");
        assertThat(camera.get("t_ns").size()).isGreaterThan(0);
        ApiResponse board = api.handle(new ApiRequest(
                "GET",
                "/api/takes/roll-1/series",
                Map.of("rig", List.of("rig-01"), "source", List.of("rig")),
                new byte[0],
                Optional.of(VIEWER)));
        assertThat(board.status()).isEqualTo(404);

        String csv = new String(get("/api/takes/roll-1/cuts.csv").body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(csv).startsWith("take,timecode,onset_utc,rig,wearer,type,direction,peak_dps,angle_deg,source\r\n");
        assertThat(csv).contains(",camera\r\n");
    }

    @Test
    void reImportingStoresEachPointOnce() throws Exception {
        importClip("C1_GX010042", 1000);
        awaitStored();
        int points = store.points();

        // The same clip again, whole: the collector has it, nothing is added.
        importClip("C1_GX010042", 1000);
        // And as another clip id (the collector has forgotten it): the same points, overwritten.
        importClip("C1_GX010042-again", 700);
        awaitStored();

        assertThat(store.points()).isEqualTo(points);
        assertThat(counter("duplicate")).isEqualTo(8);
    }

    @Test
    void resumesAnInterruptedImportFromTheCollectorsProgress() throws Exception {
        post(IMPORTER, batch("C2", 0, 3000, false));
        assertThat(body(get("/api/import/C2")).get("samples").asLong()).isEqualTo(3000);

        ApiResponse gap = post(IMPORTER, batch("C2", 4000, 1000, false));
        assertThat(gap.status()).isEqualTo(409);
        assertThat(text(gap)).contains("has 3000 samples");
        // Overlapping what it has: the known samples are skipped.
        ApiResponse overlap = post(IMPORTER, batch("C2", 2500, SAMPLES - 2500, true));
        assertThat(overlap.status()).isEqualTo(200);
        assertThat(body(overlap).get("samples").asLong()).isEqualTo(SAMPLES);
        assertThat(body(get("/api/import/unknown")).get("samples").asLong()).isZero();
        awaitStored();
        assertThat(store.imuCount("rig-01", CLIP_START, CLIP_START + 40 * S)).isEqualTo(SAMPLES);
    }

    @Test
    void refusesBadInputWithClearReasonsAndCountsIt() throws Exception {
        ApiResponse notJson = postBytes(IMPORTER, "{\"clip\":".getBytes(StandardCharsets.UTF_8));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(text(notJson)).contains("malformed body");

        Map<String, Object> backwards = batch("C3", 0, 10, false);
        long[] t = (long[]) backwards.get("t_ns");
        t[5] = t[4];
        ApiResponse notIncreasing = post(IMPORTER, backwards);
        assertThat(notIncreasing.status()).isEqualTo(400);
        assertThat(text(notIncreasing)).contains("t_ns must increase");

        Map<String, Object> shortGyro = batch("C3", 0, 10, false);
        shortGyro.put("gyro_dps", new double[3]);
        assertThat(text(post(IMPORTER, shortGyro))).contains("three values per time");

        Map<String, Object> badRig = batch("C3", 0, 10, false);
        badRig.put("rig", "live");
        assertThat(text(post(IMPORTER, badRig))).contains("rig: 'live' is reserved");

        Map<String, Object> badClip = batch("C3", 0, 10, false);
        badClip.put("clip", "../etc");
        assertThat(post(IMPORTER, badClip).status()).isEqualTo(400);

        Map<String, Object> noRange = batch("C3", 0, 10, false);
        noRange.remove("accel_full_scale_g");
        assertThat(text(post(IMPORTER, noRange))).contains("accel_full_scale_g");

        assertThat(post(VIEWER, batch("C3", 0, 10, false)).status()).isEqualTo(403);
        assertThat(post(null, batch("C3", 0, 10, false)).status()).isEqualTo(401);
        assertThat(counter("bad-request")).isEqualTo(6);

        // Nothing of those was stored; a good batch after them is.
        assertThat(post(IMPORTER, batch("C3", 0, 10, false)).status()).isEqualTo(200);
        awaitStored();
        assertThat(store.imuCount("rig-01", CLIP_START, CLIP_START + 40 * S)).isEqualTo(10);
    }

    @Test
    void servesARigsGyroMagnitudeAt100HzToAnImportAccount() throws Exception {
        // Live samples at 200 Hz over 2 s: |gyro| 5 deg/s (3, 4, 0), then 10 (6, 8, 0) from 1 s; a hole at 0.5 s.
        StringBuilder lines = new StringBuilder();
        int n = 0;
        for (int i = 0; i < 400; i++) {
            if (i >= 100 && i < 110) {
                continue;
            }
            double k = i < 200 ? 1 : 2;
            lines.append("imu,rig=rig-01 ax=0,ay=0,az=9.8,gx=")
                    .append(3 * k)
                    .append(",gy=")
                    .append(4 * k)
                    .append(",gz=0 ")
                    .append(CLIP_START + i * 5_000_000L)
                    .append('\n');
            n++;
        }
        store.write(lines.toString(), n);

        ApiResponse answer = api.handle(new ApiRequest(
                "GET",
                "/api/import/rig-samples",
                Map.of(
                        "rig", List.of("rig-01"),
                        "from", List.of(Long.toString(CLIP_START)),
                        "to", List.of(Long.toString(CLIP_START + 2 * S))),
                new byte[0],
                Optional.of(IMPORTER)));

        assertThat(answer.status()).as(text(answer)).isEqualTo(200);
        JsonNode trace = body(answer);
        assertThat(trace.get("rate_hz").asInt()).isEqualTo(100);
        assertThat(trace.get("start_ns").asLong()).isEqualTo(CLIP_START);
        JsonNode gyro = trace.get("gyro_dps");
        assertThat(gyro.size()).isEqualTo(200);
        assertThat(gyro.get(0).asDouble()).isEqualTo(5.0);
        assertThat(gyro.get(50).isNull()).isTrue();
        assertThat(gyro.get(54).isNull()).isTrue();
        assertThat(gyro.get(55).asDouble()).isEqualTo(5.0);
        assertThat(gyro.get(150).asDouble()).isEqualTo(10.0);

        ApiResponse tooLong = api.handle(new ApiRequest(
                "GET",
                "/api/import/rig-samples",
                Map.of(
                        "rig", List.of("rig-01"),
                        "from", List.of("0"),
                        "to", List.of(Long.toString(16 * 60 * S))),
                new byte[0],
                Optional.of(IMPORTER)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(text(tooLong)).contains("at most 15 minutes");
        ApiResponse noFrom = api.handle(new ApiRequest(
                "GET",
                "/api/import/rig-samples",
                Map.of("rig", List.of("rig-01")),
                new byte[0],
                Optional.of(IMPORTER)));
        assertThat(noFrom.status()).isEqualTo(400);
    }

    @Test
    void tellsAnImportAccountATakesSpan() throws Exception {
        ApiResponse answer = api.handle(
                new ApiRequest("GET", "/api/import/takes/roll-1", Map.of(), new byte[0], Optional.of(IMPORTER)));

        assertThat(answer.status()).as(text(answer)).isEqualTo(200);
        JsonNode take = body(answer);
        assertThat(take.get("name").asText()).isEqualTo("42A-3");
        assertThat(take.get("start_ns").asLong()).isEqualTo(MIDNIGHT + (14 * 3600 + 10) * S);
        assertThat(take.get("end_ns").asLong()).isEqualTo(MIDNIGHT + (14 * 3600 + 40) * S);
        assertThat(api.handle(new ApiRequest(
                                "GET", "/api/import/takes/nope", Map.of(), new byte[0], Optional.of(IMPORTER)))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void refusesASecondImportRequestOfTheSameUserWhileOneRuns() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        gate.set(hold);
        CompletableFuture<ApiResponse> first =
                CompletableFuture.supplyAsync(() -> post(IMPORTER, batch("C4", 0, 100, false)));
        await().atMost(Duration.ofSeconds(10)).until(() -> hold.getCount() == 1 && waiting > 0);

        ApiResponse second = post(IMPORTER, batch("C5", 0, 100, false));
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.headers()).containsEntry("Retry-After", "1");
        assertThat(counter("busy")).isEqualTo(1);

        gate.set(null);
        hold.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(post(IMPORTER, batch("C5", 0, 100, false)).status()).isEqualTo(200);
    }

    // ---- helpers ----

    private volatile int waiting;

    /** The write port, with each imported batch's offer held while {@link #gate} is set. */
    private StoreWrites gated(InfluxWrites real) {
        return new StoreWrites() {
            @Override
            public PointBatch batch(int imuSamples) {
                return real.batch(imuSamples);
            }

            @Override
            public PointBatch batch(int imuSamples, String source) {
                PointBatch batch = real.batch(imuSamples, source);
                return (PointBatch) Proxy.newProxyInstance(
                        PointBatch.class.getClassLoader(), new Class<?>[] {PointBatch.class}, (proxy, method, args) -> {
                            CountDownLatch hold = gate.get();
                            if (method.getName().equals("offer") && hold != null) {
                                waiting++;
                                hold.await(10, TimeUnit.SECONDS);
                            }
                            try {
                                Object out = method.invoke(batch, args);
                                return out == batch ? proxy : out;
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }

            @Override
            public boolean overCapacity() {
                return real.overCapacity();
            }

            @Override
            public void whenBelowLowWatermark(Runnable resume) {
                real.whenBelowLowWatermark(resume);
            }
        };
    }

    /** Sends the whole clip in batches; returns the last answer. */
    private JsonNode importClip(String clip, int perBatch) throws Exception {
        JsonNode last = null;
        for (int first = 0; first < SAMPLES; first += perBatch) {
            int n = Math.min(perBatch, SAMPLES - first);
            ApiResponse answer = post(IMPORTER, batch(clip, first, n, first + n == SAMPLES));
            assertThat(answer.status()).as(text(answer)).isEqualTo(200);
            last = body(answer);
        }
        return last;
    }

    /**
     * Samples {@code first..first+n} of a 40 s clip at 200 Hz from 14:00:05: still with gravity on z, a
     * 100 deg turn about z at 14:00:20 and the accelerometer at its 8 g range for 20 ms at 14:00:30.
     */
    private static Map<String, Object> batch(String clip, int first, int n, boolean last) {
        long[] t = new long[n];
        double[] accel = new double[3 * n];
        double[] gyro = new double[3 * n];
        for (int i = 0; i < n; i++) {
            int k = first + i;
            t[i] = CLIP_START + (long) k * S / RATE_HZ;
            double seconds = (double) k / RATE_HZ;
            accel[3 * i + 2] = RigMotion.G0;
            if (seconds >= 25 && seconds < 25.02) {
                accel[3 * i] = 8 * RigMotion.G0;
            }
            if (seconds >= 15 && seconds < 15.4) {
                gyro[3 * i + 2] = 250;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clip", clip);
        body.put("camera_model", "HERO9 Black");
        body.put("camera_serial", "C3441324567890");
        body.put("rig", "rig-01");
        body.put("first_frame_ns", CLIP_START);
        body.put("first", first);
        body.put("last", last);
        body.put("accel_full_scale_g", 8.0);
        body.put("gyro_full_scale_dps", 2000.0);
        body.put("t_ns", t);
        body.put("accel_mps2", accel);
        body.put("gyro_dps", gyro);
        return body;
    }

    private ApiResponse post(String authorization, Map<String, Object> body) {
        try {
            return postBytes(authorization, JSON.writeValueAsBytes(body));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ApiResponse postBytes(String authorization, byte[] body) {
        return api.handle(new ApiRequest("POST", "/api/import", Map.of(), body, Optional.ofNullable(authorization)));
    }

    private ApiResponse get(String path) {
        return api.handle(new ApiRequest("GET", path, Map.of(), new byte[0], Optional.of(VIEWER)));
    }

    private void awaitStored() {
        buffer.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.queuedPoints() == 0);
    }

    private String lines(String prefix) {
        StringBuilder out = new StringBuilder();
        synchronized (written) {
            for (String batch : written) {
                for (String line : batch.split("\n")) {
                    if (line.startsWith(prefix)) {
                        out.append(line).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private double counter(String result) {
        var counter = registry.find(MeterCatalog.IMPORT_REQUESTS)
                .tag("result", result)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static JsonNode body(ApiResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String text(ApiResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String slate(String id, String type, String tc, String extra) {
        return "{\"v\":1,\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"tc\":\"" + tc + "\",\"rate\":\"25\","
                + "\"date\":\"" + DAY + "\"" + extra + "}";
    }

    private static String authorization(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}

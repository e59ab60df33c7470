package dev.rigtel.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.Collector;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.testing.InfluxdbServer;
import dev.rigtel.collector.testing.TestClocks;
import dev.rigtel.collector.testing.TestCollector;
import dev.rigtel.gopro.mp4.SyntheticGoproFile;
import dev.rigtel.gopro.mp4.SyntheticGoproFile.Spec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./rigtel import} of a free-running camera: rig-01 streamed its live gyro (head turns) into a
 * real InfluxDB during a take; a GoPro-shaped MP4 without a {@code tmcd} track, whose creation time is
 * 15.25 s off, carries the same motion on other axes. The importer fetches the rig's gyro ({@code GET
 * /api/import/rig-samples}), aligns the clip to within 20 ms and lands it on the take; a camera that
 * did not move is refused as not aligned, and imported when the user names the take ({@code --take}).
 */
class GoproAlignIT {

    /**
     * One client for every request: a client per request leaves its keep-alive connection open
     * (the JDK keeps idle ones 20 minutes), and the servers close what one address opens beyond
     * 32 ({@code --http-max-connections-per-address}).
     */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GoproAlignIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long S = 1_000_000_000L;
    /** 60 payloads of 200 samples, each 1.001 s: the synthetic file's timing. */
    private static final int PAYLOADS = 60;

    private static final int PER_PAYLOAD = 200;
    private static final double SAMPLE_SECONDS = 1.001 / PER_PAYLOAD;

    @TempDir
    static Path dir;

    private static InfluxdbServer influx;
    private static Collector.Running collector;
    private static LocalDate today;
    private static long midnight;
    /** Where the clip's first frame truly is: 15:45:10.250. */
    private static long trueStart;

    private static final HeadTurns MOTION = new HeadTurns(42, 400);
    /** Motion time 0 on the production timeline: 15:43:30. */
    private static long motionZero;

    @BeforeAll
    static void streamATake() throws Exception {
        influx = InfluxdbServer.start();
        Path credentials = TestCollector.credentials(dir, 1);
        TestCollector.addUser(credentials, "slate-app", Role.SLATE, "clap");
        TestCollector.addUser(credentials, "dit", Role.IMPORT, "cart");
        collector = TestCollector.start(dir.resolve("collector"), credentials, influx.url());
        today = TestClocks.today(ZoneOffset.UTC);
        midnight = today.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * S;
        motionZero = midnight + (15 * 3600 + 43 * 60 + 30) * S;
        trueStart = midnight + (15 * 3600 + 45 * 60 + 10) * S + 250_000_000L;
        // At 29.97 fps these labels are 15:44:56.6 and 15:47:56.8 of real time.
        slate("assign-1", "assign", "15:40:00:00", ",\"rig\":\"rig-01\",\"person\":\"Dana Brooks\"");
        slate("roll-1", "roll", "15:44:00:00", ",\"scene\":\"42\",\"shot\":\"A\",\"take\":3");
        slate("cut-1", "cut", "15:47:00:00", "");
        streamRigGyro();
    }

    @AfterAll
    static void stop() throws Exception {
        if (collector != null) {
            collector.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    @Test
    void alignsAClipWithoutTimecodeByItsGyroAndLandsItOnTheTake() throws Exception {
        Path card = Files.createDirectories(dir.resolve("card/DCIM/100GOPRO"));
        Path clip = card.resolve("GX010077.MP4");
        // The camera's clock says 15:44:55: 15.25 s before the clip's true start.
        Instant created = Instant.ofEpochSecond((midnight / S) + 15 * 3600 + 44 * 60 + 55);
        SyntheticGoproFile.write(clip, spec(cameraPayloads(false), "C3441324567890", created));

        long started = System.nanoTime();
        Run run = importer("--json", "--rig", "rig-01", clip.toString());
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        JsonNode report = JSON.readTree(run.out()).get("clips").get(0);
        assertThat(report.get("status").asText()).isEqualTo("imported");
        long offset = report.get("offset_ms").asLong();
        double correlation = report.get("confidence").get("correlation").asDouble();
        double ratio = report.get("confidence").get("peak_ratio").asDouble();
        log.info(
                "aligned a 60 s clip in a 21 min window: offset {} ms (true 15250), correlation {}, peak ratio {},"
                        + " import {} s",
                offset,
                correlation,
                ratio,
                String.format("%.2f", seconds));
        assertThat(offset).isBetween(15_250L - 20, 15_250L + 20);
        assertThat(correlation).isGreaterThanOrEqualTo(GyroAligner.MIN_CORRELATION);
        assertThat(ratio).isGreaterThanOrEqualTo(GyroAligner.MIN_PEAK_RATIO);
        JsonNode take = report.get("takes").get(0);
        assertThat(take.get("name").asText()).isEqualTo("42A-3");
        assertThat(take.get("wearer").asText()).isEqualTo("Dana Brooks");
        assertThat(take.get("samples").asLong()).isEqualTo(PAYLOADS * PER_PAYLOAD);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> count("SELECT count(gx) FROM raw.imu WHERE source = 'gopro' AND rig = 'rig-01'")
                        == PAYLOADS * PER_PAYLOAD);
        List<List<Object>> first = influx.query(
                TestCollector.DATABASE, "SELECT first(gx) FROM raw.imu WHERE source = 'gopro' AND rig = 'rig-01'");
        long firstNanos = ((Number) first.get(0).get(0)).longValue();
        assertThat(Math.abs(firstNanos - trueStart)).isLessThan(20_000_000L);

        Run table = importer("--rig", "rig-01", clip.toString());
        assertThat(table.out()).contains("already-imported");
    }

    @Test
    void refusesACameraThatDidNotMoveAsNotAligned() throws Exception {
        Path card = Files.createDirectories(dir.resolve("still/DCIM/100GOPRO"));
        Path clip = card.resolve("GX010078.MP4");
        Instant created = Instant.ofEpochSecond((midnight / S) + 15 * 3600 + 44 * 60 + 55);
        SyntheticGoproFile.write(clip, spec(cameraPayloads(true), "C5555", created));

        Run run = importer("--rig", "rig-01", "--align", clip.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out())
                .contains("failed: not aligned: name the take or pass --rig/--date with a jammed timecode");
        Run json = importer("--json", "--rig", "rig-01", "--align", clip.toString());
        JsonNode report = JSON.readTree(json.out()).get("clips").get(0);
        assertThat(report.get("status").asText()).isEqualTo("failed");
        assertThat(report.get("samples").asLong()).isZero();
        assertThat(report.get("confidence").get("correlation").asDouble()).isLessThan(GyroAligner.MIN_CORRELATION);

        // The user names the take: the clip starts at its roll (on another rig, to keep rig-01's data apart).
        assertThat(importer("--rig", "rig-02", "--take", "roll-1", "--align", clip.toString())
                        .exit())
                .isEqualTo(2);
        Run noTake = importer("--rig", "rig-02", "--take", "roll-9", clip.toString());
        assertThat(noTake.exit()).isEqualTo(1);
        assertThat(noTake.out()).contains("no take roll-9");
        Run named = importer("--json", "--rig", "rig-02", "--take", "roll-1", clip.toString());
        assertThat(named.exit()).as(named.out() + named.err()).isZero();
        JsonNode placed = JSON.readTree(named.out()).get("clips").get(0);
        assertThat(placed.get("status").asText()).isEqualTo("imported");
        assertThat(placed.get("takes").get(0).get("name").asText()).isEqualTo("42A-3");
        assertThat(placed.get("confidence").isNull()).isTrue();
        // The roll's label 15:44:00:00 at 29.97 fps is 15:44:56.640 of real time (1699200 x 1.001 / 30 s);
        // the camera said 15:44:55.
        assertThat(placed.get("offset_ms").asLong()).isBetween(1640L - 1, 1640L + 1);
    }

    // ---- the motion, the rig and the camera ----

    /** Live samples of rig-01 at 200 Hz over 5 minutes from {@link #motionZero}, written to raw.imu. */
    private static void streamRigGyro() throws Exception {
        Random noise = new Random(1);
        StringBuilder lines = new StringBuilder();
        int n = 5 * 60 * 200;
        for (int i = 0; i < n; i++) {
            double t = i / 200.0;
            double[] w = MOTION.rate(t);
            // The board sits another way round than the camera: its axes are the camera's permuted.
            lines.append("imu,rig=rig-01 ax=0.1,ay=0.2,az=9.8,gx=")
                    .append(round(w[2] + noise.nextGaussian()))
                    .append(",gy=")
                    .append(round(-w[0] + noise.nextGaussian()))
                    .append(",gz=")
                    .append(round(w[1] + noise.nextGaussian()))
                    .append(' ')
                    .append(motionZero + i * 5_000_000L)
                    .append('\n');
            if ((i + 1) % 10_000 == 0) {
                write(lines.toString());
                lines.setLength(0);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(gx) FROM raw.imu") == n);
    }

    /** The camera's payloads: the same motion from {@link #trueStart}, or still. */
    private static List<byte[]> cameraPayloads(boolean still) {
        Random noise = new Random(2);
        double offset = (trueStart - motionZero) / 1e9;
        List<byte[]> payloads = new ArrayList<>();
        for (int p = 0; p < PAYLOADS; p++) {
            short[] accl = new short[3 * PER_PAYLOAD];
            short[] gyro = new short[3 * PER_PAYLOAD];
            for (int i = 0; i < PER_PAYLOAD; i++) {
                long k = (long) p * PER_PAYLOAD + i;
                double[] w = still ? new double[3] : MOTION.rate(offset + k * SAMPLE_SECONDS);
                accl[3 * i + 2] = 4096;
                for (int axis = 0; axis < 3; axis++) {
                    double dps = w[axis] + (still ? 0.05 : 1) * noise.nextGaussian();
                    gyro[3 * i + axis] = (short) Math.round(Math.toRadians(dps) * 939);
                }
            }
            payloads.add(SyntheticGoproFile.imuPayload((long) p * PER_PAYLOAD, accl, gyro));
        }
        return payloads;
    }

    private static Spec spec(List<byte[]> payloads, String serial, Instant created) {
        Spec base = Spec.of(payloads).withTimecode(OptionalLong.empty(), false).withSerial(serial);
        return new Spec(
                base.payloads(),
                base.tmcdStartFrame(),
                base.dropFrame(),
                base.co64(),
                base.moovFirst(),
                base.mdatBytes(),
                base.serial(),
                created);
    }

    /** Head turns: bell-shaped rate bursts of 0.3-0.8 s, 60-250 deg/s, every 2-9 s, on a slow sway. */
    private static final class HeadTurns {
        final double[] at;
        final double[] width;
        final double[] peak;
        final double[] axis;

        HeadTurns(long seed, double seconds) {
            Random r = new Random(seed);
            int n = (int) (seconds / 2);
            at = new double[n];
            width = new double[n];
            peak = new double[n];
            axis = new double[n];
            double t = 1;
            for (int i = 0; i < n; i++) {
                t += 2 + 7 * r.nextDouble();
                at[i] = t;
                width[i] = 0.3 + 0.5 * r.nextDouble();
                peak[i] = (r.nextBoolean() ? 1 : -1) * (60 + 190 * r.nextDouble());
                axis[i] = r.nextDouble();
            }
        }

        /** deg/s about the camera's x, y, z at motion time {@code t}. */
        double[] rate(double t) {
            double[] w = {5 * Math.sin(0.7 * t), 4 * Math.cos(0.45 * t), 0};
            int k = Arrays.binarySearch(at, t);
            int i = k >= 0 ? k : -k - 1;
            for (int j = Math.max(0, i - 3); j < Math.min(at.length, i + 3); j++) {
                double x = (t - at[j]) / (width[j] / 2.5);
                double v = peak[j] * Math.exp(-0.5 * x * x);
                w[2] += v * (1 - 0.3 * axis[j]);
                w[0] += v * 0.3 * axis[j];
            }
            return w;
        }
    }

    // ---- helpers ----

    private record Run(int exit, String out, String err) {}

    private static Run importer(String... args) {
        Map<String, String> env = Map.of(
                "RIGTEL_USER",
                "dit",
                "RIGTEL_PASSWORD",
                "cart",
                "RIGTEL_COLLECTOR",
                "http://127.0.0.1:" + collector.httpPort());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ImportMain.run(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false,
                args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String round(double v) {
        return Double.toString(Math.round(v * 1000) / 1000.0);
    }

    private static void write(String lines) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                influx.url() + "/write?db=" + TestCollector.DATABASE + "&rp=raw&precision=ns"))
                        .POST(HttpRequest.BodyPublishers.ofString(lines))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private static long count(String influxql) {
        List<List<Object>> rows = influx.query(TestCollector.DATABASE, influxql);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(1)).longValue();
    }

    private static void slate(String id, String type, String tc, String extra) throws Exception {
        String body = "{\"v\":1,\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"tc\":\"" + tc
                + "\",\"rate\":\"29.97\",\"date\":\"" + today + "\"" + extra + "}";
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/api/slate"))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString("slate-app:clap".getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}

package dev.rigtel.collector.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.imports.ClipBatch;
import dev.rigtel.collector.imports.ImportRefusedException;
import dev.rigtel.collector.imports.ImportService;
import dev.rigtel.collector.metrics.ImportMeters;
import dev.rigtel.common.log.RateLimitedLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/import}: a batch of a clip's camera telemetry ({@link ImportService}), from a user
 * with role import or admin (HTTP Basic); {@code GET /api/import/{clip}}: how far the collector has
 * the clip, and the zone of its production timeline. One import request per user at a time: another
 * meanwhile is answered {@code 503} with {@code Retry-After}. Refusals are counted ({@code
 * rigtel.import.requests}) and logged at most once a minute per reason.
 */
final class ImportResource {

    private static final Logger log = LoggerFactory.getLogger(ImportResource.class);

    /** The request body. Accel in m/s^2 (gravity included), gyro in deg/s: the collector's units. */
    record BatchJson(
            @JsonProperty("clip") String clip,
            @JsonProperty("camera_model") String cameraModel,
            @JsonProperty("camera_serial") String cameraSerial,
            @JsonProperty("rig") String rig,
            @JsonProperty("first_frame_ns") Long firstFrameNanos,
            @JsonProperty("first") Long first,
            @JsonProperty("last") Boolean last,
            @JsonProperty("accel_full_scale_g") Double accelFullScaleG,
            @JsonProperty("gyro_full_scale_dps") Double gyroFullScaleDps,
            @JsonProperty("t_ns") long[] utcNanos,
            @JsonProperty("accel_mps2") double[] accelMps2,
            @JsonProperty("gyro_dps") double[] gyroDps,
            @JsonProperty("clip_name") String clipName,
            @JsonProperty("timecode") String timecode) {}

    /** The answer: the clip's progress, and the zone. */
    record ProgressJson(
            String clip,
            String timezone,
            String rig,
            @JsonProperty("camera_model") String cameraModel,
            @JsonProperty("camera_serial") String cameraSerial,
            long samples,
            boolean complete,
            List<ImportService.TakeShare> takes) {}

    private final ApiJson json;
    private final ObjectReader batches;
    private final ImportService imports;
    private final Authenticator authenticator;
    private final ImportMeters meters;
    private final RateLimitedLog refusals;
    private final Set<String> busyUsers = ConcurrentHashMap.newKeySet();

    ImportResource(ApiJson json, ImportService imports, Authenticator authenticator, ImportMeters meters, Clock clock) {
        this.json = json;
        this.batches = json.mapper().readerFor(BatchJson.class);
        this.imports = imports;
        this.authenticator = authenticator;
        this.meters = meters;
        this.refusals = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
    }

    /** {@code GET /api/import/{clip}} (after the read check of every GET). */
    ApiResponse progress(String clip) {
        return imports.progress(clip)
                .map(p -> json.ok(new ProgressJson(
                        p.clip(),
                        imports.zone().getId(),
                        p.rig(),
                        p.cameraModel(),
                        p.cameraSerial(),
                        p.samples(),
                        p.complete(),
                        p.takes())))
                .orElseGet(() ->
                        json.ok(new ProgressJson(clip, imports.zone().getId(), null, null, null, 0, false, List.of())));
    }

    /** The answer of {@code GET /api/import/rig-samples}: null where a 10 ms bin has no sample. */
    record GyroJson(
            String rig,
            @JsonProperty("start_ns") long startNanos,
            @JsonProperty("rate_hz") int rateHz,
            @JsonProperty("gyro_dps") Double[] gyroDps) {}

    /**
     * {@code GET /api/import/rig-samples?rig=R&from=NS&to=NS} (after the read check of every GET, which
     * lets an import account through): the rig's gyro magnitude, decimated to 100 Hz, over at most 15
     * minutes, for aligning a free-running camera.
     */
    ApiResponse rigSamples(ApiRequest request) {
        long from;
        long to;
        try {
            from = Long.parseLong(request.param("from").orElse(""));
            to = Long.parseLong(request.param("to").orElse(""));
        } catch (NumberFormatException e) {
            return ApiResponse.error(400, "from and to are required: UTC nanoseconds");
        }
        try {
            ImportService.GyroTrace trace = imports.rigGyro(request.param("rig").orElse(null), from, to);
            Double[] values = new Double[trace.magnitudeDps().length];
            for (int i = 0; i < values.length; i++) {
                double v = trace.magnitudeDps()[i];
                values[i] = Double.isNaN(v) ? null : Math.round(v * 1e3) / 1e3;
            }
            return json.ok(new GyroJson(trace.rig(), trace.startNanos(), trace.rateHz(), values));
        } catch (ImportRefusedException e) {
            return ApiResponse.error(e.status(), e.getMessage());
        }
    }

    /** The answer of {@code GET /api/import/takes/{id}}. */
    record TakeJson(
            String id, String name, @JsonProperty("start_ns") long startNanos, @JsonProperty("end_ns") Long endNanos) {}

    /** {@code GET /api/import/takes/{id}}: a take's name and span, for placing a clip on its start. */
    ApiResponse take(String id) {
        return imports.take(id)
                .map(t -> json.ok(new TakeJson(t.id(), t.name(), t.startNanos(), t.endNanos())))
                .orElseGet(() -> ApiResponse.error(404, "no take " + id));
    }

    /** {@code POST /api/import}. */
    ApiResponse post(ApiRequest request) {
        BasicAuth.Outcome auth = BasicAuth.check(authenticator, request);
        if (auth instanceof BasicAuth.Outcome.Busy) {
            return BasicAuth.busy();
        }
        if (!(auth instanceof BasicAuth.Outcome.Accepted ok)) {
            return BasicAuth.challenge("imports need HTTP Basic credentials of an import user");
        }
        Authenticator.Result.Accepted user = ok.user();
        if (user.role() != Role.IMPORT && user.role() != Role.ADMIN) {
            return ApiResponse.error(403, "role " + user.role().label() + " may not import");
        }
        if (!busyUsers.add(user.username())) {
            meters.request("busy");
            return new ApiResponse(
                    503,
                    "application/json",
                    ApiResponse.error(503, "another import request of " + user.username() + " is running; retry")
                            .body(),
                    Map.of("Retry-After", "1"));
        }
        try {
            return store(request, user.username());
        } finally {
            busyUsers.remove(user.username());
        }
    }

    private ApiResponse store(ApiRequest request, String username) {
        ClipBatch batch;
        try {
            batch = batch(batches.readValue(request.body()));
        } catch (IOException | IllegalArgumentException e) {
            return refused(username, new Refusal(400, "bad-request", "malformed body: " + firstLine(e.getMessage())));
        }
        try {
            long before = imports.progress(batch.clip())
                    .map(ImportService.Progress::samples)
                    .orElse(0L);
            ImportService.Progress progress = imports.accept(batch);
            long added = progress.samples() - before;
            meters.samples(Math.max(0, added));
            meters.request(added > 0 || batch.samples() == 0 ? "ok" : "duplicate");
            return json.ok(new ProgressJson(
                    progress.clip(),
                    imports.zone().getId(),
                    progress.rig(),
                    progress.cameraModel(),
                    progress.cameraSerial(),
                    progress.samples(),
                    progress.complete(),
                    progress.takes()));
        } catch (ImportRefusedException e) {
            return refused(username, new Refusal(e.status(), e.reason(), e.getMessage()));
        }
    }

    /** A refusal as answered and counted. */
    private record Refusal(int status, String reason, String message) {}

    private ApiResponse refused(String username, Refusal e) {
        meters.request(e.reason());
        refusals.warn(e.reason(), "import from {} refused ({}): {}", username, e.reason(), e.message());
        return ApiResponse.error(e.status(), e.message());
    }

    private static ClipBatch batch(BatchJson b) {
        if (b.firstFrameNanos() == null || b.first() == null || b.last() == null) {
            throw new IllegalArgumentException("first_frame_ns, first and last are required");
        }
        if (b.accelFullScaleG() == null || b.gyroFullScaleDps() == null) {
            throw new IllegalArgumentException("accel_full_scale_g and gyro_full_scale_dps are required");
        }
        if (b.utcNanos() == null || b.accelMps2() == null || b.gyroDps() == null) {
            throw new IllegalArgumentException("t_ns, accel_mps2 and gyro_dps are required");
        }
        int n = b.utcNanos().length;
        if (b.accelMps2().length != 3 * n || b.gyroDps().length != 3 * n) {
            throw new IllegalArgumentException("accel_mps2 and gyro_dps need three values per time in t_ns");
        }
        double[] values = new double[6 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(b.accelMps2(), 3 * i, values, 6 * i, 3);
            System.arraycopy(b.gyroDps(), 3 * i, values, 6 * i + 3, 3);
        }
        return new ClipBatch(
                b.clip(),
                b.cameraModel(),
                b.cameraSerial(),
                b.rig(),
                b.firstFrameNanos(),
                b.first(),
                b.last(),
                b.accelFullScaleG(),
                b.gyroFullScaleDps(),
                b.utcNanos(),
                values,
                b.clipName(),
                b.timecode());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

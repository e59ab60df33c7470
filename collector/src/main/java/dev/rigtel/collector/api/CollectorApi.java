package dev.rigtel.collector.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rigtel.collector.auth.Authenticator;
import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.commands.CommandLog;
import dev.rigtel.collector.commands.CommandRefusedException;
import dev.rigtel.collector.commands.CommandView;
import dev.rigtel.collector.commands.RigCommand;
import dev.rigtel.collector.commands.RigCommands;
import dev.rigtel.collector.ingest.IngestService;
import dev.rigtel.collector.ingest.PayloadDecoder;
import dev.rigtel.collector.ingest.PayloadRejectedException;
import dev.rigtel.collector.ingest.RigId;
import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.motion.export.CutCandidate;
import dev.rigtel.collector.motion.export.CutCandidateExports;
import dev.rigtel.collector.motion.export.TakeInfo;
import dev.rigtel.collector.store.StoreException;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.store.StoreUnreachableException;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.DeviceClocks;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's HTTP API for slate tools and dashboards, in plain Java: the transport copies each
 * request out and runs {@link #handle} on a worker thread (it may wait for the store).
 *
 * <ul>
 *   <li>{@code POST /api/slate}: a slate event (firmware-notes); HTTP Basic auth of a user with role
 *       slate or admin; {@code tc} may be left out to mean now. 201 once stored.
 *   <li>{@code GET /api/days/{date}/takes}: the takes of a shooting day.
 *   <li>{@code GET /api/days/{date}/matrix}: the wearer x take intensity matrix of a day ({@link
 *       DayMatrix}).
 *   <li>{@code GET /api/takes/{id}}: one take with, per rig, wearers, time range, samples and gaps.
 *   <li>{@code GET /api/takes/{id}/series?rig=}: a rig's motion in the take, raw, per second or in
 *       buckets, whichever fits {@code max_points} ({@link TakeSeries}).
 *   <li>{@code GET /api/takes/{id}/summary.csv}, {@code samples.csv?rig=}: downloads ({@link
 *       TakeDownloads}).
 *   <li>{@code GET /api/takes/{id}/cuts.{edl,resolve.edl,fcpxml,txt,csv}}: the take's cut candidates
 *       as a download ({@link CutCandidateExports}).
 *   <li>{@code GET /api/people/{person}/takes?date=}: the takes a person wore a rig in.
 *   <li>{@code GET /api/rigs}: every rig's clock: lock state, drift, residual, current wearer.
 *   <li>{@code GET /api/storage}: disk used by the shoot, free, and the forecast to its last day.
 *   <li>{@code POST /api/rigs/{rig}/commands}: send a command to a rig; HTTP Basic auth of an admin.
 *       202 with the command once published.
 *   <li>{@code GET /api/rigs/{rig}/commands?limit=}: the rig's commands, newest first, from
 *       InfluxDB merged with the ones in memory.
 *   <li>{@code GET /api/rigs/{rig}/commands/{id}}: one command.
 * </ul>
 */
public final class CollectorApi {

    private static final Logger log = LoggerFactory.getLogger(CollectorApi.class);
    private static final long STORE_WAIT_SECONDS = 10;
    /** How far back the command history reaches. */
    private static final Duration COMMAND_HISTORY = Duration.ofDays(30);

    private static final int DEFAULT_COMMAND_LIMIT = 100;
    private static final int MAX_COMMAND_LIMIT = 1000;

    private final ObjectMapper json;
    private final PayloadDecoder decoder;
    private final IngestService ingest;
    private final TakeHistory takes;
    private final DeviceClocks clocks;
    private final StoreReads store;
    private final Authenticator authenticator;
    private final ZoneId zone;
    private final Clock clock;
    private final MotionConfig motionConfig;
    private final RigCommands commands;
    private final TakeDownloads downloads = new TakeDownloads();
    private final PersonExposure exposure;
    private final Supplier<Object> storage;

    public CollectorApi(
            ObjectMapper json,
            PayloadDecoder decoder,
            IngestService ingest,
            TakeHistory takes,
            DeviceClocks clocks,
            StoreReads store,
            Authenticator authenticator,
            ZoneId zone,
            Clock clock,
            MotionConfig motionConfig,
            RigCommands commands,
            Supplier<Object> storage) {
        this.json = json;
        this.decoder = decoder;
        this.ingest = ingest;
        this.takes = takes;
        this.clocks = clocks;
        this.store = store;
        this.authenticator = authenticator;
        this.zone = zone;
        this.clock = clock;
        this.motionConfig = motionConfig;
        this.commands = commands;
        this.storage = storage;
        this.exposure = new PersonExposure(store, takes, zone);
    }

    public ApiResponse handle(ApiRequest request) {
        try {
            List<String> parts = PathSegments.of(request.path());
            boolean get = request.method().equals("GET");
            if (parts.size() == 2 && parts.get(1).equals("slate")) {
                return request.method().equals("POST") ? slate(request) : ApiResponse.error(405, "use POST");
            }
            if (parts.size() >= 4
                    && parts.size() <= 5
                    && parts.get(1).equals("rigs")
                    && parts.get(3).equals("commands")) {
                return commands(request, parts);
            }
            if (!get) {
                return ApiResponse.error(405, "use GET");
            }
            if (parts.size() == 4 && parts.get(1).equals("days") && parts.get(3).equals("matrix")) {
                return ok(DayMatrix.answer(store, takes, LocalDate.parse(parts.get(2)), this::endOf));
            }
            if (parts.size() == 4 && parts.get(1).equals("days") && parts.get(3).equals("takes")) {
                return ok(takes.takesOn(LocalDate.parse(parts.get(2))).stream()
                        .map(this::takeJson)
                        .toList());
            }
            if (parts.size() == 4 && parts.get(1).equals("takes")) {
                Optional<Take> take = takes.take(parts.get(2));
                if (take.isEmpty()) {
                    return ApiResponse.error(404, "no take " + parts.get(2));
                }
                String what = parts.get(3);
                if (what.equals("summary")) {
                    return summary(
                            take.get(),
                            request.param("recompute")
                                    .map(Boolean::parseBoolean)
                                    .orElse(false));
                }
                if (what.equals("events")) {
                    return ok(events(take.get(), null));
                }
                if (what.equals("series")) {
                    return ok(TakeSeries.answer(store, take.get(), request, endOf(take.get())));
                }
                if (what.equals("summary.csv")) {
                    return TakeDownloads.summaryCsv(store, take.get(), endOf(take.get()));
                }
                if (what.equals("samples.csv")) {
                    return downloads.samplesCsv(store, take.get(), request, endOf(take.get()), zone);
                }
                if (what.startsWith("cuts.")) {
                    return cuts(take.get(), what.substring("cuts.".length()));
                }
                return ApiResponse.error(404, "no such endpoint; see the collector README");
            }
            if (parts.size() == 4
                    && parts.get(1).equals("people")
                    && parts.get(3).equals("exposure")) {
                return exposure(parts.get(2), request);
            }
            if (parts.size() == 3 && parts.get(1).equals("takes")) {
                return takes.take(parts.get(2))
                        .map(this::takeDetail)
                        .orElseGet(() -> ApiResponse.error(404, "no take " + parts.get(2)));
            }
            if (parts.size() == 4
                    && parts.get(1).equals("people")
                    && parts.get(3).equals("takes")) {
                LocalDate date = request.param("date").map(LocalDate::parse).orElse(today());
                return ok(takes.takesOf(parts.get(2), date).stream()
                        .map(this::takeJson)
                        .toList());
            }
            if (parts.size() == 2 && parts.get(1).equals("rigs")) {
                return ok(rigs());
            }
            if (parts.size() == 2 && parts.get(1).equals("storage")) {
                Object reading = storage.get();
                return reading == null ? ApiResponse.error(503, "no look at the disks yet; try again") : ok(reading);
            }
            return ApiResponse.error(404, "no such endpoint; see the collector README");
        } catch (DateTimeParseException e) {
            return ApiResponse.error(400, "dates are YYYY-MM-DD");
        } catch (ApiException e) {
            return ApiResponse.error(e.status(), e.getMessage());
        } catch (StoreUnreachableException e) {
            log.warn(
                    "API request {} {}: InfluxDB did not answer: {}", request.method(), request.path(), e.getMessage());
            return ApiResponse.error(503, "InfluxDB did not answer; try again");
        } catch (RuntimeException e) {
            log.warn("API request {} {} failed", request.method(), request.path(), e);
            return ApiResponse.error(500, "internal error: " + e.getMessage());
        }
    }

    private ApiResponse slate(ApiRequest request) {
        BasicAuth.Outcome auth = BasicAuth.check(authenticator, request);
        if (auth instanceof BasicAuth.Outcome.Busy) {
            return BasicAuth.busy();
        }
        if (!(auth instanceof BasicAuth.Outcome.Accepted ok)) {
            return BasicAuth.challenge("slate events need HTTP Basic credentials of a slate user");
        }
        Authenticator.Result.Accepted accepted = ok.user();
        if (accepted.role() != Role.SLATE && accepted.role() != Role.ADMIN) {
            return ApiResponse.error(403, "role " + accepted.role().label() + " may not send slate events");
        }
        SlateEvent event;
        try {
            event = decoder.slate(request.body(), clock.instant(), zone, false);
        } catch (PayloadRejectedException e) {
            return ApiResponse.error(400, e.reason().tag() + ": " + e.getMessage());
        }
        CountDownLatch stored = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
        ingest.slate(event, stored::countDown, () -> {
            lost.set(true);
            stored.countDown();
        });
        try {
            boolean answered = stored.await(STORE_WAIT_SECONDS, TimeUnit.SECONDS);
            if (answered && lost.get()) {
                return ApiResponse.error(503, "not stored: the spool's disk failed (see /health); send it again");
            }
            if (!answered) {
                return ApiResponse.error(
                        503, "accepted but not yet stored: InfluxDB is slow or down; it will be retried");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiResponse.error(503, "interrupted");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id());
        body.put("type", event.type());
        body.put("tc", event.label());
        body.put("date", event.date().toString());
        body.put("at_ns", event.atNanos());
        return write(201, body);
    }

    /** The command routes under {@code /api/rigs/{rig}/commands}. */
    private ApiResponse commands(ApiRequest request, List<String> parts) {
        String rig = parts.get(2);
        boolean get = request.method().equals("GET");
        if (parts.size() == 4 && request.method().equals("POST")) {
            return issueCommand(request, rig);
        }
        if (!get) {
            return ApiResponse.error(405, parts.size() == 4 ? "use GET or POST" : "use GET");
        }
        String problem = RigId.problem(rig);
        if (problem != null) {
            return ApiResponse.error(400, "invalid rig id: " + problem);
        }
        Instant now = clock.instant();
        if (parts.size() == 5) {
            String id = parts.get(4);
            List<RigCommand> recent = commands.recent(rig, id).stream().toList();
            List<RigCommand> stored = List.of();
            if (RigCommands.ID.matcher(id).matches()) {
                try {
                    stored = CommandLog.find(store, json, rig, id, now).stream().toList();
                } catch (StoreException e) {
                    if (recent.isEmpty()) {
                        return historyUnavailable(e);
                    }
                }
            }
            return CommandLog.merge(stored, recent, 1).stream()
                    .findFirst()
                    .map(c -> write(200, CommandView.of(c)))
                    .orElseGet(() -> ApiResponse.error(404, "no command " + id + " for " + rig));
        }
        int limit;
        try {
            limit = request.param("limit").map(Integer::parseInt).orElse(DEFAULT_COMMAND_LIMIT);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_COMMAND_LIMIT) {
            return ApiResponse.error(400, "limit must be an integer 1.." + MAX_COMMAND_LIMIT);
        }
        List<RigCommand> stored;
        try {
            stored = CommandLog.load(store, json, rig, now.minus(COMMAND_HISTORY), now, limit);
        } catch (StoreException e) {
            return historyUnavailable(e);
        }
        return ok(CommandLog.merge(stored, commands.recent(rig), limit).stream()
                .map(CommandView::of)
                .toList());
    }

    private static ApiResponse historyUnavailable(StoreException e) {
        log.warn("cannot read the command history from InfluxDB: {}", e.getMessage());
        return ApiResponse.error(503, "the command history is kept in InfluxDB, which did not answer; try again");
    }

    private ApiResponse issueCommand(ApiRequest request, String rig) {
        BasicAuth.Outcome auth = BasicAuth.check(authenticator, request);
        if (auth instanceof BasicAuth.Outcome.Busy) {
            return BasicAuth.busy();
        }
        if (!(auth instanceof BasicAuth.Outcome.Accepted ok)) {
            return BasicAuth.challenge("rig commands need HTTP Basic credentials of an admin user");
        }
        Authenticator.Result.Accepted accepted = ok.user();
        if (accepted.role() != Role.ADMIN) {
            return ApiResponse.error(403, "role " + accepted.role().label() + " may not send rig commands");
        }
        try {
            return write(202, CommandView.of(commands.issueRequest(rig, request.body(), accepted.username())));
        } catch (CommandRefusedException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("reason", e.reason());
            return write(400, body);
        }
    }

    private Map<String, Object> takeJson(Take take) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", take.id());
        out.put("name", take.name());
        out.put("date", take.date().toString());
        out.put("scene", take.scene());
        out.put("shot", take.shot());
        out.put("take", take.take());
        out.put("camera_roll", take.cameraRoll());
        out.put("notes", take.notes());
        out.put("rate", take.rate());
        out.put("start_tc", take.startLabel());
        out.put("end_tc", take.endLabel().orElse(null));
        out.put("start_ns", take.startNanos());
        out.put("end_ns", take.endNanos().isPresent() ? take.endNanos().getAsLong() : null);
        out.put("rolling", take.rolling());
        out.put("mark", take.mark().map(m -> m.label()).orElse(null));
        out.put("closed_by_next_roll", take.closedByNextRoll());
        List<Map<String, Object>> wearers = new ArrayList<>();
        for (Take.Wearing w : take.wearers()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rig", w.rig());
            entry.put("person", w.person());
            entry.put("from_ns", w.fromNanos());
            entry.put("to_ns", w.toNanos() == Long.MAX_VALUE ? null : w.toNanos());
            wearers.add(entry);
        }
        out.put("wearers", wearers);
        return out;
    }

    /** A take with, per rig that has samples in it: wearers, first and last sample, count and gaps. */
    private ApiResponse takeDetail(Take take) {
        long start = take.startNanos();
        long end = take.endNanos().orElse(clock.millis() * 1_000_000L);
        Map<String, StoreReads.Extent> raw = store.imuExtents(start, end);
        // Rollups are stamped with the start of their second: the one the take starts in counts.
        Map<String, StoreReads.Extent> rollups =
                store.rollupExtents(Math.floorDiv(start, 1_000_000_000L) * 1_000_000_000L, end);
        Map<String, Map<String, Object>> rigs = new java.util.TreeMap<>();
        // Raw samples first; a rig without any (no longer kept, --raw-retention) from its rollups.
        raw.forEach((rig, extent) ->
                rigs.put(rig, extent(true, extent.samples(), extent.firstNanos(), extent.lastNanos())));
        rollups.forEach((rig, extent) -> rigs.computeIfAbsent(
                rig, r -> extent(false, extent.samples(), extent.firstNanos(), extent.lastNanos() + 999_999_999L)));
        for (Map.Entry<String, Map<String, Object>> rig : rigs.entrySet()) {
            Map<String, Object> detail = rig.getValue();
            long samples = (Long) detail.get("samples");
            List<Map<String, Object>> wearing = new ArrayList<>();
            for (Take.Wearing w : take.wearers()) {
                if (w.rig().equals(rig.getKey())) {
                    wearing.add(Map.of("person", w.person(), "from_ns", w.fromNanos()));
                }
            }
            detail.put("wearers", wearing);
            detail.put(
                    "gaps",
                    samples > 1 && Boolean.TRUE.equals(detail.get("raw_kept"))
                            ? gaps(rig.getKey(), (Long) detail.get("first_ns"), (Long) detail.get("last_ns"), samples)
                            : List.of());
        }
        Map<String, Object> out = takeJson(take);
        out.put("rigs", rigs);
        return write(200, out);
    }

    private static Map<String, Object> extent(boolean raw, long samples, long firstNanos, long lastNanos) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("raw_kept", raw);
        detail.put("samples", samples);
        detail.put("first_ns", firstNanos);
        detail.put("last_ns", lastNanos);
        return detail;
    }

    /**
     * Gaps of one rig in a take: intervals over 1.5 x the typical sample interval (DOMAIN.md 3),
     * found by the store so only the gaps come back, not every sample.
     */
    private List<Map<String, Object>> gaps(String rig, long firstNanos, long lastNanos, long samples) {
        long typicalMicros = Math.max(1, (lastNanos - firstNanos) / 1000 / (samples - 1));
        long thresholdMicros = typicalMicros * 3 / 2;
        List<Map<String, Object>> gaps = new ArrayList<>();
        for (StoreReads.Gap gap : store.imuGaps(rig, firstNanos, lastNanos, thresholdMicros)) {
            gaps.add(Map.of("end_ns", gap.endNanos(), "length_ms", gap.lengthMicros() / 1000d));
        }
        return gaps;
    }

    private long endOf(Take take) {
        return take.endNanos().orElse(clock.millis() * 1_000_000L);
    }

    /** Stored summaries per rig, or recomputed from the raw samples in storage. */
    private ApiResponse summary(Take take, boolean recompute) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("take", take.id());
        out.put("name", take.name());
        Map<String, Object> rigs = new java.util.TreeMap<>();
        if (recompute) {
            TakeSummaries.recompute(store, take, endOf(take), motionConfig)
                    .forEach((rig, s) -> rigs.put(rig, summaryJson(s, "storage")));
        } else {
            for (TakeSummaries.Stored row : TakeSummaries.stored(store, List.of(take))) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("source", row.source());
                row.metrics().forEach((name, value) -> {
                    if (value != null) {
                        fields.put(name, value);
                    }
                });
                rigs.put(row.rig(), fields);
            }
        }
        out.put("rigs", rigs);
        return ok(out);
    }

    private static Map<String, Object> summaryJson(TakeSummary s, String source) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("duration_s", s.durationSeconds());
        out.put("samples", s.samples());
        out.put("peak_g", s.peakG());
        out.put("peak_dps", s.peakDps());
        out.put("peak_ang_accel_rads2", s.peakAngularAccelRadS2());
        out.put("impacts", s.impacts());
        out.put("max_hic15", finiteOrNull(s.maxHic15()));
        out.put("head_turns", s.headTurns());
        out.put("whip_pans", s.whipPans());
        out.put("msdv", s.msdvMps15());
        out.put("weighted_rms_mps2", s.weightedRmsMps2());
        out.put("share_above_30dps", s.shareAbove30Dps());
        out.put("viewer_comfort", s.viewerComfort());
        out.put("above_3g_s", s.secondsAbove3G());
        return out;
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** Motion events of a take, oldest first; {@code types} null for all. */
    private List<Map<String, Object>> events(Take take, List<String> types) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (StoreReads.MotionEventRow row : store.motionEvents(take.startNanos(), endOf(take), types)) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("rig", row.rig());
            event.put("type", row.type());
            event.put("onset_ns", row.onsetNanos());
            event.putAll(row.fields());
            event.put("wearer", takes.wearerAt(row.rig(), row.onsetNanos()).orElse(""));
            events.add(event);
        }
        events.sort(java.util.Comparator.comparingLong(e -> (Long) e.get("onset_ns")));
        return events;
    }

    /** The take's head turns and whip pans as cut candidates for editorial, in one of the export formats. */
    private ApiResponse cuts(Take take, String extension) {
        CutCandidateExports.Format format =
                switch (extension) {
                    case "edl" -> CutCandidateExports.Format.EDL;
                    case "resolve.edl" -> CutCandidateExports.Format.RESOLVE_EDL;
                    case "fcpxml" -> CutCandidateExports.Format.FCPXML;
                    case "txt" -> CutCandidateExports.Format.AVID_LOCATORS;
                    case "csv" -> CutCandidateExports.Format.CSV;
                    default -> null;
                };
        if (format == null) {
            return ApiResponse.error(
                    404, "cut candidates come as cuts.edl, cuts.resolve.edl, cuts.fcpxml, cuts.txt or cuts.csv");
        }
        FrameRate rate = FrameRate.fromLabel(take.rate()).orElse(FrameRate.FPS_25);
        boolean dropFrame =
                take.startLabel().length() == 11 && take.startLabel().charAt(8) == ';';
        long end = endOf(take);
        Timecode start = DatedTimecode.atUtcNanos(take.startNanos(), zone, rate, dropFrame)
                .timecode();
        Timecode last = DatedTimecode.atUtcNanos(end, zone, rate, dropFrame).timecode();
        TakeInfo info = new TakeInfo(take.name(), reel(take.cameraRoll()), rate, dropFrame, start, last);
        List<CutCandidate> candidates = new ArrayList<>();
        for (Map<String, Object> e : events(take, List.of("head-turn", "whip-pan"))) {
            long onset = (Long) e.get("onset_ns");
            if (onset >= end) {
                continue;
            }
            CutCandidate candidate = CutCandidate.at(
                    onset,
                    zone,
                    rate,
                    dropFrame,
                    String.valueOf(e.get("direction")),
                    ((Number) e.getOrDefault("peak", 0)).doubleValue(),
                    ((Number) e.getOrDefault("angle_deg", 0)).doubleValue(),
                    "whip-pan".equals(e.get("type")),
                    (String) e.get("rig"),
                    (String) e.get("wearer"));
            // Rounded to the nearest frame, a turn in the take's last half frame lands on its out point.
            if (info.contains(candidate.timecode())) {
                candidates.add(candidate);
            }
        }
        String body = CutCandidateExports.export(format, info, candidates);
        return ApiResponse.download(
                take.name() + "_" + take.id() + "_cuts." + extension,
                format.mimeType() + "; charset=utf-8",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String reel(String cameraRoll) {
        String reel = cameraRoll == null || cameraRoll.isBlank() ? "AX" : cameraRoll.replaceAll("[^A-Za-z0-9_]", "");
        return reel.isEmpty()
                ? "AX"
                : reel.length() > TakeInfo.MAX_REEL_LENGTH ? reel.substring(0, TakeInfo.MAX_REEL_LENGTH) : reel;
    }

    /**
     * A wearer's exposure: {@code ?date=} one day (default today) with its takes by name, or {@code
     * ?from=&to=} (to: default today) every day of a range and the total, up to a whole shoot.
     */
    private ApiResponse exposure(String person, ApiRequest request) {
        Optional<String> from = request.param("from");
        Optional<String> to = request.param("to");
        if (from.isEmpty() && to.isEmpty()) {
            return ok(exposure.day(
                    person, request.param("date").map(LocalDate::parse).orElse(today())));
        }
        if (request.param("date").isPresent() || from.isEmpty()) {
            throw ApiException.badRequest("give date=, or from= (and to=, default today)");
        }
        return ok(exposure.range(
                person, LocalDate.parse(from.get()), to.map(LocalDate::parse).orElse(today())));
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    private List<Map<String, Object>> rigs() {
        long now = clock.millis() * 1_000_000L;
        List<Map<String, Object>> rigs = new ArrayList<>();
        for (DeviceClocks.RigClockState state : clocks.states()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rig", state.rig());
            out.put("boot", state.boot());
            out.put("lock", state.clock().lock().name().toLowerCase(java.util.Locale.ROOT));
            out.put("drift_ppm", state.clock().driftPpm());
            out.put("residual_rms_us", state.clock().residualRmsNanos() / 1000);
            out.put("rate", state.rate().map(r -> r.label()).orElse(null));
            out.put("wearer", takes.wearerAt(state.rig(), now).orElse(null));
            rigs.add(out);
        }
        return rigs;
    }

    private ApiResponse ok(Object body) {
        return write(200, body);
    }

    private ApiResponse write(int status, Object body) {
        try {
            return ApiResponse.json(status, json.writeValueAsBytes(body));
        } catch (IOException e) {
            return ApiResponse.error(500, "cannot encode the answer");
        }
    }
}

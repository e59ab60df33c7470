package dev.rigtel.collector.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.rigtel.collector.imports.ImportService;
import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.motion.export.CutCandidate;
import dev.rigtel.collector.motion.export.CutCandidateExports;
import dev.rigtel.collector.motion.export.TakeInfo;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeHistory;
import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Days and takes: {@code /api/days/{date}/takes}, {@code /api/days/{date}/matrix}, {@code
 * /api/takes/{id}} and what hangs under it (summary, events, series, CSV downloads, cut candidates).
 */
final class TakesResource {

    private final ApiJson json;
    private final StoreReads store;
    private final TakeHistory takes;
    private final ZoneId zone;
    private final Clock clock;
    private final MotionConfig motionConfig;
    private final TakeDownloads downloads = new TakeDownloads();

    TakesResource(
            ApiJson json, StoreReads store, TakeHistory takes, ZoneId zone, Clock clock, MotionConfig motionConfig) {
        this.json = json;
        this.store = store;
        this.takes = takes;
        this.zone = zone;
        this.clock = clock;
        this.motionConfig = motionConfig;
    }

    /** {@code GET /api/days/{date}/takes}. */
    ApiResponse ofDay(LocalDate date) {
        return json.ok(takes.takesOn(date).stream().map(TakeView::of).toList());
    }

    /** {@code GET /api/days/{date}/matrix}. */
    ApiResponse matrix(LocalDate date) {
        return json.ok(DayMatrix.answer(store, takes, date, this::endOf));
    }

    /** {@code GET /api/takes/{id}}. */
    ApiResponse take(String id) {
        return takes.take(id).map(this::detail).orElseGet(() -> ApiResponse.error(404, "no take " + id));
    }

    /** {@code GET /api/takes/{id}/{what}}. */
    ApiResponse part(String id, String what, ApiRequest request) {
        Take take = takes.take(id).orElse(null);
        if (take == null) {
            return ApiResponse.error(404, "no take " + id);
        }
        return switch (what) {
            case "summary" ->
                summary(
                        take,
                        request.param("recompute").map(Boolean::parseBoolean).orElse(false));
            case "events" -> json.ok(events(take, null));
            case "clips" -> json.ok(clips(take));
            case "series" -> json.ok(TakeSeries.answer(store, take, request, endOf(take)));
            case "summary.csv" -> TakeDownloads.summaryCsv(store, take, endOf(take));
            case "samples.csv" -> downloads.samplesCsv(store, take, request, endOf(take), zone);
            default ->
                what.startsWith("cuts.")
                        ? cuts(take, what.substring("cuts.".length()))
                        : ApiResponse.error(404, "no such endpoint; see the collector README");
        };
    }

    /** A take's end, or now while it rolls. */
    long endOf(Take take) {
        return take.endNanos().orElse(clock.millis() * 1_000_000L);
    }

    /** A take with, per rig that has samples in it: wearers, first and last sample, count and gaps. */
    record Detail(@JsonUnwrapped TakeView take, Map<String, RigDetail> rigs) {}

    /**
     * One rig in a take: its raw samples, or where they are no longer kept ({@code --raw-retention}),
     * its rollups ({@code last_ns} then the end of the last second).
     */
    record RigDetail(
            @JsonProperty("raw_kept") boolean rawKept,
            long samples,
            @JsonProperty("first_ns") long firstNanos,
            @JsonProperty("last_ns") long lastNanos,
            List<Wearer> wearers,
            List<Gap> gaps) {}

    record Wearer(String person, @JsonProperty("from_ns") long fromNanos) {}

    record Gap(@JsonProperty("end_ns") long endNanos, @JsonProperty("length_ms") double lengthMillis) {}

    private ApiResponse detail(Take take) {
        long start = take.startNanos();
        long end = endOf(take);
        Map<String, StoreReads.Extent> raw = store.imuExtents(start, end);
        // Rollups are stamped with the start of their second: the one the take starts in counts.
        Map<String, StoreReads.Extent> rollups =
                store.rollupExtents(Math.floorDiv(start, 1_000_000_000L) * 1_000_000_000L, end);
        Map<String, RigDetail> rigs = new TreeMap<>();
        // Raw samples first; a rig without any (no longer kept, --raw-retention) from its rollups.
        raw.forEach((rig, e) -> rigs.put(
                rig,
                new RigDetail(
                        true,
                        e.samples(),
                        e.firstNanos(),
                        e.lastNanos(),
                        wearers(take, rig),
                        e.samples() > 1 ? gaps(rig, e.firstNanos(), e.lastNanos(), e.samples()) : List.of())));
        rollups.forEach((rig, e) -> rigs.computeIfAbsent(
                rig,
                r -> new RigDetail(
                        false,
                        e.samples(),
                        e.firstNanos(),
                        e.lastNanos() + 999_999_999L,
                        wearers(take, r),
                        List.of())));
        return json.ok(new Detail(TakeView.of(take), rigs));
    }

    private static List<Wearer> wearers(Take take, String rig) {
        List<Wearer> wearing = new ArrayList<>();
        for (Take.Wearing w : take.wearers()) {
            if (w.rig().equals(rig)) {
                wearing.add(new Wearer(w.person(), w.fromNanos()));
            }
        }
        return wearing;
    }

    /**
     * Gaps of one rig in a take: intervals over 1.5 x the typical sample interval (DOMAIN.md 3),
     * found by the store so only the gaps come back, not every sample.
     */
    private List<Gap> gaps(String rig, long firstNanos, long lastNanos, long samples) {
        long typicalMicros = Math.max(1, (lastNanos - firstNanos) / 1000 / (samples - 1));
        long thresholdMicros = typicalMicros * 3 / 2;
        List<Gap> gaps = new ArrayList<>();
        for (StoreReads.Gap gap : store.imuGaps(rig, firstNanos, lastNanos, thresholdMicros)) {
            gaps.add(new Gap(gap.endNanos(), gap.lengthMicros() / 1000d));
        }
        return gaps;
    }

    /** {@code /summary}: per rig, the stored figures, or those recomputed from the raw samples. */
    record Summaries(String take, String name, Map<String, Object> rigs) {}

    /** One rig's summary recomputed from storage. */
    record Recomputed(
            String source,
            @JsonProperty("duration_s") double durationSeconds,
            long samples,
            @JsonProperty("peak_g") double peakG,
            @JsonProperty("peak_dps") double peakDps,
            @JsonProperty("peak_ang_accel_rads2") double peakAngularAccelRadS2,
            int impacts,
            @JsonProperty("max_hic15") Double maxHic15,
            @JsonProperty("head_turns") int headTurns,
            @JsonProperty("whip_pans") int whipPans,
            double msdv,
            @JsonProperty("weighted_rms_mps2") double weightedRmsMps2,
            @JsonProperty("share_above_30dps") double shareAbove30Dps,
            @JsonProperty("viewer_comfort") double viewerComfort,
            @JsonProperty("above_3g_s") int secondsAbove3G) {

        static Recomputed of(TakeSummary s) {
            return new Recomputed(
                    "storage",
                    s.durationSeconds(),
                    s.samples(),
                    s.peakG(),
                    s.peakDps(),
                    s.peakAngularAccelRadS2(),
                    s.impacts(),
                    Double.isFinite(s.maxHic15()) ? s.maxHic15() : null,
                    s.headTurns(),
                    s.whipPans(),
                    s.msdvMps15(),
                    s.weightedRmsMps2(),
                    s.shareAbove30Dps(),
                    s.viewerComfort(),
                    s.secondsAbove3G());
        }
    }

    private ApiResponse summary(Take take, boolean recompute) {
        Map<String, Object> rigs = new TreeMap<>();
        if (recompute) {
            TakeSummaries.recompute(store, take, endOf(take), motionConfig)
                    .forEach((rig, s) -> rigs.put(rig, Recomputed.of(s)));
        } else {
            for (TakeSummaries.Stored row : TakeSummaries.stored(store, List.of(take))) {
                // Stored figures as stored: a figure a summary does not hold is left out.
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
        return json.ok(new Summaries(take.id(), take.name(), rigs));
    }

    /** One imported camera clip's share of a take ({@code GET /api/takes/{id}/clips}). */
    record ClipView(
            String clip,
            @JsonProperty("clip_name") String clipName,
            String rig,
            String wearer,
            @JsonProperty("camera_model") String cameraModel,
            @JsonProperty("camera_serial") String cameraSerial,
            String timecode,
            @JsonProperty("first_ns") long firstNanos,
            @JsonProperty("last_ns") long lastNanos,
            long samples) {}

    /** {@code /clips}: the camera clips imported onto the take's rigs, by their first sample in it. */
    record Clips(@JsonProperty("take_id") String takeId, List<ClipView> clips) {}

    private Clips clips(Take take) {
        List<ClipView> clips = new ArrayList<>();
        for (StoreReads.ImportClipRow row : store.importClips(take.startNanos(), endOf(take))) {
            if (row.takeId().equals(take.id())) {
                clips.add(new ClipView(
                        row.clip(),
                        row.clipName(),
                        row.rig(),
                        takes.wearerAt(row.rig(), row.firstNanos()).orElse(""),
                        row.cameraModel(),
                        row.cameraSerial(),
                        row.timecode(),
                        row.firstNanos(),
                        row.lastNanos(),
                        row.samples()));
            }
        }
        return new Clips(take.id(), clips);
    }

    /**
     * Motion events of a take, oldest first; {@code types} null for all. An event's fields are those
     * it was stored with, so each is a map: rig, type, onset, its fields by name, the wearer.
     */
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
            if (ImportService.SOURCE.equals(e.get("source"))) {
                candidate = candidate.fromCamera();
            }
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
}

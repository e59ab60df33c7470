package dev.rigtel.collector.ingest;

import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.TakeSummarizer;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.LineProtocol;
import dev.rigtel.collector.store.Schema;
import dev.rigtel.collector.takes.Take;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.influxdb.dto.QueryResult;

/**
 * Per-take motion summaries: how they are stored ({@code take_summary}, one point per rig and take,
 * at the take's start) and how they are recomputed from the stored raw samples of any past take,
 * with the same {@link TakeSummarizer} the live path uses.
 */
public final class TakeSummaries {

    private static final int CHUNK_ROWS = 20_000;

    /**
     * The figures of a stored summary, by field name, in the order {@link #append} writes them
     * (besides {@code source}); a figure that was not finite is left out of the point.
     */
    public static final List<String> METRICS = List.of(
            "duration_s",
            "samples",
            "peak_g",
            "peak_dps",
            "peak_ang_accel_rads2",
            "impacts",
            "max_hic15",
            "head_turns",
            "whip_pans",
            "msdv",
            "weighted_rms_mps2",
            "share_above_30dps",
            "viewer_comfort");

    /** The {@link #METRICS} stored as integers. */
    public static final java.util.Set<String> COUNTS =
            java.util.Set.of("samples", "impacts", "head_turns", "whip_pans");

    private TakeSummaries() {}

    static void append(StringBuilder lines, String rig, Take take, TakeSummary s, String source) {
        Schema.startTakeSummary(lines, rig, take.id(), source);
        field(lines, "duration_s", s.durationSeconds());
        LineProtocol.field(lines, "samples", s.samples());
        field(lines, "peak_g", s.peakG());
        field(lines, "peak_dps", s.peakDps());
        field(lines, "peak_ang_accel_rads2", s.peakAngularAccelRadS2());
        LineProtocol.field(lines, "impacts", (long) s.impacts());
        field(lines, "max_hic15", s.maxHic15());
        LineProtocol.field(lines, "head_turns", (long) s.headTurns());
        LineProtocol.field(lines, "whip_pans", (long) s.whipPans());
        field(lines, "msdv", s.msdvMps15());
        field(lines, "weighted_rms_mps2", s.weightedRmsMps2());
        field(lines, "share_above_30dps", s.shareAbove30Dps());
        field(lines, "viewer_comfort", s.viewerComfort());
        Schema.end(lines, take.startNanos());
    }

    private static void field(StringBuilder lines, String key, double value) {
        if (Double.isFinite(value)) {
            LineProtocol.field(lines, key, value);
        }
    }

    /** The summaries stored for a take, per rig (the newest point of each rig). Blocking. */
    public static Map<String, TakeSummary> stored(InfluxStore influx, Take take) {
        Map<String, TakeSummary> byRig = new TreeMap<>();
        String query = "SELECT duration_s, samples, peak_g, peak_dps, peak_ang_accel_rads2, impacts, max_hic15, "
                + "head_turns, whip_pans, msdv, weighted_rms_mps2, share_above_30dps, viewer_comfort FROM "
                + Schema.TAKE_SUMMARY + " WHERE take = '"
                + take.id().replace("\\", "\\\\").replace("'", "\\'")
                + "' GROUP BY rig";
        for (QueryResult.Result result : influx.query(query)) {
            if (result.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : result.getSeries()) {
                List<Object> v = series.getValues().get(series.getValues().size() - 1);
                byRig.put(
                        series.getTags().get("rig"),
                        new TakeSummary(
                                orNaN(v.get(1)),
                                (long) orNaN(v.get(2)),
                                orNaN(v.get(3)),
                                orNaN(v.get(4)),
                                orNaN(v.get(5)),
                                (int) orNaN(v.get(6)),
                                orNaN(v.get(7)),
                                (int) orNaN(v.get(8)),
                                (int) orNaN(v.get(9)),
                                orNaN(v.get(10)),
                                orNaN(v.get(11)),
                                orNaN(v.get(12)),
                                orNaN(v.get(13))));
            }
        }
        return byRig;
    }

    private static double orNaN(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    /** Recomputes a take's summaries from the raw samples in storage, per rig. Blocking. */
    public static Map<String, TakeSummary> recompute(
            InfluxStore influx, Take take, long endNanos, MotionConfig config) {
        return recompute(influx, take, endNanos, config, null);
    }

    /** As {@link #recompute(InfluxStore, Take, long, MotionConfig)}, for one rig only unless null. */
    public static Map<String, TakeSummary> recompute(
            InfluxStore influx, Take take, long endNanos, MotionConfig config, String rig) {
        String rigFilter = rig == null ? "" : " AND rig = " + quote(rig);
        Map<String, TakeSummarizer> byRig = new TreeMap<>();
        influx.queryChunked(
                "SELECT ax, ay, az, gx, gy, gz FROM imu WHERE time >= " + take.startNanos() + " AND time < " + endNanos
                        + rigFilter + " GROUP BY rig",
                CHUNK_ROWS,
                series -> {
                    TakeSummarizer summarizer =
                            byRig.computeIfAbsent(series.getTags().get("rig"), r -> new TakeSummarizer(config));
                    feed(summarizer, series);
                });
        Map<String, TakeSummary> summaries = new TreeMap<>();
        byRig.forEach((r, summarizer) -> summaries.put(r, summarizer.finish()));
        return summaries;
    }

    /** An InfluxQL string literal. */
    private static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static void feed(TakeSummarizer summarizer, QueryResult.Series series) {
        for (List<Object> row : series.getValues()) {
            Instant time = Instant.parse((String) row.get(0));
            summarizer.accept(
                    time.getEpochSecond() * 1_000_000_000L + time.getNano(),
                    number(row.get(1)),
                    number(row.get(2)),
                    number(row.get(3)),
                    number(row.get(4)),
                    number(row.get(5)),
                    number(row.get(6)));
        }
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }
}

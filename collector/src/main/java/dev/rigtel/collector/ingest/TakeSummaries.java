package dev.rigtel.collector.ingest;

import dev.rigtel.collector.motion.MotionConfig;
import dev.rigtel.collector.motion.TakeSummarizer;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.store.StoreReads;
import dev.rigtel.collector.takes.Take;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-take motion summaries: how they are stored ({@code take_summary}, one point per rig and take,
 * at the take's start, the take's id in field {@code take_id}), read back, and recomputed from the
 * stored raw samples of any past take, with the same {@link TakeSummarizer} the live path uses.
 *
 * <p>The take is a field, not a tag: a tag would make a new series for every rig of every take
 * (468,000 over a 120-day shoot of 300 takes a day and 13 rigs), which InfluxDB keeps in memory. A
 * rig's takes never start at the same instant, so rig and time name the point. Besides the {@link
 * #METRICS}, each point holds {@code above_30dps_s} and {@code msdv_sq}, which add up over takes as
 * they are ({@link dev.rigtel.collector.motion.Exposure}), so a wearer's exposure over a whole shoot
 * is a sum InfluxDB computes.
 */
public final class TakeSummaries {

    /**
     * The figures of a stored summary, by field name, in the order the store writes them
     * (besides {@code source} and {@code take_id}); a figure that was not finite is left out of the
     * point.
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
            "viewer_comfort",
            "above_3g_s");

    /** The {@link #METRICS} stored as integers. */
    public static final java.util.Set<String> COUNTS =
            java.util.Set.of("samples", "impacts", "head_turns", "whip_pans", "above_3g_s");

    /**
     * One rig's stored summary of one take.
     *
     * @param metrics every field of {@link #METRICS} by name, in that order; integers as {@code Long},
     *     figures as {@code Double}, {@code null} where none is stored
     */
    public record Stored(String takeId, String rig, long startNanos, String source, Map<String, Object> metrics) {

        /** The summary these figures make; a figure not stored is NaN (0 for counts). */
        public TakeSummary summary() {
            return new TakeSummary(
                    figure("duration_s"),
                    (long) count("samples"),
                    figure("peak_g"),
                    figure("peak_dps"),
                    figure("peak_ang_accel_rads2"),
                    (int) count("impacts"),
                    figure("max_hic15"),
                    (int) count("head_turns"),
                    (int) count("whip_pans"),
                    figure("msdv"),
                    figure("weighted_rms_mps2"),
                    figure("share_above_30dps"),
                    figure("viewer_comfort"),
                    metrics.get("above_3g_s") == null ? -1 : (int) count("above_3g_s"));
        }

        private double figure(String name) {
            Object value = metrics.get(name);
            return value instanceof Number n ? n.doubleValue() : Double.NaN;
        }

        private long count(String name) {
            Object value = metrics.get(name);
            return value instanceof Number n ? n.longValue() : 0;
        }
    }

    private TakeSummaries() {}

    /**
     * The stored summaries of {@code takes}, by take start then rig: one query over the span of
     * their starts, whatever their number (a single take: its start instant). Of a rig's points for a
     * take the newest wins. Blocking.
     */
    public static List<Stored> stored(StoreReads store, Collection<Take> takes) {
        if (takes.isEmpty()) {
            return List.of();
        }
        Map<String, Take> byId = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Take take : takes) {
            byId.put(take.id(), take);
            first = Math.min(first, take.startNanos());
            last = Math.max(last, take.startNanos());
        }
        Map<String, Stored> byTakeAndRig = new LinkedHashMap<>();
        for (StoreReads.SummaryRow row : store.summaries(first, last)) {
            Take take = row.takeId() == null ? null : byId.get(row.takeId());
            // Times may come back to within a microsecond of the nanosecond.
            if (take == null || Math.abs(row.timeNanos() - take.startNanos()) > 1000) {
                continue; // a take of another day whose start lies in the span, or a stale start
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (String name : METRICS) {
                Number value = row.figures().get(name);
                metrics.put(
                        name,
                        value == null
                                ? null
                                : COUNTS.contains(name) ? (Object) value.longValue() : value.doubleValue());
            }
            byTakeAndRig.put(
                    take.id() + "\n" + row.rig(),
                    new Stored(take.id(), row.rig(), take.startNanos(), row.source(), metrics));
        }
        List<Stored> rows = new ArrayList<>(byTakeAndRig.values());
        rows.sort(Comparator.comparingLong(Stored::startNanos)
                .thenComparing(Stored::takeId)
                .thenComparing(Stored::rig));
        return rows;
    }

    /** The summaries stored for a take, per rig. Blocking. */
    public static Map<String, TakeSummary> stored(StoreReads store, Take take) {
        Map<String, TakeSummary> byRig = new TreeMap<>();
        for (Stored row : stored(store, List.of(take))) {
            byRig.put(row.rig(), row.summary());
        }
        return byRig;
    }

    /** Recomputes a take's summaries from the raw samples in storage, per rig. Blocking. */
    public static Map<String, TakeSummary> recompute(StoreReads store, Take take, long endNanos, MotionConfig config) {
        return recompute(store, take, endNanos, config, null);
    }

    /** As {@link #recompute(StoreReads, Take, long, MotionConfig)}, for one rig only unless null. */
    public static Map<String, TakeSummary> recompute(
            StoreReads store, Take take, long endNanos, MotionConfig config, String rig) {
        Map<String, TakeSummarizer> byRig = new TreeMap<>();
        store.imuSamples(
                rig, take.startNanos(), endNanos, (r, timeNanos, ax, ay, az, gx, gy, gz) -> byRig.computeIfAbsent(
                                r, x -> new TakeSummarizer(config))
                        .accept(timeNanos, ax, ay, az, gx, gy, gz));
        Map<String, TakeSummary> summaries = new TreeMap<>();
        byRig.forEach((r, summarizer) -> summaries.put(r, summarizer.finish()));
        return summaries;
    }
}

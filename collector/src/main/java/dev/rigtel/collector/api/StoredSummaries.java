package dev.rigtel.collector.api;

import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.Schema;
import dev.rigtel.collector.takes.Take;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.dto.QueryResult;

/**
 * The stored take summaries ({@code take_summary}, one point per rig and take at the take's roll) of
 * a set of takes, read in one query, and who a rig's summary belongs to.
 */
final class StoredSummaries {

    /**
     * One rig's summary of one take.
     *
     * @param metrics every field of {@link TakeSummaries#METRICS} by name, in that order; integers as
     *     {@code Long}, figures as {@code Double}, {@code null} where none is stored
     */
    record Row(Take take, String rig, String source, Map<String, Object> metrics) {}

    private StoredSummaries() {}

    /**
     * The summaries of {@code takes}, by take start then rig: one InfluxDB query over the span of
     * their rolls, whatever their number.
     */
    static List<Row> of(InfluxStore influx, Collection<Take> takes) {
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
        // One take: its tag selects it. Several: the span of their rolls, where their points are.
        String where = takes.size() == 1
                ? "take = " + Influxql.literal(takes.iterator().next().id())
                : "time >= " + first + " AND time <= " + last;
        List<Row> rows = new ArrayList<>();
        for (QueryResult.Result result : influx.query("SELECT source, " + String.join(", ", TakeSummaries.METRICS)
                + " FROM " + Schema.TAKE_SUMMARY + " WHERE " + where + " GROUP BY rig, take")) {
            if (result.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : result.getSeries()) {
                Take take = byId.get(series.getTags().get("take"));
                if (take == null || series.getValues().isEmpty()) {
                    continue; // a take of another day whose roll lies in the span
                }
                List<String> columns = series.getColumns();
                List<Object> values = series.getValues().get(series.getValues().size() - 1);
                Map<String, Object> metrics = new LinkedHashMap<>();
                String source = null;
                for (int i = 1; i < columns.size(); i++) {
                    String name = columns.get(i);
                    Object value = values.get(i);
                    if (name.equals("source")) {
                        source = value == null ? null : value.toString();
                    } else if (value instanceof Number n) {
                        metrics.put(
                                name, TakeSummaries.COUNTS.contains(name) ? (Object) n.longValue() : n.doubleValue());
                    } else {
                        metrics.put(name, null);
                    }
                }
                rows.add(new Row(take, series.getTags().get("rig"), source, metrics));
            }
        }
        rows.sort(Comparator.comparingLong((Row r) -> r.take().startNanos())
                .thenComparing(r -> r.take().id())
                .thenComparing(Row::rig));
        return rows;
    }

    /**
     * Who a rig's summary of a take belongs to: the person who wore the rig for the longest part of
     * the take (the earlier one on a tie); {@code null} if nobody was assigned to it.
     *
     * @param takeEndNanos the take's end, or now while it rolls
     */
    static String wearer(Take take, String rig, long takeEndNanos) {
        Map<String, Long> worn = new LinkedHashMap<>();
        for (Take.Wearing w : take.wearers()) {
            if (w.rig().equals(rig)) {
                long to = Math.min(w.toNanos(), takeEndNanos);
                worn.merge(w.person(), Math.max(0, to - w.fromNanos()), Long::sum);
            }
        }
        String best = null;
        long longest = -1;
        for (Map.Entry<String, Long> e : worn.entrySet()) {
            if (e.getValue() > longest) {
                best = e.getKey();
                longest = e.getValue();
            }
        }
        return best;
    }
}

package dev.rigtel.collector.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBIOException;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read port on InfluxDB 1.x: every InfluxQL statement the collector sends lives here, with the
 * one walk of a query result into rows, the one string-literal escaper ({@link Influxql#literal})
 * and the one RFC 3339 reader ({@link #nanos}).
 *
 * <p>The JSON answer of a query holds numbers as doubles: a timestamp comes back to within about 256
 * ns, an integer field as a double. Where the exact nanosecond matters the times are read as RFC
 * 3339 text, from chunked queries ({@link #imuSamples}); nanosecond values kept in fields are stored
 * as decimal text.
 */
public final class InfluxReads implements StoreReads {

    private static final Logger log = LoggerFactory.getLogger(InfluxReads.class);
    private static final int CHUNK_ROWS = 10_000;
    /** Statements sent in one request by {@link #summarySums}. */
    private static final int STATEMENTS_PER_QUERY = 100;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final InfluxStore influx;

    public InfluxReads(InfluxStore influx) {
        this.influx = influx;
    }

    // ---- slate ----

    @Override
    public List<SlateRow> slateWindow(long fromNanos, long toNanos) {
        String from = " FROM " + influx.from(Measurements.SLATE);
        String in = toNanos == Long.MAX_VALUE
                ? " WHERE time >= " + fromNanos
                : " WHERE time >= " + fromNanos + " AND time < " + toNanos;
        StringBuilder query = new StringBuilder()
                .append("SELECT *")
                .append(from)
                .append(in)
                .append("; SELECT *")
                .append(from)
                .append(" WHERE \"type\" = 'assign' AND time < ")
                .append(fromNanos)
                .append(" GROUP BY \"rig\" ORDER BY time DESC LIMIT 1; SELECT *")
                .append(from)
                .append(" WHERE (\"type\" = 'roll' OR \"type\" = 'cut') AND time < ")
                .append(fromNanos)
                .append(" ORDER BY time DESC LIMIT 1");
        if (toNanos != Long.MAX_VALUE) {
            query.append("; SELECT *")
                    .append(from)
                    .append(" WHERE (\"type\" = 'roll' OR \"type\" = 'cut') AND time >= ")
                    .append(toNanos)
                    .append(" ORDER BY time ASC LIMIT 1");
        }
        List<QueryResult.Result> results = query(query.toString());
        List<SlateRow> events = new ArrayList<>();
        for (QueryResult.Result result : results) {
            events.addAll(slateRows(result));
        }
        events.addAll(untaggedAssignments(results.size() > 1 ? results.get(1) : null, fromNanos));
        return events;
    }

    @Override
    public List<SlateRow> slateAssignments(long fromNanos, long toNanos) {
        String from = " FROM " + influx.from(Measurements.SLATE);
        List<QueryResult.Result> results = query("SELECT *" + from + " WHERE \"type\" = 'assign' AND time >= "
                + fromNanos + " AND time < " + toNanos + "; SELECT *" + from
                + " WHERE \"type\" = 'assign' AND time < " + fromNanos
                + " GROUP BY \"rig\" ORDER BY time DESC LIMIT 1");
        List<SlateRow> assigns = new ArrayList<>();
        for (QueryResult.Result result : results) {
            for (SlateRow row : slateRows(result)) {
                if (row.type().equals("assign")) {
                    assigns.add(row);
                }
            }
        }
        assigns.addAll(untaggedAssignments(results.size() > 1 ? results.get(1) : null, fromNanos));
        return assigns;
    }

    @Override
    public Optional<SlateRow> slateRoll(String id) {
        List<QueryResult.Result> results = query("SELECT * FROM " + influx.from(Measurements.SLATE)
                + " WHERE \"type\" = 'roll' AND \"id\" = " + Influxql.literal(id) + " ORDER BY time DESC LIMIT 1");
        return results.isEmpty()
                ? Optional.empty()
                : slateRows(results.get(0)).stream()
                        .filter(r -> r.type().equals("roll"))
                        .findFirst();
    }

    @Override
    public Optional<Long> firstSlateNanos() {
        for (QueryResult.Series series : series("SELECT first(\"id\") FROM " + influx.from(Measurements.SLATE))) {
            if (!series.getValues().isEmpty()) {
                return Optional.of(((Number) series.getValues().get(0).get(0)).longValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Assignments written before the {@code rig} tag existed group under an empty rig: for those the
     * newest per rig comes from reading them all (a store written by this version has none).
     */
    private List<SlateRow> untaggedAssignments(QueryResult.Result newestPerRig, long beforeNanos) {
        if (newestPerRig == null || newestPerRig.getSeries() == null) {
            return List.of();
        }
        boolean untagged = newestPerRig.getSeries().stream()
                .anyMatch(s -> s.getTags() == null
                        || s.getTags().getOrDefault("rig", "").isEmpty());
        if (!untagged) {
            return List.of();
        }
        Map<String, SlateRow> newest = new LinkedHashMap<>();
        for (QueryResult.Result result : query("SELECT * FROM " + influx.from(Measurements.SLATE)
                + " WHERE \"type\" = 'assign' AND \"rig\"::tag = '' AND time < " + beforeNanos)) {
            for (SlateRow row : slateRows(result)) {
                if (row.type().equals("assign")) {
                    newest.merge(row.rig(), row, (x, y) -> y.atNanos() >= x.atNanos() ? y : x);
                }
            }
        }
        return List.copyOf(newest.values());
    }

    private static List<SlateRow> slateRows(QueryResult.Result result) {
        return parsed(rows(result), StoredPoints::slateRow, "slate");
    }

    // ---- commands ----

    @Override
    public List<CommandRow> commandPoints(String rig, long sinceNanos, int maxPoints) {
        return commandRows("SELECT * FROM " + influx.from(Measurements.RIG_COMMAND) + " WHERE \"rig\" = "
                + Influxql.literal(rig) + " AND time >= " + sinceNanos + " ORDER BY time DESC LIMIT " + maxPoints);
    }

    @Override
    public List<CommandRow> commandPointsSince(long sinceNanos) {
        return commandRows("SELECT * FROM " + influx.from(Measurements.RIG_COMMAND) + " WHERE time >= " + sinceNanos);
    }

    @Override
    public List<CommandRow> commandPoints(String rig, String id) {
        return commandRows("SELECT * FROM " + influx.from(Measurements.RIG_COMMAND) + " WHERE \"rig\" = "
                + Influxql.literal(rig) + " AND \"id\" = " + Influxql.literal(id));
    }

    private List<CommandRow> commandRows(String influxql) {
        List<CommandRow> points = new ArrayList<>();
        for (QueryResult.Result result : query(influxql)) {
            points.addAll(parsed(
                    rows(result),
                    row -> StoredPoints.commandRow(row, nanos(row.get("time"))),
                    Measurements.RIG_COMMAND));
        }
        return points;
    }

    // ---- clocks ----

    @Override
    public List<ClockSegmentRow> clockSegments(long sinceNanos) {
        List<ClockSegmentRow> segments = new ArrayList<>();
        for (QueryResult.Series series :
                series("SELECT \"length_ns\", \"start_dev_ns\", \"start_ns\", \"rate\", \"lock\", "
                        + "\"drift_ppm\", \"residual_rms_us\" FROM " + influx.from(Measurements.RIG_CLOCK)
                        + " WHERE time > "
                        + sinceNanos + " GROUP BY \"rig\", \"boot\"")) {
            for (List<Object> row : series.getValues()) {
                segments.add(new ClockSegmentRow(
                        series.getTags().get("rig"),
                        series.getTags().get("boot"),
                        ((Number) row.get(1)).longValue(),
                        Long.parseLong(String.valueOf(row.get(2))),
                        Long.parseLong(String.valueOf(row.get(3))),
                        ((Number) row.get(4)).doubleValue(),
                        String.valueOf(row.get(5)),
                        ((Number) row.get(6)).doubleValue(),
                        ((Number) row.get(7)).doubleValue()));
            }
        }
        return segments;
    }

    @Override
    public Map<String, Long> latestSampleNanos(long sinceNanos) {
        Map<String, Long> latest = new HashMap<>();
        for (QueryResult.Series series : series("SELECT last(\"ax\") FROM " + influx.from(Measurements.IMU)
                + " WHERE time > " + sinceNanos + " GROUP BY \"rig\"")) {
            latest.put(
                    series.getTags().get("rig"), nanos(series.getValues().get(0).get(0)));
        }
        return latest;
    }

    // ---- take summaries ----

    @Override
    public List<SummaryRow> summaries(long firstNanos, long lastNanos) {
        String where = firstNanos == lastNanos
                ? "time = " + firstNanos
                : "time >= " + firstNanos + " AND time <= " + lastNanos;
        List<SummaryRow> rows = new ArrayList<>();
        for (QueryResult.Result result : query(
                "SELECT * FROM " + influx.from(Measurements.TAKE_SUMMARY) + " WHERE " + where + " GROUP BY \"rig\"")) {
            for (Map<String, Object> row : rows(result)) {
                Map<String, Number> figures = new LinkedHashMap<>();
                row.forEach((name, value) -> {
                    if (value instanceof Number n && !name.equals("time")) {
                        figures.put(name, n);
                    }
                });
                // Points written before the take became a field hold it in tag "take".
                Object id = row.get("take_id") != null ? row.get("take_id") : row.get("take");
                Object source = row.get("source");
                rows.add(new SummaryRow(
                        id == null ? null : id.toString(),
                        String.valueOf(row.get("rig")),
                        nanos(row.get("time")),
                        source == null ? null : source.toString(),
                        figures));
            }
        }
        return rows;
    }

    @Override
    public List<ExposureRow> exposureRows(long fromNanos, long toNanos) {
        List<ExposureRow> rows = new ArrayList<>();
        for (QueryResult.Result result : query("SELECT \"take_id\", \"take\", \"samples\", \"impacts\", \"max_hic15\","
                + " \"peak_g\", \"head_turns\", \"msdv_sq\", \"msdv\" FROM "
                + influx.from(Measurements.TAKE_SUMMARY) + " WHERE time >= " + fromNanos + " AND time < " + toNanos
                + " GROUP BY \"rig\"")) {
            for (Map<String, Object> row : rows(result)) {
                if (!(row.get("samples") instanceof Number)) {
                    continue;
                }
                Object id = row.get("take_id") != null ? row.get("take_id") : row.get("take");
                rows.add(new ExposureRow(
                        id == null ? null : id.toString(),
                        String.valueOf(row.get("rig")),
                        nanos(row.get("time")),
                        number(row.get("impacts")),
                        number(row.get("max_hic15")),
                        number(row.get("peak_g")),
                        number(row.get("head_turns")),
                        row.get("msdv_sq") instanceof Number n
                                ? n.doubleValue()
                                : number(row.get("msdv")) * number(row.get("msdv"))));
            }
        }
        return rows;
    }

    @Override
    public List<SummarySums> summarySums(List<RigSpan> spans) {
        List<SummarySums> sums = new ArrayList<>(spans.size());
        for (int first = 0; first < spans.size(); first += STATEMENTS_PER_QUERY) {
            List<RigSpan> part = spans.subList(first, Math.min(spans.size(), first + STATEMENTS_PER_QUERY));
            StringBuilder query = new StringBuilder();
            for (RigSpan span : part) {
                if (query.length() > 0) {
                    query.append("; ");
                }
                query.append(
                                "SELECT count(\"samples\"), sum(\"impacts\"), max(\"max_hic15\"), sum(\"msdv_sq\"), "
                                        + "sum(\"above_30dps_s\"), sum(\"above_3g_s\"), count(\"above_3g_s\"), max(\"peak_g\") FROM ")
                        .append(influx.from(Measurements.TAKE_SUMMARY))
                        .append(" WHERE \"rig\" = ")
                        .append(Influxql.literal(span.rig()))
                        .append(" AND time >= ")
                        .append(span.fromNanos())
                        .append(" AND time < ")
                        .append(span.toNanos());
            }
            List<QueryResult.Result> results = query(query.toString());
            for (int i = 0; i < part.size(); i++) {
                sums.add(i < results.size() ? sums(results.get(i)) : null);
            }
        }
        return sums;
    }

    /** One statement's sums, null without takes. */
    private static SummarySums sums(QueryResult.Result result) {
        if (result.getSeries() == null || result.getSeries().isEmpty()) {
            return null;
        }
        List<Object> row = result.getSeries().get(0).getValues().get(0);
        long takes = (long) number(row.get(1));
        if (takes == 0) {
            return null;
        }
        return new SummarySums(
                takes,
                number(row.get(2)),
                number(row.get(3)),
                number(row.get(4)),
                number(row.get(5)),
                number(row.get(6)),
                (long) number(row.get(7)),
                number(row.get(8)));
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    // ---- samples and rollups ----

    @Override
    public void imuSamples(String rig, String source, long fromNanos, long toNanos, ImuRows each) {
        String rigFilter = (rig == null ? "" : " AND rig = " + Influxql.literal(rig)) + sourceFilter(source);
        queryChunked(
                "SELECT ax, ay, az, gx, gy, gz FROM " + influx.from(Measurements.IMU) + " WHERE time >= " + fromNanos
                        + " AND time < " + toNanos + rigFilter + " GROUP BY rig",
                series -> {
                    String seriesRig = series.getTags().get("rig");
                    for (List<Object> row : series.getValues()) {
                        each.row(
                                seriesRig,
                                nanos(row.get(0)),
                                figure(row.get(1)),
                                figure(row.get(2)),
                                figure(row.get(3)),
                                figure(row.get(4)),
                                figure(row.get(5)),
                                figure(row.get(6)));
                    }
                });
    }

    @Override
    public long imuCount(String rig, String source, long fromNanos, long toNanos) {
        return count("SELECT count(ax) FROM " + influx.from(Measurements.IMU) + " WHERE "
                + where(rig, source, fromNanos, toNanos));
    }

    @Override
    public boolean imuExists(String rig, String source, long fromNanos, long toNanos) {
        return !series("SELECT ax FROM " + influx.from(Measurements.IMU) + " WHERE "
                        + where(rig, source, fromNanos, toNanos) + " LIMIT 1")
                .isEmpty();
    }

    @Override
    public Map<String, Extent> imuExtents(long fromNanos, long toNanos) {
        return extents(Measurements.IMU, "count(ax)", "first(ax)", "last(ax)", fromNanos, toNanos);
    }

    @Override
    public Map<String, Extent> rollupExtents(long fromNanos, long toNanos) {
        return extents(Measurements.IMU_1S, "sum(samples)", "first(samples)", "last(samples)", fromNanos, toNanos);
    }

    private Map<String, Extent> extents(
            String measurement, String total, String first, String last, long fromNanos, long toNanos) {
        String from = " FROM " + influx.from(measurement) + " WHERE time >= " + fromNanos + " AND time < " + toNanos
                + " GROUP BY rig";
        List<QueryResult.Result> results =
                query("SELECT " + total + from + "; SELECT " + first + from + "; SELECT " + last + from);
        Map<String, long[]> byRig = new TreeMap<>();
        for (int i = 0; i < 3 && i < results.size(); i++) {
            if (results.get(i).getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : results.get(i).getSeries()) {
                List<Object> row = series.getValues().get(0);
                long value = ((Number) (i == 0 ? row.get(1) : row.get(0))).longValue();
                byRig.computeIfAbsent(series.getTags().get("rig"), r -> new long[3])[i] = value;
            }
        }
        Map<String, Extent> extents = new TreeMap<>();
        byRig.forEach((rig, v) -> extents.put(rig, new Extent(v[0], v[1], v[2])));
        return extents;
    }

    @Override
    public List<Gap> imuGaps(String rig, long fromNanos, long toNanos, long thresholdMicros) {
        List<Gap> gaps = new ArrayList<>();
        for (QueryResult.Result result : query("SELECT e FROM (SELECT elapsed(ax, 1u) AS e FROM "
                + influx.from(Measurements.IMU) + " WHERE rig = " + Influxql.literal(rig) + " AND time >= " + fromNanos
                + " AND time <= " + toNanos + ") WHERE e > " + thresholdMicros)) {
            if (result.getSeries() == null) {
                continue;
            }
            for (List<Object> row : result.getSeries().get(0).getValues()) {
                gaps.add(new Gap(((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue()));
            }
        }
        return gaps;
    }

    @Override
    public long rollupCount(String rig, String source, long fromNanos, long toNanos) {
        return count("SELECT count(acc_peak_g) FROM " + influx.from(Measurements.IMU_1S) + " WHERE "
                + where(rig, source, fromNanos, toNanos));
    }

    @Override
    public boolean rollupsExist(String rig, String source, long fromNanos, long toNanos) {
        return !series("SELECT acc_peak_g FROM " + influx.from(Measurements.IMU_1S) + " WHERE "
                        + where(rig, source, fromNanos, toNanos) + " LIMIT 1")
                .isEmpty();
    }

    @Override
    public List<Rollup> rollups(String rig, String source, long fromNanos, long toNanos) {
        return rollupRows(
                "SELECT acc_peak_g, acc_rms_g, gyro_peak_dps, gyro_rms_dps FROM " + influx.from(Measurements.IMU_1S)
                        + " WHERE " + where(rig, source, fromNanos, toNanos),
                NANOS_PER_SECOND);
    }

    @Override
    public List<Rollup> rollupBuckets(String rig, String source, long fromNanos, long toNanos, long bucketNanos) {
        return rollupRows(
                "SELECT max(acc_peak_g), mean(acc_rms_g), max(gyro_peak_dps), mean(gyro_rms_dps) FROM "
                        + influx.from(Measurements.IMU_1S) + " WHERE " + where(rig, source, fromNanos, toNanos)
                        + " GROUP BY time("
                        + bucketNanos / NANOS_PER_SECOND + "s) fill(none)",
                bucketNanos);
    }

    /**
     * Rows of time and four figures. Their times are multiples of {@code step} (whole seconds), which
     * a JSON double holds exactly; rounding to the step only guards that.
     */
    private List<Rollup> rollupRows(String influxql, long step) {
        List<Rollup> rollups = new ArrayList<>();
        for (QueryResult.Series series : series(influxql)) {
            for (List<Object> row : series.getValues()) {
                if (row.get(1) == null) {
                    continue;
                }
                long t = Math.round(figure(row.get(0)) / step) * step;
                rollups.add(
                        new Rollup(t, figure(row.get(1)), figure(row.get(2)), figure(row.get(3)), figure(row.get(4))));
            }
        }
        return rollups;
    }

    // ---- motion events ----

    @Override
    public List<MotionEventRow> motionEvents(long fromNanos, long toNanos, List<String> types) {
        String typeFilter = types == null
                ? ""
                : " AND ("
                        + String.join(
                                " OR ",
                                types.stream()
                                        .map(t -> "type = " + Influxql.literal(t))
                                        .toList()) + ")";
        List<MotionEventRow> events = new ArrayList<>();
        for (QueryResult.Series series : series("SELECT * FROM " + influx.from(Measurements.MOTION_EVENT)
                + " WHERE time >= " + fromNanos + " AND time < " + toNanos + typeFilter + " GROUP BY rig, type")) {
            for (List<Object> values : series.getValues()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (int i = 1; i < series.getColumns().size(); i++) {
                    if (values.get(i) != null) {
                        fields.put(series.getColumns().get(i), values.get(i));
                    }
                }
                events.add(new MotionEventRow(
                        series.getTags().get("rig"),
                        series.getTags().get("type"),
                        ((Number) values.get(0)).longValue(),
                        fields));
            }
        }
        return events;
    }

    // ---- imported clips ----

    @Override
    public List<ImportClipRow> importClips(long fromNanos, long toNanos) {
        List<ImportClipRow> clips = new ArrayList<>();
        for (QueryResult.Result result : query("SELECT * FROM " + influx.from(Measurements.IMPORT_CLIP)
                + " WHERE time >= " + fromNanos + " AND time < " + toNanos + " GROUP BY \"rig\"")) {
            clips.addAll(parsed(rows(result), StoredPoints::importClipRow, Measurements.IMPORT_CLIP));
        }
        clips.sort(java.util.Comparator.comparingLong(ImportClipRow::firstNanos));
        return clips;
    }

    // ---- the one way to ask and to walk an answer ----

    /** {@code rig = '...' AND time >= from AND time < to}, and the source's filter. */
    private static String where(String rig, String source, long fromNanos, long toNanos) {
        return "rig = " + Influxql.literal(rig) + sourceFilter(source) + " AND time >= " + fromNanos + " AND time < "
                + toNanos;
    }

    /** Empty for every source; a rig's own points have no {@code source} tag, which InfluxQL sees as {@code ''}. */
    private static String sourceFilter(String source) {
        if (source == null) {
            return "";
        }
        return " AND \"source\"::tag = " + Influxql.literal(RIG_SOURCE.equals(source) ? "" : source);
    }

    private long count(String influxql) {
        for (QueryResult.Series series : series(influxql)) {
            List<List<Object>> values = series.getValues();
            return values.isEmpty() ? 0 : (long) figure(values.get(0).get(1));
        }
        return 0;
    }

    private List<QueryResult.Result> query(String influxql) {
        try {
            return influx.query(influxql);
        } catch (InfluxDBIOException e) {
            throw new StoreUnreachableException(e.getMessage(), e);
        } catch (InfluxDBException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    private void queryChunked(String influxql, Consumer<QueryResult.Series> each) {
        try {
            influx.queryChunked(influxql, CHUNK_ROWS, each);
        } catch (InfluxDBIOException e) {
            throw new StoreUnreachableException(e.getMessage(), e);
        } catch (InfluxDBException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** Every series of every statement's answer. */
    private List<QueryResult.Series> series(String influxql) {
        List<QueryResult.Series> all = new ArrayList<>();
        for (QueryResult.Result result : query(influxql)) {
            if (result.getSeries() != null) {
                all.addAll(result.getSeries());
            }
        }
        return all;
    }

    /** One statement's answer as rows: the series' tags, then every column that holds a value. */
    private static List<Map<String, Object>> rows(QueryResult.Result result) {
        if (result == null || result.getSeries() == null) {
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueryResult.Series series : result.getSeries()) {
            List<String> columns = series.getColumns();
            for (List<Object> values : series.getValues()) {
                Map<String, Object> row = new HashMap<>();
                if (series.getTags() != null) {
                    row.putAll(series.getTags());
                }
                for (int i = 0; i < columns.size(); i++) {
                    if (values.get(i) != null) {
                        row.put(columns.get(i), values.get(i));
                    }
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Rows parsed one by one; a row that cannot be read back is logged and skipped. */
    private static <T> List<T> parsed(
            List<Map<String, Object>> rows, Function<Map<String, Object>, T> parse, String measurement) {
        List<T> parsed = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            try {
                parsed.add(parse.apply(row));
            } catch (RuntimeException e) {
                log.warn("skipping a {} point that cannot be read back: {}", measurement, e.getMessage());
            }
        }
        return parsed;
    }

    /**
     * A time as a query answers it: RFC 3339 text (chunked answers, exact) or a number of
     * nanoseconds (a double in JSON answers, within a microsecond).
     */
    static long nanos(Object value) {
        if (value instanceof String text) {
            Instant t = Instant.parse(text);
            return t.getEpochSecond() * NANOS_PER_SECOND + t.getNano();
        }
        return (long) ((Number) value).doubleValue();
    }

    private static double figure(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }
}

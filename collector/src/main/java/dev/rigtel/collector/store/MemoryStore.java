package dev.rigtel.collector.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A store in memory: a {@link PointSink} that parses the line protocol it is given into a table of
 * points, and the {@link StoreReads} answered in Java over them. It behaves as InfluxDB does where
 * the collector can tell: a point is named by its measurement, tags and time, and a second write of
 * the same point overwrites the fields it holds (the others stay). Unbounded: for tests and small
 * tools, never a shoot.
 */
public final class MemoryStore implements PointSink, StoreReads {

    /** One series: a measurement and a tag set, its field keys, and its points by time. */
    private static final class Series {
        final Map<String, String> tags;
        final List<String> keys = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();
        /** Per time, the values by {@link #keys} position; null where a point has no such field. */
        final TreeMap<Long, Object[]> points = new TreeMap<>();

        Series(Map<String, String> tags) {
            this.tags = tags;
        }

        int slot(String key) {
            return index.computeIfAbsent(key, k -> {
                keys.add(k);
                return keys.size() - 1;
            });
        }

        Object value(Object[] values, String key) {
            Integer at = index.get(key);
            return at == null || at >= values.length ? null : values[at];
        }

        String tag(String key) {
            return tags.getOrDefault(key, "");
        }
    }

    /** A point as a query row sees it: its series and time, its values. */
    private record Row(Series series, long timeNanos, Object[] values) {
        Object get(String key) {
            return series.value(values, key);
        }

        boolean has(String key) {
            return get(key) != null;
        }

        String rig() {
            return series.tag("rig");
        }

        /** Tags, then fields; a field named as a tag comes as {@code key_1}, as in InfluxDB 1.x. */
        Map<String, Object> columns() {
            Map<String, Object> columns = new HashMap<>(series.tags);
            for (int i = 0; i < values.length && i < series.keys.size(); i++) {
                if (values[i] != null) {
                    String key = series.keys.get(i);
                    columns.put(columns.containsKey(key) ? key + "_1" : key, values[i]);
                }
            }
            return columns;
        }
    }

    /** Series by measurement, then by their tag set's canonical text. */
    private final Map<String, Map<String, Series>> measurements = new HashMap<>();

    private int points;

    @Override
    public synchronized void write(String lines, int count) throws SinkException {
        int start = 0;
        while (start < lines.length()) {
            int end = lines.indexOf('\n', start);
            end = end < 0 ? lines.length() : end;
            if (end > start) {
                try {
                    put(lines, start, end);
                } catch (RuntimeException e) {
                    throw new SinkException(
                            "refused", false, "cannot parse " + lines.substring(start, end) + ": " + e, e);
                }
            }
            start = end + 1;
        }
    }

    /** The points held, each counted once however often it was written. */
    public synchronized int points() {
        return points;
    }

    // ---- line protocol ----

    private void put(String text, int from, int to) {
        int[] at = {from};
        String measurement = token(text, at, to, new char[] {',', ' '});
        TreeMap<String, String> tags = new TreeMap<>();
        while (at[0] < to && text.charAt(at[0]) == ',') {
            at[0]++;
            String key = token(text, at, to, new char[] {'='});
            at[0]++;
            tags.put(key, token(text, at, to, new char[] {',', ' '}));
        }
        at[0]++; // the space before the fields
        Map<String, Object> fields = new LinkedHashMap<>();
        while (true) {
            String key = token(text, at, to, new char[] {'='});
            at[0]++;
            fields.put(key, value(text, at, to));
            if (at[0] >= to || text.charAt(at[0]) == ' ') {
                break;
            }
            at[0]++; // ','
        }
        long time = Long.parseLong(text.substring(at[0] + 1, to).trim());
        Series series = measurements
                .computeIfAbsent(measurement, m -> new HashMap<>())
                .computeIfAbsent(tags.toString(), k -> new Series(Map.copyOf(tags)));
        for (String key : fields.keySet()) {
            series.slot(key);
        }
        Object[] values = series.points.get(time);
        if (values == null) {
            points++;
            values = new Object[series.keys.size()];
        } else if (values.length < series.keys.size()) {
            values = Arrays.copyOf(values, series.keys.size());
        }
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            values[series.index.get(field.getKey())] = field.getValue();
        }
        series.points.put(time, values);
    }

    /** Text up to an unescaped stop character, backslash escapes removed. */
    private static String token(String text, int[] at, int to, char[] stops) {
        StringBuilder out = new StringBuilder();
        int i = at[0];
        scan:
        while (i < to) {
            char c = text.charAt(i);
            for (char stop : stops) {
                if (c == stop) {
                    break scan;
                }
            }
            if (c == '\\' && i + 1 < to) {
                c = text.charAt(++i);
            }
            out.append(c);
            i++;
        }
        at[0] = i;
        return out.toString();
    }

    private static Object value(String text, int[] at, int to) {
        int i = at[0];
        if (text.charAt(i) == '"') {
            StringBuilder out = new StringBuilder();
            i++;
            while (text.charAt(i) != '"') {
                char c = text.charAt(i++);
                out.append(c == '\\' ? text.charAt(i++) : c);
            }
            at[0] = i + 1;
            return out.toString();
        }
        int end = i;
        while (end < to && text.charAt(end) != ',' && text.charAt(end) != ' ') {
            end++;
        }
        at[0] = end;
        String raw = text.substring(i, end);
        return switch (raw) {
            case "t", "T", "true", "True", "TRUE" -> Boolean.TRUE;
            case "f", "F", "false", "False", "FALSE" -> Boolean.FALSE;
            default ->
                raw.endsWith("i") || raw.endsWith("u")
                        ? (Object) Long.parseLong(raw.substring(0, raw.length() - 1))
                        : (Object) Double.parseDouble(raw);
        };
    }

    // ---- scanning ----

    /** The points of {@code measurement} in {@code [fromNanos, toNanos)}, by series then time. */
    private List<Row> rows(String measurement, long fromNanos, long toNanos, Predicate<Series> series) {
        List<Row> rows = new ArrayList<>();
        Map<String, Series> all = measurements.getOrDefault(measurement, Map.of());
        List<String> keys = new ArrayList<>(all.keySet());
        keys.sort(Comparator.naturalOrder());
        for (String key : keys) {
            Series s = all.get(key);
            if (!series.test(s) || fromNanos >= toNanos) {
                continue;
            }
            NavigableMap<Long, Object[]> in = s.points.subMap(fromNanos, true, toNanos, false);
            in.forEach((time, values) -> rows.add(new Row(s, time, values)));
        }
        return rows;
    }

    private List<Row> rows(String measurement, long fromNanos, long toNanos) {
        return rows(measurement, fromNanos, toNanos, s -> true);
    }

    private List<Row> rigRows(String measurement, String rig, long fromNanos, long toNanos) {
        return rows(measurement, fromNanos, toNanos, s -> s.tag("rig").equals(rig));
    }

    /** As {@link #rigRows(String, String, long, long)}, of one source ({@code null} for every one). */
    private List<Row> rigRows(String measurement, String rig, String source, long fromNanos, long toNanos) {
        return rows(measurement, fromNanos, toNanos, s -> s.tag("rig").equals(rig) && ofSource(s, source));
    }

    /** A rig's own points carry no {@code source} tag. */
    private static boolean ofSource(Series s, String source) {
        return source == null || s.tag("source").equals(RIG_SOURCE.equals(source) ? "" : source);
    }

    private static Comparator<Row> byTime() {
        return Comparator.comparingLong(Row::timeNanos);
    }

    // ---- slate ----

    @Override
    public synchronized List<SlateRow> slateWindow(long fromNanos, long toNanos) {
        List<Row> picked = new ArrayList<>(rows(Measurements.SLATE, fromNanos, toNanos));
        picked.addAll(newestAssignmentPerRig(fromNanos));
        rows(Measurements.SLATE, Long.MIN_VALUE, fromNanos).stream()
                .filter(MemoryStore::rollOrCut)
                .max(byTime())
                .ifPresent(picked::add);
        if (toNanos != Long.MAX_VALUE) {
            rows(Measurements.SLATE, toNanos, Long.MAX_VALUE).stream()
                    .filter(MemoryStore::rollOrCut)
                    .min(byTime())
                    .ifPresent(picked::add);
        }
        return slateRows(picked);
    }

    @Override
    public synchronized List<SlateRow> slateAssignments(long fromNanos, long toNanos) {
        List<Row> picked = new ArrayList<>();
        for (Row row : rows(Measurements.SLATE, fromNanos, toNanos)) {
            if (row.series().tag("type").equals("assign")) {
                picked.add(row);
            }
        }
        picked.addAll(newestAssignmentPerRig(fromNanos));
        return slateRows(picked);
    }

    private List<Row> newestAssignmentPerRig(long beforeNanos) {
        Map<String, Row> newest = new TreeMap<>();
        for (Row row : rows(Measurements.SLATE, Long.MIN_VALUE, beforeNanos)) {
            if (row.series().tag("type").equals("assign")) {
                // Points written before the rig became a tag hold it as a field.
                String rig = row.rig().isEmpty() ? String.valueOf(row.get("rig")) : row.rig();
                newest.merge(rig, row, (x, y) -> y.timeNanos() >= x.timeNanos() ? y : x);
            }
        }
        return List.copyOf(newest.values());
    }

    private static boolean rollOrCut(Row row) {
        String type = row.series().tag("type");
        return type.equals("roll") || type.equals("cut");
    }

    private static List<SlateRow> slateRows(List<Row> rows) {
        List<SlateRow> events = new ArrayList<>();
        for (Row row : rows) {
            try {
                events.add(StoredPoints.slateRow(row.columns()));
            } catch (RuntimeException e) {
                // As InfluxReads: a point that cannot be read back is skipped.
            }
        }
        return events;
    }

    @Override
    public synchronized Optional<SlateRow> slateRoll(String id) {
        return rows(Measurements.SLATE, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                .filter(r -> r.series().tag("type").equals("roll") && id.equals(r.get("id")))
                .max(byTime())
                .flatMap(r -> slateRows(List.of(r)).stream().findFirst());
    }

    @Override
    public synchronized Optional<Long> firstSlateNanos() {
        return rows(Measurements.SLATE, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                .filter(r -> r.has("id"))
                .min(byTime())
                .map(Row::timeNanos);
    }

    // ---- commands ----

    @Override
    public synchronized List<CommandRow> commandPoints(String rig, long sinceNanos, int maxPoints) {
        List<Row> rows = rigRows(Measurements.RIG_COMMAND, rig, sinceNanos, Long.MAX_VALUE);
        rows.sort(byTime().reversed());
        return commandRows(rows.subList(0, Math.min(rows.size(), Math.max(0, maxPoints))));
    }

    @Override
    public synchronized List<CommandRow> commandPointsSince(long sinceNanos) {
        List<Row> rows = rows(Measurements.RIG_COMMAND, sinceNanos, Long.MAX_VALUE);
        rows.sort(byTime());
        return commandRows(rows);
    }

    @Override
    public synchronized List<CommandRow> commandPoints(String rig, String id) {
        List<Row> rows = new ArrayList<>();
        for (Row row : rigRows(Measurements.RIG_COMMAND, rig, Long.MIN_VALUE, Long.MAX_VALUE)) {
            if (id.equals(row.get("id"))) {
                rows.add(row);
            }
        }
        rows.sort(byTime());
        return commandRows(rows);
    }

    private static List<CommandRow> commandRows(List<Row> rows) {
        List<CommandRow> commands = new ArrayList<>();
        for (Row row : rows) {
            try {
                commands.add(StoredPoints.commandRow(row.columns(), row.timeNanos()));
            } catch (RuntimeException e) {
                // As InfluxReads: a point that cannot be read back is skipped.
            }
        }
        return commands;
    }

    // ---- clocks ----

    @Override
    public synchronized List<ClockSegmentRow> clockSegments(long sinceNanos) {
        List<ClockSegmentRow> segments = new ArrayList<>();
        for (Row row : rows(Measurements.RIG_CLOCK, after(sinceNanos), Long.MAX_VALUE)) {
            segments.add(new ClockSegmentRow(
                    row.rig(),
                    row.series().tag("boot"),
                    ((Number) row.get("length_ns")).longValue(),
                    Long.parseLong(String.valueOf(row.get("start_dev_ns"))),
                    Long.parseLong(String.valueOf(row.get("start_ns"))),
                    ((Number) row.get("rate")).doubleValue(),
                    String.valueOf(row.get("lock")),
                    ((Number) row.get("drift_ppm")).doubleValue(),
                    ((Number) row.get("residual_rms_us")).doubleValue()));
        }
        return segments;
    }

    @Override
    public synchronized Map<String, Long> latestSampleNanos(long sinceNanos) {
        Map<String, Long> latest = new HashMap<>();
        for (Row row : rows(Measurements.IMU, after(sinceNanos), Long.MAX_VALUE)) {
            if (row.has("ax")) {
                latest.merge(row.rig(), row.timeNanos(), Math::max);
            }
        }
        return latest;
    }

    private static long after(long nanos) {
        return nanos == Long.MAX_VALUE ? nanos : nanos + 1;
    }

    // ---- take summaries ----

    @Override
    public synchronized List<SummaryRow> summaries(long firstNanos, long lastNanos) {
        List<SummaryRow> summaries = new ArrayList<>();
        List<Row> rows = rows(Measurements.TAKE_SUMMARY, firstNanos, after(lastNanos));
        rows.sort(Comparator.comparing(Row::rig).thenComparing(byTime()));
        for (Row row : rows) {
            Map<String, Number> figures = new LinkedHashMap<>();
            Object id =
                    row.has("take_id") ? row.get("take_id") : row.series().tags.get("take");
            Object source = row.get("source");
            List<String> keys = row.series().keys;
            for (int i = 0; i < keys.size() && i < row.values().length; i++) {
                if (row.values()[i] instanceof Number n) {
                    figures.put(keys.get(i), n);
                }
            }
            summaries.add(new SummaryRow(
                    id == null ? null : id.toString(),
                    row.rig(),
                    row.timeNanos(),
                    source == null ? null : source.toString(),
                    figures));
        }
        return summaries;
    }

    @Override
    public synchronized List<ExposureRow> exposureRows(long fromNanos, long toNanos) {
        List<ExposureRow> rows = new ArrayList<>();
        if (toNanos <= fromNanos) {
            return rows;
        }
        for (SummaryRow row : summaries(fromNanos, toNanos - 1)) {
            Map<String, Number> f = row.figures();
            if (f.get("samples") == null) {
                continue;
            }
            double msdv = figure(f, "msdv");
            rows.add(new ExposureRow(
                    row.takeId(),
                    row.rig(),
                    row.timeNanos(),
                    figure(f, "impacts"),
                    figure(f, "max_hic15"),
                    figure(f, "peak_g"),
                    figure(f, "head_turns"),
                    f.get("msdv_sq") != null ? figure(f, "msdv_sq") : msdv * msdv));
        }
        return rows;
    }

    private static double figure(Map<String, Number> figures, String name) {
        Number n = figures.get(name);
        return n == null ? 0 : n.doubleValue();
    }

    @Override
    public synchronized List<SummarySums> summarySums(List<RigSpan> spans) {
        List<SummarySums> sums = new ArrayList<>(spans.size());
        for (RigSpan span : spans) {
            long takes = 0;
            long above3gKnown = 0;
            double impacts = 0;
            double maxHic = Double.NaN;
            double msdvSquared = 0;
            double above30 = 0;
            double above3g = 0;
            double maxPeak = Double.NaN;
            for (Row row : rigRows(Measurements.TAKE_SUMMARY, span.rig(), span.fromNanos(), span.toNanos())) {
                takes += row.has("samples") ? 1 : 0;
                above3gKnown += row.has("above_3g_s") ? 1 : 0;
                impacts += figure(row, "impacts", 0);
                msdvSquared += figure(row, "msdv_sq", 0);
                above30 += figure(row, "above_30dps_s", 0);
                above3g += figure(row, "above_3g_s", 0);
                maxHic = max(maxHic, figure(row, "max_hic15", Double.NaN));
                maxPeak = max(maxPeak, figure(row, "peak_g", Double.NaN));
            }
            sums.add(
                    takes == 0
                            ? null
                            : new SummarySums(
                                    takes,
                                    impacts,
                                    Double.isNaN(maxHic) ? 0 : maxHic,
                                    msdvSquared,
                                    above30,
                                    above3g,
                                    above3gKnown,
                                    Double.isNaN(maxPeak) ? 0 : maxPeak));
        }
        return sums;
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static double figure(Row row, String key, double otherwise) {
        return row.get(key) instanceof Number n ? n.doubleValue() : otherwise;
    }

    // ---- samples and rollups ----

    @Override
    public void imuSamples(String rig, String source, long fromNanos, long toNanos, ImuRows each) {
        List<Row> rows;
        synchronized (this) {
            rows = rig == null
                    ? rows(Measurements.IMU, fromNanos, toNanos, s -> ofSource(s, source))
                    : rigRows(Measurements.IMU, rig, source, fromNanos, toNanos);
        }
        rows.sort(Comparator.comparing(Row::rig).thenComparing(byTime()));
        for (Row row : rows) {
            if (row.has("ax")) {
                each.row(
                        row.rig(),
                        row.timeNanos(),
                        figure(row, "ax", Double.NaN),
                        figure(row, "ay", Double.NaN),
                        figure(row, "az", Double.NaN),
                        figure(row, "gx", Double.NaN),
                        figure(row, "gy", Double.NaN),
                        figure(row, "gz", Double.NaN));
            }
        }
    }

    @Override
    public synchronized long imuCount(String rig, String source, long fromNanos, long toNanos) {
        return count(Measurements.IMU, "ax", rig, source, fromNanos, toNanos);
    }

    @Override
    public synchronized boolean imuExists(String rig, String source, long fromNanos, long toNanos) {
        return imuCount(rig, source, fromNanos, toNanos) > 0;
    }

    @Override
    public synchronized Map<String, Extent> imuExtents(long fromNanos, long toNanos) {
        return extents(rows(Measurements.IMU, fromNanos, toNanos), "ax", false);
    }

    @Override
    public synchronized Map<String, Extent> rollupExtents(long fromNanos, long toNanos) {
        return extents(rows(Measurements.IMU_1S, fromNanos, toNanos), "samples", true);
    }

    private static Map<String, Extent> extents(List<Row> rows, String field, boolean sum) {
        Map<String, long[]> byRig = new TreeMap<>();
        for (Row row : rows) {
            if (!row.has(field)) {
                continue;
            }
            long[] e = byRig.computeIfAbsent(row.rig(), r -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            e[0] += sum ? ((Number) row.get(field)).longValue() : 1;
            e[1] = Math.min(e[1], row.timeNanos());
            e[2] = Math.max(e[2], row.timeNanos());
        }
        Map<String, Extent> extents = new TreeMap<>();
        byRig.forEach((rig, e) -> extents.put(rig, new Extent(e[0], e[1], e[2])));
        return extents;
    }

    @Override
    public synchronized List<Gap> imuGaps(String rig, long fromNanos, long toNanos, long thresholdMicros) {
        List<Gap> gaps = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (Row row : rigRows(Measurements.IMU, rig, fromNanos, after(toNanos))) {
            if (!row.has("ax")) {
                continue;
            }
            if (previous != Long.MIN_VALUE) {
                long elapsedMicros = (row.timeNanos() - previous) / 1000;
                if (elapsedMicros > thresholdMicros) {
                    gaps.add(new Gap(row.timeNanos(), elapsedMicros));
                }
            }
            previous = row.timeNanos();
        }
        return gaps;
    }

    @Override
    public synchronized long rollupCount(String rig, String source, long fromNanos, long toNanos) {
        return count(Measurements.IMU_1S, "acc_peak_g", rig, source, fromNanos, toNanos);
    }

    /** The points of {@code rig} in {@code measurement} that hold {@code field}, as InfluxDB's count(field). */
    private long count(String measurement, String field, String rig, String source, long fromNanos, long toNanos) {
        return rigRows(measurement, rig, source, fromNanos, toNanos).stream()
                .filter(r -> r.has(field))
                .count();
    }

    @Override
    public synchronized boolean rollupsExist(String rig, String source, long fromNanos, long toNanos) {
        return rollupCount(rig, source, fromNanos, toNanos) > 0;
    }

    @Override
    public synchronized List<Rollup> rollups(String rig, String source, long fromNanos, long toNanos) {
        List<Rollup> rollups = new ArrayList<>();
        for (Row row : rigRows(Measurements.IMU_1S, rig, source, fromNanos, toNanos)) {
            if (row.has("acc_peak_g")) {
                rollups.add(new Rollup(
                        row.timeNanos(),
                        figure(row, "acc_peak_g", Double.NaN),
                        figure(row, "acc_rms_g", Double.NaN),
                        figure(row, "gyro_peak_dps", Double.NaN),
                        figure(row, "gyro_rms_dps", Double.NaN)));
            }
        }
        return rollups;
    }

    @Override
    public synchronized List<Rollup> rollupBuckets(
            String rig, String source, long fromNanos, long toNanos, long bucketNanos) {
        // Per bucket: max peak g, sum and count of RMS g, max peak dps, sum and count of RMS dps.
        TreeMap<Long, double[]> buckets = new TreeMap<>();
        for (Row row : rigRows(Measurements.IMU_1S, rig, source, fromNanos, toNanos)) {
            double[] b = buckets.computeIfAbsent(Math.floorDiv(row.timeNanos(), bucketNanos) * bucketNanos, t ->
                    new double[] {Double.NaN, 0, 0, Double.NaN, 0, 0});
            b[0] = max(b[0], figure(row, "acc_peak_g", Double.NaN));
            if (row.has("acc_rms_g")) {
                b[1] += figure(row, "acc_rms_g", 0);
                b[2]++;
            }
            b[3] = max(b[3], figure(row, "gyro_peak_dps", Double.NaN));
            if (row.has("gyro_rms_dps")) {
                b[4] += figure(row, "gyro_rms_dps", 0);
                b[5]++;
            }
        }
        List<Rollup> rollups = new ArrayList<>();
        buckets.forEach((time, b) -> {
            if (!Double.isNaN(b[0])) {
                rollups.add(new Rollup(
                        time, b[0], b[2] == 0 ? Double.NaN : b[1] / b[2], b[3], b[5] == 0 ? Double.NaN : b[4] / b[5]));
            }
        });
        return rollups;
    }

    // ---- motion events ----

    @Override
    public synchronized List<MotionEventRow> motionEvents(long fromNanos, long toNanos, List<String> types) {
        List<MotionEventRow> events = new ArrayList<>();
        List<Row> rows = rows(
                Measurements.MOTION_EVENT, fromNanos, toNanos, s -> types == null || types.contains(s.tag("type")));
        rows.sort(Comparator.comparing(Row::rig)
                .thenComparing(r -> r.series().tag("type"))
                .thenComparing(byTime()));
        for (Row row : rows) {
            Map<String, Object> fields = new TreeMap<>();
            List<String> keys = row.series().keys;
            for (int i = 0; i < keys.size() && i < row.values().length; i++) {
                Object value = row.values()[i];
                if (value != null) {
                    // InfluxDB's JSON answer holds every number as a double.
                    fields.put(keys.get(i), value instanceof Long n ? (Object) n.doubleValue() : value);
                }
            }
            // SELECT * answers the tags it does not group by as columns: an imported event's source.
            if (!row.series().tag("source").isEmpty()) {
                fields.put("source", row.series().tag("source"));
            }
            events.add(new MotionEventRow(
                    row.rig(), row.series().tag("type"), row.timeNanos(), new LinkedHashMap<>(fields)));
        }
        return events;
    }

    // ---- imported clips ----

    @Override
    public synchronized List<ImportClipRow> importClips(long fromNanos, long toNanos) {
        List<ImportClipRow> clips = new ArrayList<>();
        for (Row row : rows(Measurements.IMPORT_CLIP, fromNanos, toNanos)) {
            clips.add(StoredPoints.importClipRow(row.columns()));
        }
        clips.sort(Comparator.comparingLong(ImportClipRow::firstNanos));
        return clips;
    }
}

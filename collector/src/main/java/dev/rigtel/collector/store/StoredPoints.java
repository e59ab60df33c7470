package dev.rigtel.collector.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rigtel's own points read back as the rows of {@link StoreReads}: from a store's answer (a row of
 * values by column) or from line protocol that has not reached the store yet (the spool's unwritten
 * records, read at start). One reading of each kind of point, whatever it comes from.
 */
public final class StoredPoints {

    private static final Logger log = LoggerFactory.getLogger(StoredPoints.class);

    private StoredPoints() {}

    /** The slate events among line-protocol points; a point that cannot be read back is logged and skipped. */
    public static List<StoreReads.SlateRow> slateEventsIn(String lines) {
        return pointsIn(lines, Measurements.SLATE, line -> slateRow(new HashMap<>(LineProtocol.parseSimple(line))));
    }

    /** The command points among line-protocol points, in their order; unreadable ones logged and skipped. */
    public static List<StoreReads.CommandRow> commandPointsIn(String lines) {
        return pointsIn(lines, Measurements.RIG_COMMAND, line -> {
            Map<String, Object> row = new HashMap<>(LineProtocol.parseSimple(line));
            row.put("issued_ms", Long.parseLong((String) row.get("issued_ms")));
            row.put("expires_ms", Long.parseLong((String) row.get("expires_ms")));
            return commandRow(row, LineProtocol.timestampOf(line));
        });
    }

    /** The points of {@code measurement} among {@code lines} as rows; one that cannot be read back is logged and skipped. */
    private static <T> List<T> pointsIn(String lines, String measurement, Function<String, T> row) {
        List<T> rows = new ArrayList<>();
        for (String line : LineProtocol.linesOf(lines, measurement)) {
            try {
                rows.add(row.apply(line));
            } catch (RuntimeException e) {
                log.warn("skipping a {} point in the spool that cannot be read back: {}", measurement, e.getMessage());
            }
        }
        return rows;
    }

    /** The clock segments among line-protocol points ({@code rig_clock} lines as {@link Schema#rigClock} writes them). */
    public static List<StoreReads.ClockSegmentRow> clockSegmentsIn(String lines) {
        List<StoreReads.ClockSegmentRow> segments = new ArrayList<>();
        for (String line : LineProtocol.linesOf(lines, Measurements.RIG_CLOCK)) {
            Map<String, String> parts = LineProtocol.parseSimple(line);
            segments.add(new StoreReads.ClockSegmentRow(
                    parts.get("rig"),
                    parts.get("boot"),
                    Long.parseLong(parts.get("length_ns")),
                    Long.parseLong(parts.get("start_dev_ns")),
                    Long.parseLong(parts.get("start_ns")),
                    Double.parseDouble(parts.get("rate")),
                    parts.get("lock"),
                    Double.parseDouble(parts.get("drift_ppm")),
                    Double.parseDouble(parts.get("residual_rms_us"))));
        }
        return segments;
    }

    /**
     * A slate point's row. Points written before the rig became a tag hold it as a field; where a
     * field and a tag share a key, InfluxDB 1.x answers the field as {@code rig_1}.
     */
    static StoreReads.SlateRow slateRow(Map<String, ?> row) {
        String type = text(row, "type");
        String rig = text(row, "rig");
        Object take = row.get("take");
        return new StoreReads.SlateRow(
                type,
                text(row, "id"),
                Long.parseLong(text(row, "at_ns")),
                text(row, "tc"),
                text(row, "rate"),
                text(row, "date"),
                text(row, "scene"),
                text(row, "shot"),
                take == null ? -1 : take instanceof Number n ? n.intValue() : Integer.parseInt(take.toString()),
                text(row, "camera_roll"),
                text(row, "mark"),
                text(row, "notes"),
                rig.isEmpty() ? text(row, "rig_1") : rig,
                text(row, "person"),
                Boolean.TRUE.equals(row.get("stunt")) || "true".equals(String.valueOf(row.get("stunt"))));
    }

    /** An imported clip's row; clip, take and times are required. */
    static StoreReads.ImportClipRow importClipRow(Map<String, ?> row) {
        return new StoreReads.ImportClipRow(
                required(row, "rig"),
                required(row, "clip"),
                text(row, "clip_name"),
                required(row, "take_id"),
                text(row, "camera_model"),
                text(row, "camera_serial"),
                Long.parseLong(required(row, "first_ns")),
                Long.parseLong(required(row, "last_ns")),
                number(row, "samples").longValue(),
                text(row, "tc"));
    }

    /** A command point's row; every field but {@code detail} is required. */
    static StoreReads.CommandRow commandRow(Map<String, ?> row, long timeNanos) {
        Object detail = row.get("detail");
        return new StoreReads.CommandRow(
                required(row, "id"),
                required(row, "rig"),
                required(row, "command"),
                required(row, "status"),
                required(row, "args"),
                required(row, "issued_by"),
                detail == null ? "" : detail.toString(),
                number(row, "issued_ms").longValue(),
                number(row, "expires_ms").longValue(),
                timeNanos);
    }

    private static Number number(Map<String, ?> row, String column) {
        Object value = row.get(column);
        if (value == null) {
            throw new IllegalArgumentException("no " + column);
        }
        return (Number) value;
    }

    private static String required(Map<String, ?> row, String column) {
        Object value = row.get(column);
        if (value == null) {
            throw new IllegalArgumentException("no " + column);
        }
        return value.toString();
    }

    private static String text(Map<String, ?> row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }
}

package dev.rigtel.collector.takes;

import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.LineProtocol;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slate events in InfluxDB, measurement {@code slate}: one point per event, tag {@code type},
 * fields as on the wire plus {@code at_ns} (the exact production time, as decimal text). The
 * point's timestamp is {@code at_ns} plus an offset below one millisecond derived from the event
 * id, so two events at the same frame never overwrite each other while a re-sent event (same id)
 * does. Takes are never stored: they are derived from these events on every start.
 */
public final class SlateLog {

    public static final String MEASUREMENT = "slate";
    private static final Logger log = LoggerFactory.getLogger(SlateLog.class);

    private SlateLog() {}

    /** The point's timestamp for an event: unique per id within its frame. */
    static long timestampNanos(SlateEvent event) {
        return event.atNanos() + Math.floorMod(event.id().hashCode(), 1_000_000);
    }

    public static String lines(SlateEvent event) {
        StringBuilder out = new StringBuilder(256);
        LineProtocol.measurement(out, MEASUREMENT);
        LineProtocol.tag(out, "type", event.type());
        LineProtocol.firstField(out, "id", event.id());
        LineProtocol.field(out, "at_ns", Long.toString(event.atNanos()));
        LineProtocol.field(out, "tc", event.label());
        LineProtocol.field(out, "rate", event.rate());
        LineProtocol.field(out, "date", event.date().toString());
        if (event instanceof SlateEvent.Roll r) {
            LineProtocol.field(out, "scene", r.scene());
            LineProtocol.field(out, "shot", r.shot());
            LineProtocol.field(out, "take", (long) r.take());
            LineProtocol.field(out, "camera_roll", r.cameraRoll());
            LineProtocol.field(out, "notes", r.notes());
        } else if (event instanceof SlateEvent.Mark m) {
            LineProtocol.field(out, "scene", m.scene());
            LineProtocol.field(out, "shot", m.shot());
            LineProtocol.field(out, "take", (long) m.take());
            LineProtocol.field(out, "mark", m.mark().label());
            LineProtocol.field(out, "notes", m.notes());
        } else if (event instanceof SlateEvent.Assign a) {
            LineProtocol.field(out, "rig", a.rig());
            LineProtocol.field(out, "person", a.person());
        }
        LineProtocol.end(out, timestampNanos(event));
        return out.toString();
    }

    /** Reads the events of the last {@code history} back, oldest first. Blocking. */
    public static List<SlateEvent> load(InfluxStore influx, Duration history) {
        List<SlateEvent> events = new ArrayList<>();
        String query = "SELECT * FROM \"" + MEASUREMENT + "\" WHERE time > now() - " + history.toSeconds() + "s";
        for (QueryResult.Result result : influx.query(query)) {
            if (result.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : result.getSeries()) {
                List<String> columns = series.getColumns();
                for (List<Object> values : series.getValues()) {
                    Map<String, Object> row = new java.util.HashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), values.get(i));
                    }
                    try {
                        events.add(parse(row));
                    } catch (RuntimeException e) {
                        log.warn("skipping a slate point that cannot be read back: {}", e.getMessage());
                    }
                }
            }
        }
        return events;
    }

    private static SlateEvent parse(Map<String, Object> row) {
        String type = text(row, "type");
        String id = text(row, "id");
        long at = Long.parseLong(text(row, "at_ns"));
        String label = text(row, "tc");
        String rate = text(row, "rate");
        LocalDate date = LocalDate.parse(text(row, "date"));
        return switch (type) {
            case "roll" ->
                new SlateEvent.Roll(
                        id,
                        at,
                        label,
                        rate,
                        date,
                        text(row, "scene"),
                        text(row, "shot"),
                        ((Number) row.get("take")).intValue(),
                        text(row, "camera_roll"),
                        text(row, "notes"));
            case "cut" -> new SlateEvent.Cut(id, at, label, rate, date);
            case "mark" ->
                new SlateEvent.Mark(
                        id,
                        at,
                        label,
                        rate,
                        date,
                        text(row, "scene"),
                        text(row, "shot"),
                        ((Number) row.get("take")).intValue(),
                        TakeMark.fromLabel(text(row, "mark")).orElseThrow(),
                        text(row, "notes"));
            case "assign" -> new SlateEvent.Assign(id, at, label, rate, date, text(row, "rig"), text(row, "person"));
            default -> throw new IllegalArgumentException("unknown slate type " + type);
        };
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }
}

package dev.rigtel.collector.takes;

import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.Influxql;
import dev.rigtel.collector.store.LineProtocol;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slate events in InfluxDB, measurement {@code slate}: one point per event, tag {@code type} (and
 * {@code rig} for an assignment), fields as on the wire plus {@code at_ns} (the exact production
 * time, as decimal text). The point's timestamp is {@code at_ns} plus an offset below one
 * millisecond derived from the event id, so two events at the same frame never overwrite each
 * other while a re-sent event (same id) does. Takes are never stored: they are derived from these
 * events, a day at a time ({@link TakeHistory}).
 *
 * <p>The reads of {@link SlateStore} cost the same on day 1 and day 120 of a shoot: each is bounded
 * by time or by {@code LIMIT 1} per series. The one that is not, {@link #roll} by id, reads only the
 * {@code type=roll} series (about 300 points a shooting day).
 */
public final class SlateLog implements SlateStore {

    public static final String MEASUREMENT = "slate";
    private static final Logger log = LoggerFactory.getLogger(SlateLog.class);

    private final InfluxStore influx;

    public SlateLog(InfluxStore influx) {
        this.influx = influx;
    }

    /** The point's timestamp for an event: unique per id within its frame. */
    static long timestampNanos(SlateEvent event) {
        return event.atNanos() + Math.floorMod(event.id().hashCode(), 1_000_000);
    }

    public static String lines(SlateEvent event) {
        StringBuilder out = new StringBuilder(256);
        LineProtocol.measurement(out, MEASUREMENT);
        if (event instanceof SlateEvent.Assign a) {
            // A tag, so that who wears each rig at any time is one "newest per rig" query.
            LineProtocol.tag(out, "rig", a.rig());
        }
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
            LineProtocol.field(out, "person", a.person());
        }
        LineProtocol.end(out, timestampNanos(event));
        return out.toString();
    }

    /**
     * The slate events among line-protocol points as {@link #lines} writes them, e.g. in the spool's
     * records that have not reached InfluxDB yet. A point that cannot be read back is logged and
     * skipped.
     */
    public static List<SlateEvent> eventsIn(String lines) {
        List<SlateEvent> events = new ArrayList<>();
        for (String line : LineProtocol.linesOf(lines, MEASUREMENT)) {
            try {
                events.add(parse(new HashMap<>(LineProtocol.parseSimple(line))));
            } catch (RuntimeException e) {
                log.warn("skipping a slate point in the spool that cannot be read back: {}", e.getMessage());
            }
        }
        return events;
    }

    @Override
    public List<SlateEvent> window(long fromNanos, long toNanos) {
        String from = " FROM " + influx.from(MEASUREMENT);
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
        List<QueryResult.Result> results = influx.query(query.toString());
        List<SlateEvent> events = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            events.addAll(events(results.get(i)));
        }
        events.addAll(untaggedAssignments(results.size() > 1 ? results.get(1) : null, fromNanos));
        return events;
    }

    @Override
    public List<SlateEvent.Assign> assignments(long fromNanos, long toNanos) {
        String from = " FROM " + influx.from(MEASUREMENT);
        List<QueryResult.Result> results = influx.query("SELECT *" + from + " WHERE \"type\" = 'assign' AND time >= "
                + fromNanos + " AND time < " + toNanos + "; SELECT *" + from
                + " WHERE \"type\" = 'assign' AND time < " + fromNanos
                + " GROUP BY \"rig\" ORDER BY time DESC LIMIT 1");
        List<SlateEvent.Assign> assigns = new ArrayList<>();
        for (QueryResult.Result result : results) {
            for (SlateEvent event : events(result)) {
                if (event instanceof SlateEvent.Assign a) {
                    assigns.add(a);
                }
            }
        }
        for (SlateEvent event : untaggedAssignments(results.size() > 1 ? results.get(1) : null, fromNanos)) {
            assigns.add((SlateEvent.Assign) event);
        }
        return assigns;
    }

    @Override
    public Optional<SlateEvent.Roll> roll(String id) {
        List<QueryResult.Result> results = influx.query("SELECT * FROM " + influx.from(MEASUREMENT)
                + " WHERE \"type\" = 'roll' AND \"id\" = " + Influxql.literal(id) + " ORDER BY time DESC LIMIT 1");
        return results.isEmpty()
                ? Optional.empty()
                : events(results.get(0)).stream()
                        .filter(e -> e instanceof SlateEvent.Roll)
                        .map(e -> (SlateEvent.Roll) e)
                        .findFirst();
    }

    @Override
    public Optional<Long> firstEventNanos() {
        List<QueryResult.Result> results = influx.query("SELECT first(\"id\") FROM " + influx.from(MEASUREMENT));
        if (results.isEmpty() || results.get(0).getSeries() == null) {
            return Optional.empty();
        }
        for (QueryResult.Series series : results.get(0).getSeries()) {
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
    private List<SlateEvent> untaggedAssignments(QueryResult.Result newestPerRig, long beforeNanos) {
        if (newestPerRig == null || newestPerRig.getSeries() == null) {
            return List.of();
        }
        boolean untagged = newestPerRig.getSeries().stream()
                .anyMatch(s -> s.getTags() == null
                        || s.getTags().getOrDefault("rig", "").isEmpty());
        if (!untagged) {
            return List.of();
        }
        Map<String, SlateEvent> newest = new LinkedHashMap<>();
        for (QueryResult.Result result : influx.query("SELECT * FROM " + influx.from(MEASUREMENT)
                + " WHERE \"type\" = 'assign' AND \"rig\"::tag = '' AND time < " + beforeNanos)) {
            for (SlateEvent event : events(result)) {
                if (event instanceof SlateEvent.Assign a) {
                    newest.merge(a.rig(), a, (x, y) -> y.atNanos() >= x.atNanos() ? y : x);
                }
            }
        }
        return List.copyOf(newest.values());
    }

    private static List<SlateEvent> events(QueryResult.Result result) {
        if (result == null || result.getSeries() == null) {
            return List.of();
        }
        List<SlateEvent> events = new ArrayList<>();
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
                try {
                    events.add(parse(row));
                } catch (RuntimeException e) {
                    log.warn("skipping a slate point that cannot be read back: {}", e.getMessage());
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
                        integer(row, "take"),
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
                        integer(row, "take"),
                        TakeMark.fromLabel(text(row, "mark")).orElseThrow(),
                        text(row, "notes"));
            case "assign" -> {
                // Points written before the rig became a tag hold it as a field; where a field and a
                // tag share a key, InfluxDB 1.x answers the field as "rig_1".
                String rig = text(row, "rig");
                yield new SlateEvent.Assign(
                        id, at, label, rate, date, rig.isEmpty() ? text(row, "rig_1") : rig, text(row, "person"));
            }
            default -> throw new IllegalArgumentException("unknown slate type " + type);
        };
    }

    private static int integer(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value instanceof Number n ? n.intValue() : Integer.parseInt(text(row, column));
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }
}

package dev.rigtel.collector.api;

import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.motion.Exposure;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.store.InfluxStore;
import dev.rigtel.collector.store.Influxql;
import dev.rigtel.collector.store.Schema;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.Take;
import dev.rigtel.collector.takes.TakeHistory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.influxdb.dto.QueryResult;

/**
 * {@code GET /api/people/{person}/exposure}: what a wearer went through, on one day or over any
 * range of days up to a whole shoot.
 *
 * <p>A rig's summary of a take belongs to the person who wore the rig when the take rolled (the
 * same rule as the day matrix). Over a range, the person's spells on each rig come from the rig
 * assignments alone (a few a day), and InfluxDB adds up the summaries of the takes that rolled in
 * each spell, split at local midnights into days: a few hundred one-row answers for a 120-day shoot,
 * never one row per take.
 */
final class PersonExposure {

    /** Longest range one request may cover. */
    static final int MAX_DAYS = 400;

    /** Statements sent in one InfluxDB request. */
    private static final int STATEMENTS_PER_QUERY = 100;

    private final InfluxStore influx;
    private final TakeHistory takes;
    private final ZoneId zone;

    PersonExposure(InfluxStore influx, TakeHistory takes, ZoneId zone) {
        this.influx = influx;
        this.takes = takes;
        this.zone = zone;
    }

    /** One day: the takes by name and their summaries, added up. */
    Map<String, Object> day(String person, LocalDate date) {
        List<Take> worn = new ArrayList<>();
        for (Take take : takes.takesOn(date)) {
            if (rigsAtRoll(take, person).size() > 0) {
                worn.add(take);
            }
        }
        List<TakeSummary> summaries = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Take> byId = new LinkedHashMap<>();
        worn.forEach(t -> byId.put(t.id(), t));
        for (TakeSummaries.Stored row : TakeSummaries.stored(influx, worn)) {
            Take take = byId.get(row.takeId());
            if (rigsAtRoll(take, person).contains(row.rig())) {
                summaries.add(row.summary());
                names.add(take.name());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("person", person);
        out.put("date", date.toString());
        out.put("takes", names);
        out.put("exposure", Exposure.of(summaries));
        return out;
    }

    /** The rigs {@code person} wore when {@code take} rolled. */
    private static List<String> rigsAtRoll(Take take, String person) {
        List<String> rigs = new ArrayList<>();
        for (Take.Wearing w : take.wearers()) {
            if (w.fromNanos() == take.startNanos() && w.person().equals(person)) {
                rigs.add(w.rig());
            }
        }
        return rigs;
    }

    /** Every day of {@code [from, to]}: each day's exposure and the total. */
    Map<String, Object> range(String person, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw ApiException.badRequest("to is before from");
        }
        if (to.toEpochDay() - from.toEpochDay() >= MAX_DAYS) {
            throw ApiException.badRequest("at most " + MAX_DAYS + " days at once");
        }
        long fromNanos = midnight(from);
        long toNanos = midnight(to.plusDays(1));
        List<Piece> pieces = new ArrayList<>();
        for (Spell spell : spells(takes.assignments(fromNanos, toNanos), person, fromNanos, toNanos)) {
            // Split at local midnights: a take's day is the date its roll falls on.
            long start = spell.fromNanos();
            while (start < spell.toNanos()) {
                LocalDate date = LocalDate.ofInstant(instant(start), zone);
                long end = Math.min(spell.toNanos(), midnight(date.plusDays(1)));
                pieces.add(new Piece(spell.rig(), start, end, date));
                start = end;
            }
        }
        Map<LocalDate, Exposure> byDay = new TreeMap<>();
        for (int first = 0; first < pieces.size(); first += STATEMENTS_PER_QUERY) {
            List<Piece> part = pieces.subList(first, Math.min(pieces.size(), first + STATEMENTS_PER_QUERY));
            StringBuilder query = new StringBuilder();
            for (Piece piece : part) {
                if (query.length() > 0) {
                    query.append("; ");
                }
                query.append(
                                "SELECT count(\"samples\"), sum(\"impacts\"), max(\"max_hic15\"), sum(\"msdv_sq\"), "
                                        + "sum(\"above_30dps_s\"), sum(\"above_3g_s\"), count(\"above_3g_s\"), max(\"peak_g\") FROM ")
                        .append(influx.from(Schema.TAKE_SUMMARY))
                        .append(" WHERE \"rig\" = ")
                        .append(Influxql.literal(piece.rig()))
                        .append(" AND time >= ")
                        .append(piece.fromNanos())
                        .append(" AND time < ")
                        .append(piece.toNanos());
            }
            List<QueryResult.Result> results = influx.query(query.toString());
            for (int i = 0; i < part.size() && i < results.size(); i++) {
                Exposure e = sums(results.get(i));
                if (e != null) {
                    byDay.merge(part.get(i).date(), e, Exposure::plus);
                }
            }
        }
        Exposure total = Exposure.NONE;
        List<Map<String, Object>> days = new ArrayList<>();
        for (Map.Entry<LocalDate, Exposure> day : byDay.entrySet()) {
            total = total.plus(day.getValue());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("date", day.getKey().toString());
            entry.put("exposure", day.getValue());
            days.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("person", person);
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("exposure", total);
        out.put("days", days);
        return out;
    }

    /** One statement's sums, null without takes. */
    private static Exposure sums(QueryResult.Result result) {
        if (result.getSeries() == null || result.getSeries().isEmpty()) {
            return null;
        }
        List<Object> row = result.getSeries().get(0).getValues().get(0);
        int takes = (int) number(row.get(1));
        if (takes == 0) {
            return null;
        }
        long known = (long) number(row.get(7));
        double above3g = number(row.get(6));
        if (known < takes && number(row.get(8)) > Exposure.ACCEL_THRESHOLD_G) {
            above3g = Double.NaN; // summaries stored before the time above 3 g was kept
        }
        return Exposure.ofSums(
                takes, (int) number(row.get(2)), number(row.get(3)), number(row.get(4)), number(row.get(5)), above3g);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    /** {@code person} wore {@code rig} over {@code [fromNanos, toNanos)}. */
    record Spell(String rig, long fromNanos, long toNanos) {}

    private record Piece(String rig, long fromNanos, long toNanos, LocalDate date) {}

    /**
     * The spells {@code person} wore each rig within {@code [fromNanos, toNanos)}, from the rig
     * assignments (each holds until the rig's next one): consecutive assignments of the same person
     * make one spell.
     */
    static List<Spell> spells(List<SlateEvent.Assign> assignments, String person, long fromNanos, long toNanos) {
        Map<String, List<SlateEvent.Assign>> byRig = new TreeMap<>();
        for (SlateEvent.Assign a : assignments) {
            byRig.computeIfAbsent(a.rig(), r -> new ArrayList<>()).add(a);
        }
        List<Spell> spells = new ArrayList<>();
        for (Map.Entry<String, List<SlateEvent.Assign>> rig : byRig.entrySet()) {
            List<SlateEvent.Assign> timeline = rig.getValue();
            timeline.sort(Comparator.comparingLong(SlateEvent.Assign::atNanos).thenComparing(SlateEvent.Assign::id));
            long start = Long.MIN_VALUE;
            for (SlateEvent.Assign a : timeline) {
                boolean wears = a.person().equals(person);
                if (wears && start == Long.MIN_VALUE) {
                    start = a.atNanos();
                } else if (!wears && start != Long.MIN_VALUE) {
                    add(spells, rig.getKey(), start, a.atNanos(), fromNanos, toNanos);
                    start = Long.MIN_VALUE;
                }
            }
            if (start != Long.MIN_VALUE) {
                add(spells, rig.getKey(), start, toNanos, fromNanos, toNanos);
            }
        }
        return spells;
    }

    private static void add(List<Spell> spells, String rig, long from, long to, long rangeFrom, long rangeTo) {
        long a = Math.max(from, rangeFrom);
        long b = Math.min(to, rangeTo);
        if (a < b) {
            spells.add(new Spell(rig, a, b));
        }
    }

    private long midnight(LocalDate date) {
        Instant midnight = date.atStartOfDay(zone).toInstant();
        return midnight.getEpochSecond() * 1_000_000_000L + midnight.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}

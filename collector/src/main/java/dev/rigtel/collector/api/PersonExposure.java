package dev.rigtel.collector.api;

import dev.rigtel.collector.ingest.TakeSummaries;
import dev.rigtel.collector.motion.Exposure;
import dev.rigtel.collector.motion.TakeSummary;
import dev.rigtel.collector.store.StoreReads;
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

/**
 * {@code GET /api/people/{person}/exposure}: what a wearer went through, on one day or over any
 * range of days up to a whole shoot.
 *
 * <p>A rig's summary of a take belongs to the person who wore the rig when the take rolled (the
 * same rule as the day matrix). Over a range, the person's spells on each rig come from the rig
 * assignments alone (a few a day), and the store adds up the summaries of the takes that rolled in
 * each spell, split at local midnights into days: a few hundred one-row answers for a 120-day shoot,
 * never one row per take.
 */
final class PersonExposure {

    /** Longest range one request may cover. */
    static final int MAX_DAYS = 400;

    private final StoreReads store;
    private final TakeHistory takes;
    private final ZoneId zone;

    PersonExposure(StoreReads store, TakeHistory takes, ZoneId zone) {
        this.store = store;
        this.takes = takes;
        this.zone = zone;
    }

    /** A wearer's day: the takes by name and their summaries, added up. */
    record Day(String person, String date, List<String> takes, Exposure exposure) {}

    /** A wearer's range of days: the total and each day's. */
    record Range(String person, String from, String to, Exposure exposure, List<DayTotal> days) {}

    record DayTotal(String date, Exposure exposure) {}

    /** One day: the takes by name and their summaries, added up. */
    Day day(String person, LocalDate date) {
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
        for (TakeSummaries.Stored row : TakeSummaries.stored(store, worn)) {
            Take take = byId.get(row.takeId());
            if (rigsAtRoll(take, person).contains(row.rig())) {
                summaries.add(row.summary());
                names.add(take.name());
            }
        }
        return new Day(person, date.toString(), names, Exposure.of(summaries));
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
    Range range(String person, LocalDate from, LocalDate to) {
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
        List<StoreReads.SummarySums> sums = store.summarySums(pieces.stream()
                .map(p -> new StoreReads.RigSpan(p.rig(), p.fromNanos(), p.toNanos()))
                .toList());
        for (int i = 0; i < pieces.size() && i < sums.size(); i++) {
            Exposure e = exposure(sums.get(i));
            if (e != null) {
                byDay.merge(pieces.get(i).date(), e, Exposure::plus);
            }
        }
        Exposure total = Exposure.NONE;
        List<DayTotal> days = new ArrayList<>();
        for (Map.Entry<LocalDate, Exposure> day : byDay.entrySet()) {
            total = total.plus(day.getValue());
            days.add(new DayTotal(day.getKey().toString(), day.getValue()));
        }
        return new Range(person, from.toString(), to.toString(), total, days);
    }

    /** One piece's exposure, null without takes. */
    private static Exposure exposure(StoreReads.SummarySums sums) {
        if (sums == null) {
            return null;
        }
        int takes = (int) sums.takes();
        double above3g = sums.secondsAbove3g();
        if (sums.above3gKnown() < takes && sums.maxPeakG() > Exposure.ACCEL_THRESHOLD_G) {
            above3g = Double.NaN; // summaries stored before the time above 3 g was kept
        }
        return Exposure.ofSums(
                takes, (int) sums.impacts(), sums.maxHic15(), sums.msdvSquared(), sums.secondsAbove30Dps(), above3g);
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

package dev.rigtel.collector.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rigtel.collector.store.StoreReads;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/shoot/exposure?from=&to=&scene=&stunt=&impact_limit=&hic_limit=}: the shoot at a
 * glance for a stunt coordinator. Per wearer: every day of the range, every ISO week, and each day's
 * rolling 7 days (the day and the 6 before it, as sports head-impact systems track exposure) of head
 * impacts over the collector's threshold, the largest HIC15 screening value, peak g, head turns and
 * MSDV, against weekly limits.
 *
 * <p>Two store reads for any range, never one per day: the slate events (rolls for the scenes, rig
 * assignments for who wore what at each roll) and the summaries' exposure figures. A rig's summary
 * of a take counts for whoever wore the rig when the take rolled, as in {@link PersonExposure}.
 */
final class ShootExposure {

    /** Longest range one request may cover. */
    static final int MAX_DAYS = PersonExposure.MAX_DAYS;

    /**
     * Default limit of head impacts over the threshold in any 7 days. A placeholder: the stunt
     * department sets its own ({@code impact_limit=}, or the dashboard's {@code --weekly-impact-limit}).
     */
    static final int DEFAULT_IMPACT_LIMIT = 20;

    /**
     * Default limit of the largest HIC15 screening value in any 7 days. A placeholder, as above; from a
     * 1 kHz rig IMU HIC is a screening index, never a medical finding.
     */
    static final double DEFAULT_HIC_LIMIT = 250;

    private static final long DAY_NANOS = 86_400_000_000_000L;

    private final ApiJson json;
    private final StoreReads store;
    private final ZoneId zone;
    private final Clock clock;

    ShootExposure(ApiJson json, StoreReads store, ZoneId zone, Clock clock) {
        this.json = json;
        this.store = store;
        this.zone = zone;
        this.clock = clock;
    }

    /** {@code GET /api/shoot/exposure}: {@code to} defaults to today, {@code from} to 27 days before it. */
    ApiResponse exposure(ApiRequest request) {
        LocalDate to = request.param("to").map(LocalDate::parse).orElse(LocalDate.ofInstant(clock.instant(), zone));
        LocalDate from = request.param("from").map(LocalDate::parse).orElse(to.minusDays(27));
        int impactLimit;
        double hicLimit;
        try {
            impactLimit = request.param("impact_limit").map(Integer::parseInt).orElse(DEFAULT_IMPACT_LIMIT);
            hicLimit = request.param("hic_limit").map(Double::parseDouble).orElse(DEFAULT_HIC_LIMIT);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("impact_limit is a whole number, hic_limit a number");
        }
        if (impactLimit < 0 || !(hicLimit >= 0)) {
            throw ApiException.badRequest("limits are 0 or more");
        }
        String scene = request.param("scene").filter(s -> !s.isEmpty()).orElse(null);
        String stunt = request.param("stunt").filter(s -> !s.isEmpty()).orElse(null);
        if (stunt != null && !stunt.equals("true") && !stunt.equals("false")) {
            throw ApiException.badRequest("stunt is true or false");
        }
        return json.ok(answer(from, to, scene, stunt, new Limits(impactLimit, hicLimit)));
    }

    /** The figures of a day, a week or a window. */
    record Figures(
            int takes,
            int impacts,
            @JsonProperty("max_hic15") double maxHic15,
            @JsonProperty("peak_g") double peakG,
            @JsonProperty("head_turns") int headTurns,
            double msdv) {

        static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0);

        Figures plus(Figures o) {
            return new Figures(
                    takes + o.takes,
                    impacts + o.impacts,
                    Math.max(maxHic15, o.maxHic15),
                    Math.max(peakG, o.peakG),
                    headTurns + o.headTurns,
                    Math.sqrt(msdv * msdv + o.msdv * o.msdv));
        }
    }

    /** A day: its own figures and those of the 7 days ending with it. */
    record Day(String date, Figures day, Figures rolling7, @JsonProperty("over_limit") boolean overLimit) {}

    /** An ISO week (Monday to Sunday), clipped to the range. */
    record Week(String week, String from, String to, Figures figures, @JsonProperty("over_limit") boolean overLimit) {}

    record Person(
            String person,
            Figures total,
            @JsonProperty("max_rolling7_impacts") int maxRolling7Impacts,
            @JsonProperty("max_rolling7_hic15") double maxRolling7Hic15,
            @JsonProperty("days_over_limit") int daysOverLimit,
            List<Day> days,
            List<Week> weeks) {}

    record Limits(@JsonProperty("impacts_7d") int impacts7d, @JsonProperty("hic15_7d") double hic15In7d) {}

    /** What the stunt filter did: {@code stunt=true} keeps the takes rolled as stunts, {@code false} the others. */
    record StuntFilter(String requested, boolean applied, String note) {}

    record Shoot(
            String from,
            String to,
            String scene,
            StuntFilter stunt,
            Limits limits,
            @JsonProperty("threshold_note") String thresholdNote,
            List<Person> people) {}

    Shoot answer(LocalDate from, LocalDate to, String scene, String stunt, Limits limits) {
        if (to.isBefore(from)) {
            throw ApiException.badRequest("to is before from");
        }
        if (to.toEpochDay() - from.toEpochDay() >= MAX_DAYS) {
            throw ApiException.badRequest("at most " + MAX_DAYS + " days at once");
        }
        // Six days before the range so its first days' rolling windows are whole.
        LocalDate readFrom = from.minusDays(6);
        long fromNanos = midnight(readFrom);
        long toNanos = midnight(to.plusDays(1));

        Map<String, String> sceneOfTake = new HashMap<>();
        Map<String, Boolean> stuntOfTake = new HashMap<>();
        Map<String, List<StoreReads.SlateRow>> assignsByRig = new TreeMap<>();
        for (StoreReads.SlateRow row : store.slateWindow(fromNanos, toNanos)) {
            if (row.type().equals("roll")) {
                sceneOfTake.put(row.id(), row.scene());
                stuntOfTake.put(row.id(), row.stunt());
            } else if (row.type().equals("assign")) {
                assignsByRig.computeIfAbsent(row.rig(), r -> new ArrayList<>()).add(row);
            }
        }
        assignsByRig.values().forEach(list -> list.sort(Comparator.comparingLong(StoreReads.SlateRow::atNanos)));

        Map<String, Map<LocalDate, Figures>> byPerson = new TreeMap<>();
        for (StoreReads.ExposureRow row : store.exposureRows(fromNanos, toNanos)) {
            if (scene != null && !scene.equals(sceneOfTake.get(row.takeId()))) {
                continue;
            }
            // A take whose roll is not in the range read counts as no stunt, as its roll said nothing.
            if (stunt != null && Boolean.parseBoolean(stunt) != stuntOfTake.getOrDefault(row.takeId(), false)) {
                continue;
            }
            String person = wearer(assignsByRig.get(row.rig()), row.timeNanos());
            if (person == null) {
                continue;
            }
            LocalDate date = LocalDate.ofInstant(instant(row.timeNanos()), zone);
            Figures f = new Figures(
                    1,
                    (int) Math.round(row.impacts()),
                    row.maxHic15(),
                    row.peakG(),
                    (int) Math.round(row.headTurns()),
                    Math.sqrt(Math.max(0, row.msdvSquared())));
            byPerson.computeIfAbsent(person, p -> new TreeMap<>()).merge(date, f, Figures::plus);
        }

        List<Person> people = new ArrayList<>();
        for (Map.Entry<String, Map<LocalDate, Figures>> entry : byPerson.entrySet()) {
            Person person = person(entry.getKey(), entry.getValue(), from, to, limits);
            if (person.total().takes() > 0) {
                people.add(person);
            }
        }
        return new Shoot(
                from.toString(),
                to.toString(),
                scene,
                new StuntFilter(stunt, stunt != null, null),
                limits,
                "impacts over the collector's impact threshold; HIC15 from a 1 kHz rig IMU is a screening"
                        + " index, not a medical finding",
                people);
    }

    private static Person person(
            String name, Map<LocalDate, Figures> byDay, LocalDate from, LocalDate to, Limits limits) {
        List<Day> days = new ArrayList<>();
        Map<String, Week> weeks = new TreeMap<>();
        Figures total = Figures.NONE;
        int maxImpacts = 0;
        double maxHic = 0;
        int over = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            Figures day = byDay.getOrDefault(d, Figures.NONE);
            Figures rolling = Figures.NONE;
            for (int back = 0; back < 7; back++) {
                rolling = rolling.plus(byDay.getOrDefault(d.minusDays(back), Figures.NONE));
            }
            boolean overLimit = rolling.impacts() > limits.impacts7d() || rolling.maxHic15() > limits.hic15In7d();
            days.add(new Day(d.toString(), day, rolling, overLimit));
            total = total.plus(day);
            maxImpacts = Math.max(maxImpacts, rolling.impacts());
            maxHic = Math.max(maxHic, rolling.maxHic15());
            over += overLimit ? 1 : 0;
            String week = String.format(
                    Locale.ROOT,
                    "%d-W%02d",
                    d.get(IsoFields.WEEK_BASED_YEAR),
                    d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            Week before = weeks.get(week);
            Figures sum = before == null ? day : before.figures().plus(day);
            weeks.put(
                    week,
                    new Week(
                            week,
                            before == null ? d.toString() : before.from(),
                            d.toString(),
                            sum,
                            sum.impacts() > limits.impacts7d() || sum.maxHic15() > limits.hic15In7d()));
        }
        return new Person(name, total, maxImpacts, maxHic, over, days, List.copyOf(weeks.values()));
    }

    /** Who wore the rig at {@code atNanos}: its newest assignment at or before it. */
    private static String wearer(List<StoreReads.SlateRow> assigns, long atNanos) {
        if (assigns == null) {
            return null;
        }
        String person = null;
        for (StoreReads.SlateRow a : assigns) {
            if (a.atNanos() > atNanos) {
                break;
            }
            person = a.person();
        }
        return person == null || person.isEmpty() ? null : person;
    }

    private long midnight(LocalDate date) {
        Instant midnight = date.atStartOfDay(zone).toInstant();
        return midnight.getEpochSecond() * 1_000_000_000L + midnight.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}

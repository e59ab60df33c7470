package dev.rigtel.collector.takes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.testing.MemorySlateStore;
import dev.rigtel.collector.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The takes of every day of a shoot from a bounded memory: past days rebuilt from the store equal
 * what a book of every event derives, the open days live in memory, pending events are in every
 * answer until storage has them.
 */
class TakeHistoryTest {

    /** Across the clocks going forward in the UK (2026-03-29), a 23-hour day. */
    private static final ZoneId ZONE = ZoneId.of("Europe/London");

    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 3, 20);
    private static final int DAYS = 20;
    private static final long S = 1_000_000_000L;

    private final MemorySlateStore store = new MemorySlateStore();
    private final SettableClock clock = new SettableClock(noonOf(FIRST_DAY.plusDays(DAYS - 1)));
    private final AtomicLong storedThrough = new AtomicLong();

    private TakeHistory history() {
        return new TakeHistory(store, ZONE, clock, storedThrough::get, TakeHistory.Options.DEFAULTS);
    }

    private static Instant noonOf(LocalDate date) {
        return date.atStartOfDay(ZONE).toInstant().plus(Duration.ofHours(12));
    }

    private static long at(LocalDate date, long secondsAfterMidnight) {
        Instant midnight = date.atStartOfDay(ZONE).toInstant();
        return (midnight.getEpochSecond() + secondsAfterMidnight) * S;
    }

    /**
     * A shoot: every day 40 takes between 08:00 and 20:00 (some without a cut, one rolling past
     * midnight), marks, and wearers assigned on the first day and changed now and then, so that
     * later days depend on assignments made days before.
     */
    private static List<SlateEvent> shoot(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SlateEvent> events = new ArrayList<>();
        for (int rig = 1; rig <= 4; rig++) {
            events.add(new SlateEvent.Assign(
                    "a-0-" + rig, at(FIRST_DAY, 7 * 3600), "07:00:00:00", "25", FIRST_DAY, "rig-0" + rig, "P" + rig));
        }
        for (int d = 0; d < DAYS; d++) {
            LocalDate date = FIRST_DAY.plusDays(d);
            long second = 8 * 3600;
            for (int t = 1; t <= 40; t++) {
                String id = "r-" + d + "-" + t;
                events.add(new SlateEvent.Roll(id, at(date, second), "tc", "25", date, "S" + d, "A", t, "A001", ""));
                long length = 30 + random.nextInt(300);
                if (random.nextInt(10) > 0) {
                    events.add(new SlateEvent.Cut("c-" + d + "-" + t, at(date, second + length), "tc", "25", date));
                }
                if (random.nextInt(3) == 0) {
                    events.add(new SlateEvent.Mark(
                            "m-" + d + "-" + t,
                            at(date, second + length + 20),
                            "tc",
                            "25",
                            date,
                            "S" + d,
                            "A",
                            t,
                            TakeMark.CIRCLED,
                            ""));
                }
                if (random.nextInt(15) == 0) {
                    int rig = 1 + random.nextInt(4);
                    events.add(new SlateEvent.Assign(
                            "a-" + d + "-" + t,
                            at(date, second + length / 2),
                            "tc",
                            "25",
                            date,
                            "rig-0" + rig,
                            "P" + (1 + random.nextInt(9))));
                }
                second += length + 60 + random.nextInt(600);
            }
            if (d % 5 == 3) {
                // A night take: rolls before midnight, cut after it.
                events.add(new SlateEvent.Roll(
                        "night-" + d, at(date, 23 * 3600 + 50 * 60), "tc", "25", date, "N" + d, "A", 1, "A001", ""));
                events.add(new SlateEvent.Cut(
                        "night-cut-" + d, at(date, 24 * 3600 + 10 * 60), "tc", "25", date.plusDays(1)));
            }
        }
        return events;
    }

    @Test
    void everyPastDayIsRebuiltFromTheStoreAsABookOfEveryEventWouldHaveIt() {
        List<SlateEvent> events = shoot(7);
        TakeBook everything = new TakeBook();
        events.forEach(everything::add);
        events.forEach(store::put);
        TakeHistory history = history();
        history.restore();

        for (int d = 0; d < DAYS; d++) {
            LocalDate date = FIRST_DAY.plusDays(d);
            List<Take> got = history.takesOn(date);
            List<Take> want = everything.takesOn(date);
            for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
                assertThat(got.get(i)).as(date + " take " + i).isEqualTo(want.get(i));
            }
            assertThat(got).as(date.toString()).isEqualTo(want);
            assertThat(got).as(date.toString()).hasSizeGreaterThanOrEqualTo(40);
        }
        assertThat(history.takesOf("P3", FIRST_DAY.plusDays(11)))
                .isEqualTo(everything.takesOf("P3", FIRST_DAY.plusDays(11)));
        assertThat(history.wearerAt("rig-02", at(FIRST_DAY.plusDays(9), 13 * 3600)))
                .isEqualTo(everything.wearerAt("rig-02", at(FIRST_DAY.plusDays(9), 13 * 3600)));
    }

    @Test
    void aTakeOfAnyDayIsFoundByItsId() {
        shoot(11).forEach(store::put);
        TakeHistory history = history();

        Take take = history.take("r-3-17").orElseThrow();

        assertThat(take.date()).isEqualTo(FIRST_DAY.plusDays(3));
        assertThat(take.take()).isEqualTo(17);
        assertThat(history.take("night-8").orElseThrow().endLabel()).isPresent();
        assertThat(history.take("no-such-take")).isEmpty();
    }

    @Test
    void theOpenDaysLiveInMemoryAndLeaveItAsTheDaysTurn() {
        List<SlateEvent> events = shoot(3);
        clock.set(noonOf(FIRST_DAY));
        TakeHistory history = history();
        long sequence = 0;
        int mostHeld = 0;
        for (int d = 0; d < DAYS; d++) {
            LocalDate date = FIRST_DAY.plusDays(d);
            clock.set(noonOf(date));
            history.tick();
            for (SlateEvent e : events) {
                if (e.date().equals(date)) {
                    history.add(e, ++sequence);
                    store.put(e); // the writer stores it...
                }
            }
            storedThrough.set(sequence); // ...and commits
            history.tick();
            mostHeld = Math.max(mostHeld, history.live().eventCount());
        }
        TakeBook everything = new TakeBook();
        events.forEach(everything::add);

        // Two days of about 70 events each, and what later takes depend on: never the whole shoot.
        assertThat(mostHeld).isLessThan(250);
        assertThat(history.pendingEvents()).isZero();
        LocalDate today = FIRST_DAY.plusDays(DAYS - 1);
        List<Take> got = history.takesOn(today);
        List<Take> want = everything.takesOn(today);
        for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
            assertThat(got.get(i)).as("take " + i).isEqualTo(want.get(i));
        }
        assertThat(got).isEqualTo(want);
        assertThat(history.live().rolling()).isEqualTo(everything.rolling());
        int readsBefore = store.reads();
        assertThat(history.takesOn(today)).isNotEmpty();
        assertThat(store.reads()).as("an open day is answered from memory").isEqualTo(readsBefore);
        assertThat(history.takesOn(FIRST_DAY.plusDays(2))).isEqualTo(everything.takesOn(FIRST_DAY.plusDays(2)));
        assertThat(store.reads()).isEqualTo(readsBefore + 1);
    }

    @Test
    void aRestartBringsBackTheOpenDaysFromTheStoreAndPendingEventsFromTheSpool() {
        List<SlateEvent> events = shoot(5);
        LocalDate today = FIRST_DAY.plusDays(DAYS - 1);
        SlateEvent.Roll rolling =
                new SlateEvent.Roll("rolling", at(today, 22 * 3600), "22:00:00:00", "25", today, "99", "A", 1, "", "");
        events.forEach(store::put);
        storedThrough.set(41);
        TakeHistory history = history();

        // The spool's unwritten record 42 held the roll; InfluxDB is down at start.
        history.add(rolling, 42);
        store.fail(true);
        assertThatThrownBy(history::restore).isInstanceOf(IllegalStateException.class);
        assertThat(history.restored()).isFalse();
        assertThat(history.live().rolling()).map(Take::id).contains("rolling");

        store.fail(false);
        history.restore();
        TakeBook everything = new TakeBook();
        events.forEach(everything::add);
        everything.add(rolling);
        assertThat(history.restored()).isTrue();
        assertThat(history.takesOn(today)).isEqualTo(everything.takesOn(today));
        assertThat(history.live().rolling()).map(Take::id).contains("rolling");
    }

    @Test
    void anEventNotYetStoredIsInTheAnswersOfItsPastDayUntilStorageHasIt() {
        shoot(9).forEach(store::put);
        TakeHistory history = history();
        LocalDate past = FIRST_DAY.plusDays(4);
        int takesBefore = history.takesOn(past).size();

        SlateEvent.Roll late =
                new SlateEvent.Roll("late", at(past, 23 * 3600 + 30 * 60), "tc", "25", past, "77", "A", 1, "", "");
        history.add(late, 100);
        assertThat(history.takesOn(past)).hasSize(takesBefore + 1);
        assertThat(history.take("late")).isPresent();
        assertThat(history.pendingEvents()).isEqualTo(1);

        store.put(late);
        storedThrough.set(100);
        history.tick();
        assertThat(history.pendingEvents()).isZero();
        assertThat(history.takesOn(past)).hasSize(takesBefore + 1);
    }

    @Test
    void aLateAssignmentReachesEveryLaterDayAlreadyRebuilt() {
        shoot(13).forEach(store::put);
        TakeHistory history = history();
        LocalDate day = FIRST_DAY.plusDays(6);
        history.takesOn(day);
        long seventhDayNine = at(day, 9 * 3600);

        history.add(
                new SlateEvent.Assign("late-assign", at(day, 8 * 3600 - 60), "tc", "25", day, "rig-04", "Stunt Double"),
                200);

        assertThat(history.wearerAt("rig-04", seventhDayNine)).contains("Stunt Double");
    }

    @Test
    void aPastDayCannotBeAnsweredWhileTheStoreIsDown() {
        shoot(1).forEach(store::put);
        TakeHistory history = history();
        store.fail(true);

        assertThatThrownBy(() -> history.takesOn(FIRST_DAY.plusDays(1))).isInstanceOf(IllegalStateException.class);
        assertThat(history.takesOn(FIRST_DAY.plusDays(DAYS - 1)))
                .as("the open days need no store")
                .isNotNull();
    }

    @Test
    void onlyAFewPastDaysAreKeptRebuilt() {
        shoot(2).forEach(store::put);
        TakeHistory history = new TakeHistory(store, ZONE, clock, storedThrough::get, new TakeHistory.Options(2, 3));

        for (int d = 0; d < DAYS - 2; d++) {
            history.takesOn(FIRST_DAY.plusDays(d));
        }
        assertThat(history.cachedDays()).isEqualTo(3);
        assertThat(history.dayLoads()).isEqualTo(DAYS - 2);
        history.takesOn(FIRST_DAY.plusDays(DAYS - 3));
        assertThat(history.dayLoads()).as("the last days read are cached").isEqualTo(DAYS - 2);
    }

    @Test
    void assignmentsOfARangeIncludeTheOnesInForceWhenItOpensAndPendingOnes() {
        shoot(4).forEach(store::put);
        TakeHistory history = history();
        LocalDate day = FIRST_DAY.plusDays(10);
        history.add(
                new SlateEvent.Assign("pending-assign", at(day, 12 * 3600), "tc", "25", day, "rig-09", "New Hire"),
                300);

        List<SlateEvent.Assign> assigns = history.assignments(at(day, 0), at(day.plusDays(1), 0));

        assertThat(assigns).extracting(SlateEvent.Assign::rig).contains("rig-01", "rig-02", "rig-03", "rig-04");
        assertThat(assigns).extracting(SlateEvent.Assign::id).contains("pending-assign");
    }
}

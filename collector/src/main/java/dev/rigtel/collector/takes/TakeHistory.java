package dev.rigtel.collector.takes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Every take of the shoot, for any day of a production however long, after any number of restarts,
 * from a memory that does not grow with the shoot.
 *
 * <ul>
 *   <li>The <b>open days</b> (today and yesterday by default, in the shoot's zone) live in one {@link
 *       TakeBook} ({@link #live()}): what live work reads (the rolling take, who wears a rig now) and
 *       never waits for storage. Older events leave it as the days turn ({@link #tick()}), but for
 *       what later takes still depend on (the last assignment of each rig, a take still rolling).
 *   <li><b>Past days</b> are rebuilt from the {@link SlateStore} when asked for, one day's window at
 *       a time, and the last few are cached. Reading one blocks: API workers only.
 *   <li>Events <b>accepted but not yet stored</b> (in the spool, InfluxDB behind or down) are held
 *       beside it, each with its spool sequence, until storage has them ({@code storedThrough}
 *       reaches it): every answer, live or rebuilt, includes them, and a restart takes them back from
 *       the spool. Nothing is doubled: events are keyed by id everywhere.
 * </ul>
 *
 * <p>Thread-safe. {@link #add} and the {@link #live()} book never block; {@link #takesOn}, {@link
 * #take}, {@link #takesOf}, {@link #wearerAt} and {@link #assignments} may read storage.
 */
public final class TakeHistory {

    /**
     * How far a day's window reaches past its local midnights. A take dated on a day rolls on that
     * day's time-of-day timecode: within the day, or up to 90 s after it (29.97 NDF labels), and
     * daylight-saving days shift midnight by an hour. Six hours leave room for all of that.
     */
    static final Duration DAY_MARGIN = Duration.ofHours(6);

    /**
     * @param openDays days kept in memory, today included (2: a night shoot's takes of yesterday
     *     stay live after midnight)
     * @param cachedDays past days kept rebuilt, most recently read first out last
     */
    public record Options(int openDays, int cachedDays) {
        public static final Options DEFAULTS = new Options(2, 8);

        public Options {
            if (openDays < 1 || openDays > 7) {
                throw new IllegalArgumentException("openDays must be 1..7, got " + openDays);
            }
            if (cachedDays < 0 || cachedDays > 365) {
                throw new IllegalArgumentException("cachedDays must be 0..365, got " + cachedDays);
            }
        }
    }

    /** The time range a day's book is built from, UTC nanoseconds, {@code [from, to)}. */
    record Window(long fromNanos, long toNanos) {}

    /** An accepted event and the spool record that holds it. */
    private record Pending(SlateEvent event, long sequence) {}

    private final SlateStore store;
    private final ZoneId zone;
    private final Clock clock;
    private final LongSupplier storedThrough;
    private final Options options;
    private final TakeBook live = new TakeBook();
    private volatile long liveFromNanos;
    private volatile boolean restored;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong dayLoads = new AtomicLong();

    /** Rebuilt past days, least recently read first; guarded by itself. */
    private final LinkedHashMap<LocalDate, TakeBook> days = new LinkedHashMap<>(16, 0.75f, true);
    /** Bumped (under {@link #days}) whenever a rebuilt day may have gone stale. */
    private long generation;

    /**
     * @param storedThrough the spool sequence up to which every record is in storage (the spool's
     *     commit); events of later records are still pending
     */
    public TakeHistory(SlateStore store, ZoneId zone, Clock clock, LongSupplier storedThrough, Options options) {
        this.store = store;
        this.zone = zone;
        this.clock = clock;
        this.storedThrough = storedThrough;
        this.options = options;
        this.liveFromNanos = liveFrom();
    }

    /** A history with nothing stored before it: every event it knows is one it was given. */
    public static TakeHistory inMemory(ZoneId zone, Clock clock) {
        TakeHistory history = new TakeHistory(SlateStore.NONE, zone, clock, () -> Long.MAX_VALUE, Options.DEFAULTS);
        history.restored = true;
        return history;
    }

    /** The open days' book, for live work: never blocks. */
    public TakeBook live() {
        return live;
    }

    /**
     * Takes an accepted event (MQTT, HTTP, or back from the spool at start). Never blocks.
     *
     * @param sequence the spool record holding it; the event counts as pending until storage has it
     * @return false if it was already known unchanged
     */
    public boolean add(SlateEvent event, long sequence) {
        pending.merge(event.id(), new Pending(event, sequence), (a, b) -> b.sequence() >= a.sequence() ? b : a);
        boolean changed = live.add(event);
        if (changed) {
            forgetStaleDays(event);
            if (event.atNanos() < liveFromNanos) {
                live.evictBefore(liveFromNanos);
            }
        }
        return changed;
    }

    /**
     * Loads the open days from storage into the live book (at start, and until it succeeded once).
     * Events pending here are newer than storage's and win. Blocking.
     *
     * @return how many events storage held for the open days
     * @throws RuntimeException what the store throws (InfluxDB down): call again later
     */
    public int restore() {
        List<SlateEvent> stored = store.window(liveFromNanos, Long.MAX_VALUE);
        for (SlateEvent event : stored) {
            if (!pending.containsKey(event.id())) {
                live.add(event);
            }
        }
        live.evictBefore(liveFromNanos);
        restored = true;
        return stored.size();
    }

    /** True once the open days were loaded from storage ({@link #restore}). */
    public boolean restored() {
        return restored;
    }

    /**
     * Moves the open days on as the date turns (events that left them are dropped from memory) and
     * forgets pending events that storage now has; call about once a second.
     */
    public void tick() {
        long from = liveFrom();
        if (from > liveFromNanos) {
            liveFromNanos = from;
            live.evictBefore(from);
        }
        prunePending();
    }

    /** The takes rolled on {@code date}, by start. May read storage. */
    public List<Take> takesOn(LocalDate date) {
        return bookFor(date).takesOn(date);
    }

    /** Takes {@code person} wore a rig in on {@code date}. May read storage. */
    public List<Take> takesOf(String person, LocalDate date) {
        return bookFor(date).takesOf(person, date);
    }

    /** A take by its id (the id of its roll), of any day. May read storage. */
    public Optional<Take> take(String id) {
        Optional<Take> live = this.live.take(id);
        if (live.isPresent()) {
            return live;
        }
        synchronized (days) {
            for (TakeBook book : days.values()) {
                Optional<Take> take = book.take(id);
                if (take.isPresent()) {
                    return take;
                }
            }
        }
        Pending roll = pending.get(id);
        Optional<LocalDate> date = roll != null && roll.event() instanceof SlateEvent.Roll r
                ? Optional.of(r.date())
                : store.roll(id).map(SlateEvent.Roll::date);
        return date.flatMap(d -> bookFor(d).take(id));
    }

    /** Who wore {@code rig} at {@code atNanos}, on any day. May read storage. */
    public Optional<String> wearerAt(String rig, long atNanos) {
        if (atNanos >= liveFromNanos) {
            return live.wearerAt(rig, atNanos);
        }
        return bookFor(LocalDate.ofInstant(instant(atNanos), zone)).wearerAt(rig, atNanos);
    }

    /**
     * The rig assignments of {@code [fromNanos, toNanos)} and, per rig, the newest before it (who wore
     * which rig over that range), stored or pending. May read storage.
     */
    public List<SlateEvent.Assign> assignments(long fromNanos, long toNanos) {
        long stored = storedThrough.getAsLong();
        Map<String, SlateEvent.Assign> byId = new HashMap<>();
        for (SlateEvent.Assign a : store.assignments(fromNanos, toNanos)) {
            byId.put(a.id(), a);
        }
        prunePending(stored);
        for (Pending p : pending.values()) {
            if (p.event() instanceof SlateEvent.Assign a && a.atNanos() < toNanos) {
                byId.put(a.id(), a);
            }
        }
        return List.copyOf(byId.values());
    }

    /** The stored time of the shoot's first slate event, if any. May read storage. */
    public Optional<Long> firstEventNanos() {
        Optional<Long> stored = store.firstEventNanos();
        long pendingFirst = pending.values().stream()
                .mapToLong(p -> p.event().atNanos())
                .min()
                .orElse(Long.MAX_VALUE);
        return stored.isPresent()
                ? Optional.of(Math.min(stored.get(), pendingFirst))
                : pendingFirst == Long.MAX_VALUE ? Optional.empty() : Optional.of(pendingFirst);
    }

    /** Events accepted and not yet in storage. */
    public int pendingEvents() {
        return pending.size();
    }

    /** Past days held rebuilt. */
    public int cachedDays() {
        synchronized (days) {
            return days.size();
        }
    }

    /** Past days rebuilt from storage since start. */
    public long dayLoads() {
        return dayLoads.get();
    }

    /** The start of the open days: events before it (but what later takes depend on) are not in memory. */
    public long liveFromNanos() {
        return liveFromNanos;
    }

    /** The window of events a book of {@code date}'s takes is built from. */
    Window window(LocalDate date) {
        long margin = DAY_MARGIN.toNanos();
        return new Window(midnightNanos(date) - margin, midnightNanos(date.plusDays(1)) + margin);
    }

    private TakeBook bookFor(LocalDate date) {
        Window window = window(date);
        if (window.fromNanos() >= liveFromNanos) {
            return live;
        }
        long seenGeneration;
        synchronized (days) {
            TakeBook cached = days.get(date);
            if (cached != null) {
                return cached;
            }
            seenGeneration = generation;
        }
        TakeBook book = load(window);
        synchronized (days) {
            if (generation == seenGeneration && options.cachedDays() > 0) {
                days.put(date, book);
                while (days.size() > options.cachedDays()) {
                    days.remove(days.keySet().iterator().next());
                }
            }
        }
        return book;
    }

    private TakeBook load(Window window) {
        // Read the commit first: a record committed before the query is in its answer; one committed
        // during it may or may not be, and is added from pending either way (same id, same event).
        long stored = storedThrough.getAsLong();
        List<SlateEvent> events = store.window(window.fromNanos(), window.toNanos());
        TakeBook book = new TakeBook();
        events.forEach(book::add);
        prunePending(stored);
        for (Pending p : new ArrayList<>(pending.values())) {
            book.add(p.event());
        }
        dayLoads.incrementAndGet();
        return book;
    }

    /** Drops rebuilt days an event may change: it falls in or before their window, or may close their last take. */
    private void forgetStaleDays(SlateEvent event) {
        boolean rollOrCut = event instanceof SlateEvent.Roll || event instanceof SlateEvent.Cut;
        synchronized (days) {
            days.entrySet()
                    .removeIf(day -> event.atNanos() < window(day.getKey()).toNanos()
                            || (rollOrCut && day.getValue().rolling().isPresent()));
            if (rollOrCut || event.atNanos() < liveFromNanos + 2 * DAY_MARGIN.toNanos()) {
                generation++;
            }
        }
    }

    private void prunePending() {
        prunePending(storedThrough.getAsLong());
    }

    private void prunePending(long stored) {
        pending.values().removeIf(p -> p.sequence() <= stored);
    }

    private long liveFrom() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        return window(today.minusDays(options.openDays() - 1)).fromNanos();
    }

    private long midnightNanos(LocalDate date) {
        Instant midnight = date.atStartOfDay(zone).toInstant();
        return midnight.getEpochSecond() * 1_000_000_000L + midnight.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}

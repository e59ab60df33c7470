package dev.rigtel.collector.takes;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every take and every rig assignment, derived from the slate events it was given. Events are kept
 * sorted by their timecode (then assign, cut, roll, mark; then id), and the takes are rebuilt from
 * them when they change, so late, re-sent and out-of-order events land where they belong. A day of
 * 300 takes is about a thousand events: rebuilding is cheap next to the rate events come in.
 *
 * <p>Thread-safe: callers are the MQTT intake, the HTTP API and the start-up reload.
 */
public final class TakeBook {

    private static final Map<String, Integer> TYPE_ORDER =
            Map.of("assign", 0, "cut", 1, "roll", 2, "mark", 3, "snooze", 4);
    private static final Comparator<SlateEvent> ORDER = Comparator.comparingLong(SlateEvent::atNanos)
            .thenComparing(e -> TYPE_ORDER.get(e.type()))
            .thenComparing(SlateEvent::id);

    private final Map<String, SlateEvent> byId = new HashMap<>();
    private final TreeSet<SlateEvent> events = new TreeSet<>(ORDER);
    /** The takes and wearers the events make; rebuilt under the lock when {@link #stale}. */
    private volatile Derived derived = Derived.EMPTY;
    /** Set under the lock when the events changed; read without it by every lookup. */
    private volatile boolean stale;

    private record Derived(
            List<Take> takes, Map<String, Take> byId, Map<String, TreeMap<Long, String>> wearers, int cutsWithoutTake) {
        static final Derived EMPTY = new Derived(List.of(), Map.of(), Map.of(), 0);
    }

    /** Adds or replaces (same id) an event; returns false if it was already known unchanged. */
    public synchronized boolean add(SlateEvent event) {
        SlateEvent previous = byId.put(event.id(), event);
        if (event.equals(previous)) {
            return false;
        }
        if (previous != null) {
            events.remove(previous);
        }
        events.add(event);
        stale = true;
        return true;
    }

    public synchronized int eventCount() {
        return events.size();
    }

    /**
     * Forgets the events before {@code nanos} that no take from {@code nanos} on depends on: keeps,
     * per rig, the newest assignment before it (who still wears the rig), and the newest roll before
     * it if no cut or roll followed it (a take still rolling). The takes that roll from {@code nanos}
     * on stay exactly as they were; a book that lives for a whole shoot stays the size of its
     * newest days.
     *
     * @return how many events were forgotten
     */
    public synchronized int evictBefore(long nanos) {
        List<SlateEvent> before = new ArrayList<>();
        for (SlateEvent event : events) {
            if (event.atNanos() >= nanos) {
                break;
            }
            before.add(event);
        }
        if (before.isEmpty()) {
            return 0;
        }
        Map<String, SlateEvent> keep = new HashMap<>();
        SlateEvent lastRollOrCut = null;
        for (SlateEvent event : before) {
            if (event instanceof SlateEvent.Assign a) {
                keep.put("assign:" + a.rig(), a);
            } else if (event instanceof SlateEvent.Roll || event instanceof SlateEvent.Cut) {
                lastRollOrCut = event;
            }
        }
        if (lastRollOrCut instanceof SlateEvent.Roll) {
            keep.put("roll", lastRollOrCut);
        }
        int forgotten = 0;
        for (SlateEvent event : before) {
            if (keep.get(event instanceof SlateEvent.Assign a ? "assign:" + a.rig() : "roll") != event) {
                events.remove(event);
                byId.remove(event.id());
                forgotten++;
            }
        }
        if (forgotten > 0) {
            stale = true;
        }
        return forgotten;
    }

    /** Every event this book holds, in its order (timecode, then type, then id). */
    public synchronized List<SlateEvent> events() {
        return List.copyOf(events);
    }

    /** Takes whose roll is on {@code date}, by start. */
    public List<Take> takesOn(LocalDate date) {
        return current().takes().stream().filter(t -> t.date().equals(date)).toList();
    }

    public Optional<Take> take(String id) {
        return Optional.ofNullable(current().byId().get(id));
    }

    /** The take whose time range holds {@code atNanos} (a rolling take holds everything after its roll). */
    public Optional<Take> takeAt(long atNanos) {
        List<Take> takes = current().takes();
        int low = 0;
        int high = takes.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (takes.get(mid).startNanos() <= atNanos) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        if (high < 0) {
            return Optional.empty();
        }
        Take candidate = takes.get(high);
        return candidate.rolling() || atNanos < candidate.endNanos().getAsLong()
                ? Optional.of(candidate)
                : Optional.empty();
    }

    /** The take rolling now, if any. */
    public Optional<Take> rolling() {
        List<Take> takes = current().takes();
        return takes.isEmpty() || !takes.get(takes.size() - 1).rolling()
                ? Optional.empty()
                : Optional.of(takes.get(takes.size() - 1));
    }

    /** The take with the latest roll, rolling or not; empty before the first roll. */
    public Optional<Take> latest() {
        List<Take> takes = current().takes();
        return takes.isEmpty() ? Optional.empty() : Optional.of(takes.get(takes.size() - 1));
    }

    /** Takes {@code person} wore a rig in on {@code date}. */
    public List<Take> takesOf(String person, LocalDate date) {
        return takesOn(date).stream()
                .filter(t -> t.wearers().stream().anyMatch(w -> w.person().equals(person)))
                .toList();
    }

    /** Who wears {@code rig} at {@code atNanos}; empty if nobody was assigned. */
    public Optional<String> wearerAt(String rig, long atNanos) {
        TreeMap<Long, String> timeline = current().wearers().get(rig);
        if (timeline == null) {
            return Optional.empty();
        }
        Map.Entry<Long, String> entry = timeline.floorEntry(atNanos);
        return entry == null || entry.getValue().isEmpty() ? Optional.empty() : Optional.of(entry.getValue());
    }

    /** Cuts that came while no take was rolling. */
    public int cutsWithoutTake() {
        return current().cutsWithoutTake();
    }

    /**
     * The takes and wearers as of the newest event. Without the lock while no event came since the
     * last rebuild: the ingest path looks up the take of every sample it holds for the take
     * summaries, from every event loop.
     */
    private Derived current() {
        if (!stale) {
            return derived;
        }
        synchronized (this) {
            if (stale) {
                derived = derive(List.copyOf(events));
                stale = false;
            }
            return derived;
        }
    }

    private static Derived derive(List<SlateEvent> sorted) {
        // By rig: the same events give the same takes whatever order they came in.
        Map<String, TreeMap<Long, String>> wearers = new TreeMap<>();
        List<TakeBuilder> builders = new ArrayList<>();
        TakeBuilder open = null;
        int orphanCuts = 0;
        for (SlateEvent event : sorted) {
            // Java 17: no pattern matching in switch yet.
            if (event instanceof SlateEvent.Assign a) {
                wearers.computeIfAbsent(a.rig(), r -> new TreeMap<>()).put(a.atNanos(), a.person());
            } else if (event instanceof SlateEvent.Cut c) {
                if (open == null) {
                    orphanCuts++;
                } else {
                    open.end(c.atNanos(), c.label(), false);
                    open = null;
                }
            } else if (event instanceof SlateEvent.Roll r) {
                if (open != null) {
                    open.end(r.atNanos(), r.label(), true);
                }
                open = new TakeBuilder(r);
                builders.add(open);
            } else if (event instanceof SlateEvent.Mark m) {
                for (int i = builders.size() - 1; i >= 0; i--) {
                    if (builders.get(i).matches(m)) {
                        builders.get(i).mark = m.mark();
                        break;
                    }
                }
            }
        }
        List<Take> takes = new ArrayList<>(builders.size());
        Map<String, Take> byId = new HashMap<>();
        for (TakeBuilder b : builders) {
            Take take = b.build(wearers);
            takes.add(take);
            byId.put(take.id(), take);
        }
        return new Derived(List.copyOf(takes), Map.copyOf(byId), wearers, orphanCuts);
    }

    private static final class TakeBuilder {
        final SlateEvent.Roll roll;
        long endNanos = Long.MIN_VALUE;
        String endLabel;
        boolean closedByNextRoll;
        TakeMark mark;

        TakeBuilder(SlateEvent.Roll roll) {
            this.roll = roll;
        }

        void end(long atNanos, String label, boolean byNextRoll) {
            endNanos = atNanos;
            endLabel = label;
            closedByNextRoll = byNextRoll;
        }

        boolean matches(SlateEvent.Mark m) {
            return roll.date().equals(m.date())
                    && roll.scene().equals(m.scene())
                    && roll.shot().equals(m.shot())
                    && roll.take() == m.take()
                    && roll.atNanos() <= m.atNanos();
        }

        Take build(Map<String, TreeMap<Long, String>> wearers) {
            long start = roll.atNanos();
            long end = endNanos == Long.MIN_VALUE ? Long.MAX_VALUE : endNanos;
            List<Take.Wearing> wearing = new ArrayList<>();
            for (Map.Entry<String, TreeMap<Long, String>> rig : wearers.entrySet()) {
                TreeMap<Long, String> timeline = rig.getValue();
                Long from = timeline.floorKey(start);
                long cursor = start;
                String person = from == null ? "" : timeline.get(from);
                for (Map.Entry<Long, String> change :
                        timeline.subMap(start, false, end, false).entrySet()) {
                    if (!person.isEmpty()) {
                        wearing.add(new Take.Wearing(rig.getKey(), person, cursor, change.getKey()));
                    }
                    cursor = change.getKey();
                    person = change.getValue();
                }
                if (!person.isEmpty()) {
                    wearing.add(new Take.Wearing(rig.getKey(), person, cursor, end));
                }
            }
            return new Take(
                    roll.id(),
                    roll.date(),
                    roll.scene(),
                    roll.shot(),
                    roll.take(),
                    roll.cameraRoll(),
                    roll.notes(),
                    start,
                    roll.label(),
                    endNanos == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(endNanos),
                    Optional.ofNullable(endLabel),
                    roll.rate(),
                    Optional.ofNullable(mark),
                    closedByNextRoll,
                    List.copyOf(wearing),
                    roll.stunt());
        }
    }
}

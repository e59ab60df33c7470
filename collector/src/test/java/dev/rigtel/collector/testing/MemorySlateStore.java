package dev.rigtel.collector.testing;

import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.SlateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SlateStore} in memory, answering by the interface's contract (by event time, not by a
 * stored timestamp): for unit tests of what reads a store. Counts its reads; {@link #fail} makes
 * every read throw, as InfluxDB down would.
 */
public final class MemorySlateStore implements SlateStore {

    private final Map<String, SlateEvent> byId = new LinkedHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean failing;

    public synchronized void put(SlateEvent event) {
        byId.put(event.id(), event);
    }

    public void fail(boolean failing) {
        this.failing = failing;
    }

    /** Reads since this store was made. */
    public int reads() {
        return reads.get();
    }

    @Override
    public synchronized List<SlateEvent> window(long fromNanos, long toNanos) {
        read();
        List<SlateEvent> out = new ArrayList<>();
        Map<String, SlateEvent> lastAssign = new LinkedHashMap<>();
        SlateEvent lastRollOrCut = null;
        SlateEvent nextRollOrCut = null;
        for (SlateEvent e : sorted()) {
            boolean rollOrCut = e instanceof SlateEvent.Roll || e instanceof SlateEvent.Cut;
            if (e.atNanos() < fromNanos) {
                if (e instanceof SlateEvent.Assign a) {
                    lastAssign.put(a.rig(), a);
                } else if (rollOrCut) {
                    lastRollOrCut = e;
                }
            } else if (e.atNanos() < toNanos) {
                out.add(e);
            } else if (rollOrCut && nextRollOrCut == null) {
                nextRollOrCut = e;
            }
        }
        out.addAll(lastAssign.values());
        if (lastRollOrCut != null) {
            out.add(lastRollOrCut);
        }
        if (nextRollOrCut != null) {
            out.add(nextRollOrCut);
        }
        return out;
    }

    @Override
    public synchronized List<SlateEvent.Assign> assignments(long fromNanos, long toNanos) {
        read();
        Map<String, SlateEvent.Assign> before = new LinkedHashMap<>();
        List<SlateEvent.Assign> out = new ArrayList<>();
        for (SlateEvent e : sorted()) {
            if (e instanceof SlateEvent.Assign a) {
                if (a.atNanos() < fromNanos) {
                    before.put(a.rig(), a);
                } else if (a.atNanos() < toNanos) {
                    out.add(a);
                }
            }
        }
        out.addAll(before.values());
        return out;
    }

    @Override
    public synchronized Optional<SlateEvent.Roll> roll(String id) {
        read();
        return byId.get(id) instanceof SlateEvent.Roll r ? Optional.of(r) : Optional.empty();
    }

    @Override
    public synchronized Optional<Long> firstEventNanos() {
        read();
        return byId.values().stream().map(SlateEvent::atNanos).min(Comparator.naturalOrder());
    }

    private List<SlateEvent> sorted() {
        List<SlateEvent> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong(SlateEvent::atNanos).thenComparing(SlateEvent::id));
        return all;
    }

    private void read() {
        reads.incrementAndGet();
        if (failing) {
            throw new IllegalStateException("store down");
        }
    }
}

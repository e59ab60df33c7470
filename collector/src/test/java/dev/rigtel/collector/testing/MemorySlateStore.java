package dev.rigtel.collector.testing;

import dev.rigtel.collector.store.LineEncoder;
import dev.rigtel.collector.store.MemoryStore;
import dev.rigtel.collector.store.SinkException;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.takes.SlateLog;
import dev.rigtel.collector.takes.SlatePoints;
import dev.rigtel.collector.takes.SlateStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The collector's {@link SlateStore} ({@link SlateLog}) over the in-memory store: events are written
 * as the collector writes them and read back through the store's reads. For unit tests of what reads
 * a slate store. Counts its reads; {@link #fail} makes every read throw, as InfluxDB down would.
 */
public final class MemorySlateStore implements SlateStore {

    private final MemoryStore store = new MemoryStore();
    private final SlateLog log = new SlateLog(store);
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean failing;

    public void put(SlateEvent event) {
        try {
            store.write(new LineEncoder(256).slate(SlatePoints.of(event)).text(), 1);
        } catch (SinkException e) {
            throw new IllegalStateException(e);
        }
    }

    public void fail(boolean failing) {
        this.failing = failing;
    }

    /** Reads since this store was made. */
    public int reads() {
        return reads.get();
    }

    @Override
    public List<SlateEvent> window(long fromNanos, long toNanos) {
        read();
        return log.window(fromNanos, toNanos);
    }

    @Override
    public List<SlateEvent.Assign> assignments(long fromNanos, long toNanos) {
        read();
        return log.assignments(fromNanos, toNanos);
    }

    @Override
    public Optional<SlateEvent.Roll> roll(String id) {
        read();
        return log.roll(id);
    }

    @Override
    public Optional<Long> firstEventNanos() {
        read();
        return log.firstEventNanos();
    }

    private void read() {
        reads.incrementAndGet();
        if (failing) {
            throw new IllegalStateException("store down");
        }
    }
}

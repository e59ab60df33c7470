package dev.rigtel.collector.testing;

import dev.rigtel.collector.store.PointSink;
import dev.rigtel.collector.store.SinkException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** An in-memory sink: keeps every body written, and can be held unavailable like a stopped InfluxDB. */
public final class RecordingSink implements PointSink {

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();

    @Override
    public void write(String lines, int points) throws SinkException {
        if (down.get()) {
            throw new SinkException("unreachable", true, "held down by the test", null);
        }
        bodies.add(lines);
    }

    public void down(boolean isDown) {
        down.set(isDown);
    }

    /** Every point line written so far. */
    public List<String> lines() {
        return bodies.stream().flatMap(String::lines).toList();
    }
}

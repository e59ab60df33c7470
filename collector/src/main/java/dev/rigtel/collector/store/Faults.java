package dev.rigtel.collector.store;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The disk and storage faults going on now, by operation ({@code append}, {@code fsync}, {@code read},
 * {@code commit}, {@code broker-state}): what {@code /health} reports as DEGRADED, with the reason,
 * until the operation succeeds again. Each new fault is counted once ({@code rigtel.store.faults}),
 * and the caller logs it once; the retries that follow are neither.
 */
public final class Faults {

    /** One fault going on. */
    public record Fault(String message, Instant since, long failures) {}

    private final Clock clock;
    private final Consumer<String> counter;
    private final Map<String, Fault> current = new TreeMap<>();
    /** Faults going on: read without the lock, so that {@link #ok} costs nothing on the hot path. */
    private volatile int count;

    /** @param counter counts a fault, by operation, each time one begins */
    public Faults(Clock clock, Consumer<String> counter) {
        this.clock = clock;
        this.counter = counter;
    }

    /** Counts nothing: for tests and tools. */
    public static Faults uncounted() {
        return new Faults(Clock.systemUTC(), operation -> {});
    }

    /**
     * {@code operation} failed.
     *
     * @return true if it was not failing already: log it then
     */
    public boolean failed(String operation, Throwable cause) {
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        boolean started;
        synchronized (this) {
            Fault before = current.get(operation);
            started = before == null;
            current.put(
                    operation,
                    new Fault(
                            message, started ? clock.instant() : before.since(), started ? 1 : before.failures() + 1));
            count = current.size();
        }
        if (started) {
            counter.accept(operation);
        }
        return started;
    }

    /**
     * {@code operation} succeeded.
     *
     * @return the fault it ends, or null if there was none
     */
    public Fault ok(String operation) {
        if (count == 0) {
            return null;
        }
        synchronized (this) {
            Fault ended = current.remove(operation);
            count = current.size();
            return ended;
        }
    }

    /** The faults going on, by operation. */
    public synchronized Map<String, Fault> current() {
        return Map.copyOf(current);
    }
}

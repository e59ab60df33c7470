package dev.rigtel.collector.takes;

import java.util.List;
import java.util.Optional;

/**
 * Where slate events are kept for good: the reads a {@link TakeHistory} makes to rebuild the takes
 * of any day of the shoot, whatever its length. Times are UTC nanoseconds on the production
 * timeline; a bound compares with the time an event is stored at, which is its {@link
 * SlateEvent#atNanos()} plus less than a millisecond, so callers ask for a little more than they
 * need and let {@link TakeBook} sort the events out. Blocking: never call it from an event loop.
 *
 * @see SlateLog the InfluxDB implementation
 */
public interface SlateStore {

    /**
     * Everything a {@link TakeBook} of {@code [fromNanos, toNanos)} needs to derive the takes that
     * roll in that range exactly as a book of every event would: the events in the range; per rig,
     * the newest assignment before it (who wears the rig when the range opens); the newest roll or
     * cut before it (a take still rolling when it opens); and the first roll or cut at or after its
     * end (what closes a take still rolling when it ends). Any order.
     *
     * @param toNanos {@link Long#MAX_VALUE} for no end
     */
    List<SlateEvent> window(long fromNanos, long toNanos);

    /**
     * The rig assignments of {@code [fromNanos, toNanos)}, and per rig the newest one before it: who
     * wore which rig over that range. Any order.
     */
    List<SlateEvent.Assign> assignments(long fromNanos, long toNanos);

    /** The roll with this id, which is also the id of the take it started. */
    Optional<SlateEvent.Roll> roll(String id);

    /** The stored time of the oldest slate event, empty if none is stored. */
    Optional<Long> firstEventNanos();

    /** A store that holds nothing: for a collector that keeps no history (tests, {@code --store discard}). */
    SlateStore NONE = new SlateStore() {
        @Override
        public List<SlateEvent> window(long fromNanos, long toNanos) {
            return List.of();
        }

        @Override
        public List<SlateEvent.Assign> assignments(long fromNanos, long toNanos) {
            return List.of();
        }

        @Override
        public Optional<SlateEvent.Roll> roll(String id) {
            return Optional.empty();
        }

        @Override
        public Optional<Long> firstEventNanos() {
            return Optional.empty();
        }
    };
}

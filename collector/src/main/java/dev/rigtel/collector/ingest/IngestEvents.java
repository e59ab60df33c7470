package dev.rigtel.collector.ingest;

import dev.rigtel.collector.motion.MotionEvent;
import dev.rigtel.collector.motion.Rollup;
import dev.rigtel.collector.takes.SlateEvent;
import dev.rigtel.collector.timecode.ClockAlert;
import dev.rigtel.collector.timecode.LockState;
import java.util.function.Function;

/**
 * What ingest derives from the rigs' messages, as it derives it, for outputs that show it live (the
 * live topics, {@code dev.rigtel.collector.live}); the composition root wires them. Ingest knows no
 * output: it calls this interface.
 *
 * <p>Called on ingest threads (Netty event loops, the tick thread), sometimes with a rig's lock held
 * so that one rig's events arrive in stream order: an implementation must hand the work on and
 * return at once, never block and never call back into the {@link IngestService}.
 */
public interface IngestEvents {

    /** Nothing is shown: {@link #enabled()} is false, so ingest prepares nothing for it. */
    IngestEvents NONE = new IngestEvents() {
        @Override
        public boolean enabled() {
            return false;
        }
    };

    /**
     * False when no output listens: ingest then skips the work of preparing what only outputs use
     * (the live trace).
     */
    default boolean enabled() {
        return true;
    }

    /** A connection of {@code rig} opened. */
    default void connected(String rig) {}

    /** A connection of {@code rig} closed, for whatever reason. */
    default void disconnected(String rig) {}

    /** A message of {@code rig} arrived (accepted or not). */
    default void seen(String rig) {}

    /** A status report, stored at {@code utcNanos}. */
    default void status(RigStatus status, long utcNanos) {}

    /** The rig's current timecode lock, after a timecode report. */
    default void lock(String rig, LockState lock) {}

    /** A clock alert raised at {@code atNanos} (the collector's clock). */
    default void alert(String rig, ClockAlert alert, long atNanos) {}

    /** A completed second of motion, with the yaw rate as of the sample that closed it (deg/s). */
    default void rollup(String rig, Rollup rollup, double yawRateDps) {}

    /**
     * A rig's new samples in bins, of one or more batches (only when {@link #enabled()}); {@code
     * bins} is reused after the call returns.
     *
     * @param receivedMillis when the newest of those batches arrived, collector clock
     */
    default void trace(String rig, long receivedMillis, TraceBins bins) {}

    /** A completed motion event. */
    default void event(String rig, MotionEvent event) {}

    /** Impact alerts snoozed until the rolling take is cut (a slate event, already stored). */
    default void snooze(SlateEvent.Snooze snooze) {}

    /** The take book changed (a slate event was applied). */
    default void takesChanged() {}

    /** About once a second, with each rig's current lock. */
    default void tick(Function<String, LockState> locks) {}
}

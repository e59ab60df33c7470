package dev.rigtel.dashboard.live;

/**
 * A browser (or any other follower) of the live feed. The hub calls it under its lock, on the
 * feed's thread: both methods must return at once without blocking (queue and hand off).
 */
public interface LiveSubscriber {

    /** The first thing it gets, once: the snapshot, a whole SSE event named {@code snapshot}. */
    void snapshot(byte[] frame);

    /** Every live message after the snapshot, in the order the feed received them. */
    void deliver(LiveMessage message);
}

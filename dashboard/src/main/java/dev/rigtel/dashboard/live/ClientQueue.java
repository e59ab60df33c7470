package dev.rigtel.dashboard.live;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The bounded queue of one browser: messages wait here only while its connection cannot take
 * more (the socket's send buffer is full). Thread-safe: the live feed offers, the connection's
 * event loop drains.
 *
 * <p>When full, a {@linkplain LiveMessage#droppable() droppable} message ({@code trace},
 * {@code motion}) is dropped; any other makes room by dropping the oldest droppable one queued.
 * Every drop is reported to the {@code dropped} callback (to be counted by kind). If every queued
 * message is one a person must see, the browser is too far behind to be useful:
 * {@link Offer#OVERFLOW} tells the caller to close it (the browser reconnects and starts again
 * from a snapshot). Nothing here blocks the caller or grows past the capacity.
 *
 * <p>The queue also tracks whether a drain is scheduled, so that a burst of offers schedules one
 * drain, not one per message. A drain that pauses because the connection is not writable stays
 * scheduled; the connection resumes it when it becomes writable again.
 */
public final class ClientQueue {

    /** What became of an offered message. */
    public enum Offer {
        /** Queued; a drain is already scheduled. */
        QUEUED,
        /** Queued; the caller must schedule a drain. */
        QUEUED_DRAIN_NEEDED,
        /** Not queued: droppable, and the queue is full (reported to the callback). */
        DROPPED,
        /** Not queued: the queue is full of messages that must not be dropped. */
        OVERFLOW
    }

    private final int capacity;
    private final Consumer<LiveKind> dropped;
    private final ArrayDeque<LiveMessage> queue;
    private boolean drainScheduled;

    /**
     * @param capacity the most messages held
     * @param dropped told the kind of every message dropped
     */
    public ClientQueue(int capacity, Consumer<LiveKind> dropped) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.dropped = dropped;
        this.queue = new ArrayDeque<>(Math.min(capacity, 64));
    }

    public Offer offer(LiveMessage message) {
        LiveKind drop = null;
        Offer offer;
        synchronized (this) {
            if (queue.size() >= capacity) {
                if (message.droppable()) {
                    drop = message.kind();
                } else {
                    for (Iterator<LiveMessage> it = queue.iterator(); it.hasNext(); ) {
                        LiveMessage queued = it.next();
                        if (queued.droppable()) {
                            it.remove();
                            drop = queued.kind();
                            break;
                        }
                    }
                    if (drop == null) {
                        return Offer.OVERFLOW;
                    }
                }
            }
            if (drop == message.kind() && queue.size() >= capacity) {
                offer = Offer.DROPPED;
            } else {
                queue.addLast(message);
                offer = drainScheduled ? Offer.QUEUED : Offer.QUEUED_DRAIN_NEEDED;
                drainScheduled = true;
            }
        }
        if (drop != null) {
            dropped.accept(drop);
        }
        return offer;
    }

    /**
     * The next message, or null when the queue is empty; then the drain is over and the next
     * offer asks for a new one.
     */
    public synchronized LiveMessage poll() {
        LiveMessage next = queue.pollFirst();
        if (next == null) {
            drainScheduled = false;
        }
        return next;
    }

    public synchronized int size() {
        return queue.size();
    }
}

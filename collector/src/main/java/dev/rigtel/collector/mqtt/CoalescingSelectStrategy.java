package dev.rigtel.collector.mqtt;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Read coalescing for the MQTT event loops, as a network card's interrupt moderation: when a loop
 * has just handled what was ready and finds nothing more (no task, no ready channel), it waits
 * {@code windowNanos} before it selects again, so the messages that arrive meanwhile are read in one
 * wake-up instead of one each.
 *
 * <p>At a set's light load (13 rigs: about 1,000 messages a second, each arriving alone) every
 * message otherwise costs the loop a sleep and a wake-up, which on a laptop or a virtual machine
 * costs more CPU than decoding the message. A busy loop never waits: whenever the non-blocking check
 * finds a ready channel or a task is queued it goes on at once. The PUBACKs a group commit made due
 * end the wait ({@link #wake}, from {@link LoopAcks}). Above {@link #BUSY_MESSAGES_PER_SECOND}
 * PUBLISHes a second on the loop ({@link #published}) it does not wait at all: there a wake-up
 * reads several messages anyway, and publishers that wait for their window of PUBACKs would be
 * slowed by every wait. The cost is latency at a light load: a message is read up to the window
 * later, so its PUBACK and live view leave up to that much later.
 *
 * <p>One instance per event loop; Netty calls it from its loop only.
 */
final class CoalescingSelectStrategy implements SelectStrategy {

    // Weak keys, as LoopAcks: a stopped server's loops are not held.
    private static final Map<EventExecutor, CoalescingSelectStrategy> BY_LOOP =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** PUBLISHes a second on one loop above which it does not wait: it is not lightly loaded. */
    static final int BUSY_MESSAGES_PER_SECOND = 2_000;

    /** The rate is judged over this much time. */
    private static final long EPOCH_NANOS = 100_000_000;

    /** The strategy of the loop running on this thread, once it has waited or counted. */
    private static final ThreadLocal<CoalescingSelectStrategy> CURRENT = new ThreadLocal<>();

    private final long windowNanos;
    private boolean registered;
    private long epochStartNanos = System.nanoTime();
    private int epochMessages;
    /** True while the last epoch's rate was above {@link #BUSY_MESSAGES_PER_SECOND}. */
    private boolean busy;
    /** The loop's thread while it waits, else null. */
    private volatile Thread waiting;
    /** Set by {@link #wake}: the current or next wait ends at once. */
    private volatile boolean woken;

    CoalescingSelectStrategy(long windowNanos) {
        if (windowNanos < 0) {
            throw new IllegalArgumentException("coalescing window must be >= 0, got " + windowNanos);
        }
        this.windowNanos = windowNanos;
    }

    /**
     * Ends the wait of {@code loop}, if it coalesces and waits: a task that must not wait (the
     * PUBACKs of a group commit) was queued on it. Any thread; cheap when the loop does not wait.
     */
    static void wake(EventExecutor loop) {
        CoalescingSelectStrategy strategy = BY_LOOP.get(loop);
        if (strategy != null) {
            strategy.woken = true;
            Thread thread = strategy.waiting;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    /**
     * Counts a PUBLISH read on the calling event loop, for its rate; nothing on a loop that does not
     * coalesce. Event loop only.
     */
    static void published() {
        CoalescingSelectStrategy strategy = CURRENT.get();
        if (strategy != null) {
            strategy.epochMessages++;
        }
    }

    /** True while the loop reads more than {@link #BUSY_MESSAGES_PER_SECOND}: it does not wait. */
    boolean busy() {
        return busy;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get(); // as Netty's default: handle what is ready, then the tasks
        }
        int ready = selectNow.get();
        if (ready > 0) {
            return ready;
        }
        if (windowNanos > 0 && !busy(System.nanoTime())) {
            waitWindow();
        }
        return SelectStrategy.SELECT;
    }

    private boolean busy(long nowNanos) {
        if (!registered) {
            register();
        }
        long elapsed = nowNanos - epochStartNanos;
        if (elapsed >= EPOCH_NANOS) {
            busy = epochMessages * 1_000_000_000L / elapsed > BUSY_MESSAGES_PER_SECOND;
            epochMessages = 0;
            epochStartNanos = nowNanos;
        }
        return busy;
    }

    private void register() {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        if (loop != null) {
            BY_LOOP.put(loop, this);
        }
        CURRENT.set(this);
        registered = true;
    }

    /** Nothing ready and nothing queued: lets the next messages gather before the next select. */
    private void waitWindow() {
        waiting = Thread.currentThread();
        try {
            long until = System.nanoTime() + windowNanos;
            for (long left = windowNanos; left > 0 && !woken; left = until - System.nanoTime()) {
                LockSupport.parkNanos(this, left); // may return early: park the rest
            }
        } finally {
            waiting = null;
            woken = false;
        }
    }
}

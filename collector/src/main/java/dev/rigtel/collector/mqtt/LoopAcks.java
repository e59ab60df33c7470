package dev.rigtel.collector.mqtt;

import io.netty.channel.EventLoop;
import java.util.Collections;
import java.util.Map;
import java.util.Queue;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The acknowledgements one group commit made ready, gathered per event loop: the spool's sync thread
 * hands them over for every connection of a loop in <em>one</em> task, so a loop wakes once per
 * group commit however many of its connections had a PUBLISH in it. At a set's load (a thousand
 * messages a second from 13 rigs, each arriving alone) a task per connection was a wake-up of an
 * event loop per message on top of the one that read it. Each connection still writes its PUBACKs
 * in order and flushes once ({@link MqttSession#ackReadyLater}).
 */
final class LoopAcks {

    // Weak keys: a stopped server's loops (tests start many) are not held. The values must not hold
    // their loop, or the keys would never be collected; the loop is passed to submit instead.
    private static final Map<EventLoop, LoopAcks> BY_LOOP = Collections.synchronizedMap(new WeakHashMap<>());

    private final Queue<Runnable> ready = new ConcurrentLinkedQueue<>();
    /** True while a task that runs {@link #ready} is queued on the loop. */
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private LoopAcks() {}

    /**
     * Runs {@code connectionAcks} on {@code loop}, together with whatever else is handed over for that
     * loop before it runs. Any thread.
     */
    static void submit(EventLoop loop, Runnable connectionAcks) {
        LoopAcks acks = BY_LOOP.computeIfAbsent(loop, l -> new LoopAcks());
        acks.ready.add(connectionAcks);
        if (acks.scheduled.compareAndSet(false, true)) {
            loop.execute(acks::run);
        }
    }

    private void run() {
        // Cleared first: what is added from now on is either drained below or schedules a new task.
        scheduled.set(false);
        for (Runnable acks = ready.poll(); acks != null; acks = ready.poll()) {
            acks.run();
        }
    }
}

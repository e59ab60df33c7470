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

    // Weak keys: a stopped server's loops (tests start many) are not held.
    private static final Map<EventLoop, LoopAcks> BY_LOOP = Collections.synchronizedMap(new WeakHashMap<>());

    private final EventLoop loop;
    private final Queue<Runnable> ready = new ConcurrentLinkedQueue<>();
    /** True while a task that runs {@link #ready} is queued on the loop. */
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private LoopAcks(EventLoop loop) {
        this.loop = loop;
    }

    /** The one instance of {@code loop}. */
    static LoopAcks of(EventLoop loop) {
        return BY_LOOP.computeIfAbsent(loop, LoopAcks::new);
    }

    /** Runs {@code connectionAcks} on the loop, with whatever else is handed over before it runs. Any thread. */
    void submit(Runnable connectionAcks) {
        ready.add(connectionAcks);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this::run);
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

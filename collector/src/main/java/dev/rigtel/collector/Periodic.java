package dev.rigtel.collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic tasks that survive their own failures. A {@code ScheduledExecutorService} cancels every
 * later run of a task that throws, without a word; an {@link Error} included (the broker state save
 * once died that way of an {@code OutOfMemoryError}, and persistence stopped silently).
 */
final class Periodic {

    private static final Logger log = LoggerFactory.getLogger(Periodic.class);

    private Periodic() {}

    /** {@code task}, whose failure is logged and does not stop its later runs. */
    static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.warn("{} failed; tried again at its next run: {}", what, e.toString());
            }
        };
    }
}

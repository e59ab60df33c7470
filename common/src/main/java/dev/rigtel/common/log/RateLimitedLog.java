package dev.rigtel.common.log;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs a problem once per key and interval (e.g. per rig and reason per minute), so a rig that
 * sends the same bad payload a thousand times a second cannot flood the log. The key space is
 * bounded by the caller (rigs are known, reasons are an enum).
 */
public final class RateLimitedLog {

    private final Logger log;
    private final Clock clock;
    private final long intervalMillis;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log, Clock clock, Duration interval) {
        this.log = log;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** Logs at WARN unless {@code key} was logged within the interval; returns whether it logged. */
    public boolean warn(String key, String format, Object... args) {
        long now = clock.millis();
        boolean[] due = new boolean[1];
        lastLogged.compute(key, (k, last) -> {
            due[0] = last == null || now - last >= intervalMillis;
            return due[0] ? now : last;
        });
        if (due[0]) {
            log.warn(format, args);
        }
        return due[0];
    }
}

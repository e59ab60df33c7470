package dev.rigtel.common.log;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs a problem once per key and interval (e.g. per rig and reason per minute), so a rig that
 * sends the same bad payload a thousand times a second cannot flood the log. The key space is
 * bounded by the caller (rigs are known, reasons are an enum). The first line of a key is logged at
 * once; a caller that wants to say how many were held back since asks {@link #heldBackIfDue}.
 */
public final class RateLimitedLog {

    /** {@link #heldBackIfDue}: a line for the key was logged within the interval. */
    public static final int NOT_DUE = -1;

    private static final class Line {
        boolean logged;
        long lastMillis;
        int heldBack;
    }

    private final Logger log;
    private final Clock clock;
    private final long intervalMillis;
    private final Map<String, Line> lines = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log, Clock clock, Duration interval) {
        this.log = log;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** Logs at WARN unless {@code key} was logged within the interval; returns whether it logged. */
    public boolean warn(String key, String format, Object... args) {
        boolean due = heldBackIfDue(key) != NOT_DUE;
        if (due) {
            log.warn(format, args);
        }
        return due;
    }

    /**
     * Whether a line for {@code key} is due now, for a caller that logs it itself: if so, the number
     * of lines held back since the key's last one (0 or more), and the key counts as logged now;
     * else {@link #NOT_DUE}, and this line counts as held back.
     */
    public int heldBackIfDue(String key) {
        long now = clock.millis();
        Line line = lines.computeIfAbsent(key, k -> new Line());
        synchronized (line) {
            if (line.logged && now - line.lastMillis < intervalMillis) {
                line.heldBack++;
                return NOT_DUE;
            }
            int heldBack = line.heldBack;
            line.logged = true;
            line.lastMillis = now;
            line.heldBack = 0;
            return heldBack;
        }
    }
}

package dev.rigtel.dashboard.http;

import dev.rigtel.dashboard.metrics.DashboardMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every connection or request the listener refuses ({@code rigtel.dashboard.http.refused},
 * tag {@code reason}) and logs each reason at most once a minute, saying how many more were refused
 * since its last line: a flood costs a counter increment each, not a log line. Reasons are a fixed
 * set.
 */
final class HttpRefusals {

    private static final Logger log = LoggerFactory.getLogger(HttpRefusals.class);
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private static final class Reason {
        long lastLogMillis = Long.MIN_VALUE;
        int notLogged;
    }

    private final DashboardMeters meters;
    private final Clock clock;
    private final Map<String, Reason> reasons = new HashMap<>();

    HttpRefusals(DashboardMeters meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * @param reason the {@code reason} tag
     * @param what what was refused and from whom, for the log (never a token or a query)
     */
    void refused(String reason, String what) {
        meters.httpRefused(reason);
        long now = clock.millis();
        int notLogged;
        synchronized (this) {
            Reason state = reasons.computeIfAbsent(reason, r -> new Reason());
            if (state.lastLogMillis != Long.MIN_VALUE && now - state.lastLogMillis < INTERVAL.toMillis()) {
                state.notLogged++;
                return;
            }
            notLogged = state.notLogged;
            state.notLogged = 0;
            state.lastLogMillis = now;
        }
        log.warn("{} ({}; {} more since the last such line, at most one a minute)", what, reason, notLogged);
    }
}

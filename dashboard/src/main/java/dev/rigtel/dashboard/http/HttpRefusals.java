package dev.rigtel.dashboard.http;

import dev.rigtel.common.log.RateLimitedLog;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import java.time.Clock;
import java.time.Duration;
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

    private final DashboardMeters meters;
    private final RateLimitedLog lines;

    HttpRefusals(DashboardMeters meters, Clock clock) {
        this.meters = meters;
        this.lines = new RateLimitedLog(log, clock, INTERVAL);
    }

    /**
     * @param reason the {@code reason} tag
     * @param what what was refused and from whom, for the log (never a token or a query)
     */
    void refused(String reason, String what) {
        meters.httpRefused(reason);
        int notLogged = lines.heldBackIfDue(reason);
        if (notLogged != RateLimitedLog.NOT_DUE) {
            log.warn("{} ({}; {} more since the last such line, at most one a minute)", what, reason, notLogged);
        }
    }
}

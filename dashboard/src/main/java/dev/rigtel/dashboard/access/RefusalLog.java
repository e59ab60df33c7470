package dev.rigtel.dashboard.access;

import dev.rigtel.dashboard.metrics.DashboardMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every refused request ({@code rigtel.dashboard.access.refused}) and logs them at most once
 * a minute: the first refusal at once, later ones summed up in one line when the minute is over
 * and another refusal comes. A flood of bad requests costs a counter increment each, not a log line.
 */
public final class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final DashboardMeters meters;
    private final Clock clock;
    private final Consumer<String> sink;
    private final Map<Refusal, Integer> pending = new EnumMap<>(Refusal.class);
    private long lastLogMillis = Long.MIN_VALUE;
    private String lastWhat = "";

    public RefusalLog(DashboardMeters meters, Clock clock) {
        this(meters, clock, line -> log.warn("{}", line));
    }

    /** With a sink for the log lines (tests). */
    public RefusalLog(DashboardMeters meters, Clock clock, Consumer<String> sink) {
        this.meters = meters;
        this.clock = clock;
        this.sink = sink;
    }

    /**
     * @param what the request, for the log: method, path (never its query, which may hold a token)
     *     and the remote address
     */
    public void refused(Refusal refusal, String what) {
        meters.refused(refusal.tag());
        String line = null;
        synchronized (this) {
            pending.merge(refusal, 1, Integer::sum);
            lastWhat = what;
            long now = clock.millis();
            if (lastLogMillis == Long.MIN_VALUE || now - lastLogMillis >= INTERVAL.toMillis()) {
                line = summary();
                pending.clear();
                lastLogMillis = now;
            }
        }
        if (line != null) {
            sink.accept(line);
        }
    }

    private String summary() {
        StringBuilder out = new StringBuilder("refused requests");
        if (lastLogMillis != Long.MIN_VALUE) {
            out.append(" in the last minute");
        }
        out.append(':');
        pending.forEach((refusal, count) ->
                out.append(' ').append(refusal.tag()).append(' ').append(count));
        out.append(" (latest: ").append(lastWhat).append("); at most one such line a minute");
        return out.toString();
    }
}

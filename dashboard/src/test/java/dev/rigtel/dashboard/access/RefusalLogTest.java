package dev.rigtel.dashboard.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-21T14:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final DashboardMeters meters = new DashboardMeters(new SimpleMeterRegistry());
    private final MovingClock clock = new MovingClock();
    private final List<String> lines = new ArrayList<>();
    private final RefusalLog log = new RefusalLog(meters, clock, lines::add);

    @Test
    void countsEveryRefusalButLogsAtMostOnceAMinute() {
        for (int n = 0; n < 100; n++) {
            log.refused(Refusal.NO_TOKEN, "GET /live/stream from /10.0.0.9:5000");
        }
        log.refused(Refusal.BAD_TOKEN, "GET /api/rigs from /10.0.0.9:5001");

        assertThat(meters.count(DashboardMeters.ACCESS_REFUSED, "reason", "no-token"))
                .isEqualTo(100);
        assertThat(meters.count(DashboardMeters.ACCESS_REFUSED, "reason", "bad-token"))
                .isEqualTo(1);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("no-token 1", "GET /live/stream");
    }

    @Test
    void sumsUpTheMinuteInTheNextLine() {
        log.refused(Refusal.NO_TOKEN, "first");
        log.refused(Refusal.NO_TOKEN, "second");
        log.refused(Refusal.CROSS_ORIGIN, "third");
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        log.refused(Refusal.NO_TOKEN, "fourth");

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("in the last minute", "no-token 2", "cross-origin 1", "latest: fourth");
    }
}

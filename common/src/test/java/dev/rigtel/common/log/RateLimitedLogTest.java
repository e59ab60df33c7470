package dev.rigtel.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

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

    private final TestClock clock = new TestClock();
    private final RateLimitedLog log =
            new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTest.class), clock, Duration.ofMinutes(1));

    @Test
    void logsTheFirstLineOfAKeyAtOnceThenOncePerInterval() {
        assertThat(log.warn("rig-1 bad-json", "bad payload from {}", "rig-1")).isTrue();
        assertThat(log.warn("rig-1 bad-json", "bad payload from {}", "rig-1")).isFalse();
        assertThat(log.warn("rig-2 bad-json", "bad payload from {}", "rig-2"))
                .as("another key")
                .isTrue();

        clock.now = clock.now.plusSeconds(59);
        assertThat(log.warn("rig-1 bad-json", "bad payload from {}", "rig-1")).isFalse();
        clock.now = clock.now.plusSeconds(1);
        assertThat(log.warn("rig-1 bad-json", "bad payload from {}", "rig-1")).isTrue();
    }

    @Test
    void countsTheLinesHeldBackSinceTheLastOne() {
        assertThat(log.heldBackIfDue("connection-limit")).isZero();
        assertThat(log.heldBackIfDue("connection-limit")).isEqualTo(RateLimitedLog.NOT_DUE);
        assertThat(log.heldBackIfDue("connection-limit")).isEqualTo(RateLimitedLog.NOT_DUE);
        assertThat(log.warn("connection-limit", "refused")).isFalse();

        clock.now = clock.now.plus(Duration.ofMinutes(1));

        assertThat(log.heldBackIfDue("connection-limit")).isEqualTo(3);
        assertThat(log.heldBackIfDue("address-limit")).isZero();
    }
}

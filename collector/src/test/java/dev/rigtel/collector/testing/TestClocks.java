package dev.rigtel.collector.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The clock integration tests give the collector, and the dates they compute from it: the system
 * clock moved by {@code -Drigtel.test.clock-offset} (an ISO-8601 duration, e.g. {@code P365D};
 * default none). The build runs the tests tagged {@value #DATES} a second time a year ahead, so a
 * date fixed in a test, or an InfluxDB {@code now()} where the collector's clock belongs, fails
 * today rather than in a year.
 */
public final class TestClocks {

    /** The system property that moves the clock. */
    public static final String OFFSET_PROPERTY = "rigtel.test.clock-offset";

    /** Tag of the tests that run again with the clock a year ahead. */
    public static final String DATES = "dates";

    private TestClocks() {}

    /** How far the test clock is ahead of the system clock. */
    public static Duration offset() {
        String text = System.getProperty(OFFSET_PROPERTY, "").trim();
        if (text.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(OFFSET_PROPERTY + " must be an ISO-8601 duration such as P365D", e);
        }
    }

    /** The system clock, UTC, moved by {@link #offset()}. */
    public static Clock clock() {
        return Clock.offset(Clock.systemUTC(), offset());
    }

    /** Today by {@link #clock()} in {@code zone}. */
    public static LocalDate today(ZoneId zone) {
        return LocalDate.ofInstant(clock().instant(), zone);
    }
}

package dev.rigtel.common.time;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the command lines and config files write them: {@code 250ms}, {@code 10s}, {@code
 * 5m}, {@code 1h}, {@code 7d} (in any case), or ISO-8601 ({@code PT10S}).
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    /**
     * @throws IllegalArgumentException for text that is not a duration, with a message that says
     *     how to write one
     */
    public static Duration parse(String value) {
        String text = value.trim();
        Matcher m = SIMPLE.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not a duration: write e.g. 250ms, 10s, 5m, 1h or 7d");
        }
    }
}

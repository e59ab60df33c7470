package dev.rigtel.collector.config;

import dev.rigtel.common.time.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Reads durations as {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d} or ISO-8601
 * ({@code PT10S}) for picocli: {@link Durations}, a refused value as picocli's conversion error.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}

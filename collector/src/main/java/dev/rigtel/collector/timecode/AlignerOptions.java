package dev.rigtel.collector.timecode;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link ClockAligner}, validated on construction. {@link #defaults()}:
 *
 * <table>
 *   <caption>defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>window</td><td>60 s</td><td>device time covered by the least-squares fit</td></tr>
 *   <tr><td>maxPairs</td><td>2000</td><td>most pairs kept in the window (60 s at 30 reports/s = 1800)</td></tr>
 *   <tr><td>minPairs</td><td>8</td><td>pairs in the fit before it locks</td></tr>
 *   <tr><td>lossTimeout</td><td>3 s</td><td>silence before LOCKED becomes HOLDOVER</td></tr>
 *   <tr><td>holdoverLimit</td><td>5 min</td><td>silence before HOLDOVER becomes UNLOCKED</td></tr>
 *   <tr><td>takeLength</td><td>7 min</td><td>take the DRIFT alert budgets half a frame for</td></tr>
 *   <tr><td>jumpConfirmations</td><td>3</td><td>consecutive agreeing off-fit reports that make a jump</td></tr>
 * </table>
 */
public record AlignerOptions(
        Duration window,
        int maxPairs,
        int minPairs,
        Duration lossTimeout,
        Duration holdoverLimit,
        Duration takeLength,
        int jumpConfirmations) {

    public AlignerOptions {
        requirePositive(window, "window");
        requirePositive(lossTimeout, "lossTimeout");
        requirePositive(holdoverLimit, "holdoverLimit");
        requirePositive(takeLength, "takeLength");
        if (minPairs < 2) {
            throw new IllegalArgumentException("minPairs must be at least 2 to fit a line, got " + minPairs);
        }
        if (maxPairs < minPairs) {
            throw new IllegalArgumentException(
                    "maxPairs must be at least minPairs (" + minPairs + "), got " + maxPairs);
        }
        if (jumpConfirmations < 2 || jumpConfirmations > maxPairs) {
            throw new IllegalArgumentException("jumpConfirmations must be 2.." + maxPairs
                    + " (one off-fit report is an outlier), got " + jumpConfirmations);
        }
        if (holdoverLimit.compareTo(lossTimeout) <= 0) {
            throw new IllegalArgumentException(
                    "holdoverLimit (" + holdoverLimit + ") must be longer than lossTimeout (" + lossTimeout + ")");
        }
    }

    public static AlignerOptions defaults() {
        return new AlignerOptions(
                Duration.ofSeconds(60),
                2000,
                8,
                Duration.ofSeconds(3),
                Duration.ofMinutes(5),
                Duration.ofMinutes(7),
                3);
    }

    public AlignerOptions withWindow(Duration newWindow) {
        return new AlignerOptions(
                newWindow, maxPairs, minPairs, lossTimeout, holdoverLimit, takeLength, jumpConfirmations);
    }

    public AlignerOptions withMaxPairs(int newMaxPairs) {
        return new AlignerOptions(
                window, newMaxPairs, minPairs, lossTimeout, holdoverLimit, takeLength, jumpConfirmations);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}

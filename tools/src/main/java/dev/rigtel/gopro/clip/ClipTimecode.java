package dev.rigtel.gopro.clip;

import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import dev.rigtel.gopro.mp4.TimecodeTrack;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Optional;

/**
 * A clip's source timecode, from its {@code tmcd} track: the label of the first video frame and the
 * rate the labels count at.
 *
 * @param startLabel the first frame's label, {@code HH:MM:SS:FF} ({@code ;} before the frames when drop
 *     frame)
 * @param rateNumerator frames per second as a fraction: 30000 / 1001 for 29.97
 * @param rateDenominator see {@code rateNumerator}
 * @param dropFrame SMPTE ST 12-1 drop-frame labels
 * @param startFrame the first frame's number since 00:00:00:00
 * @param countingBase frames per timecode second (30 for 29.97)
 */
public record ClipTimecode(
        String startLabel,
        long rateNumerator,
        long rateDenominator,
        boolean dropFrame,
        long startFrame,
        int countingBase) {

    /** From a {@code tmcd} sample description and sample. */
    public static ClipTimecode of(TimecodeTrack tmcd) {
        long gcd = gcd(tmcd.timescale(), tmcd.frameDuration());
        long num = tmcd.timescale() / gcd;
        long den = tmcd.frameDuration() / gcd;
        int base = Math.max(1, tmcd.countingBase());
        boolean drop = tmcd.dropFrame() && (base == 30 || base == 60);
        ClipTimecode partial = new ClipTimecode("", num, den, drop, tmcd.startFrame(), base);
        return new ClipTimecode(partial.label(tmcd.startFrame()), num, den, drop, tmcd.startFrame(), base);
    }

    /** Frames per second, e.g. 29.97002997. */
    public double framesPerSecond() {
        return (double) rateNumerator / rateDenominator;
    }

    /** The number of the frame shown {@code nanosFromFirstFrame} after the first (floored). */
    public long frameAt(long nanosFromFirstFrame) {
        return startFrame
                + Math.floorDiv(
                        Math.multiplyExact(nanosFromFirstFrame, rateNumerator), rateDenominator * 1_000_000_000L);
    }

    /** The label of the frame shown {@code nanosFromFirstFrame} after the first frame. */
    public String labelAt(long nanosFromFirstFrame) {
        return label(frameAt(nanosFromFirstFrame));
    }

    /**
     * Nanoseconds since midnight on the production timeline: the first frame's label as real time
     * (frame number x den / num, as the collector's {@code Timecode.realTimeNanos}) plus the offset,
     * not rounded to frames. May pass 24 h for a clip that runs past midnight.
     */
    public long timeOfDayNanosAt(long nanosFromFirstFrame) {
        return startFrame * rateDenominator * 1_000_000_000L / rateNumerator + nanosFromFirstFrame;
    }

    /**
     * The wall-clock time of an instant of the clip, given the day the first frame was shot (from the
     * user, or the file's creation time): the timecode's time of day on that date.
     */
    public LocalDateTime productionTime(LocalDate shootingDay, long nanosFromFirstFrame) {
        return shootingDay.atStartOfDay().plusNanos(timeOfDayNanosAt(nanosFromFirstFrame));
    }

    private String label(long frame) {
        Optional<FrameRate> known = Arrays.stream(FrameRate.values())
                .filter(r -> r.numerator() * rateDenominator == r.denominator() * rateNumerator)
                .filter(r -> r.countingBase() == countingBase)
                .filter(r -> !dropFrame || r.dropFrameAllowed())
                .findFirst();
        if (known.isPresent()) {
            return Timecode.fromFrameNumber(frame, known.get(), dropFrame).toString();
        }
        // Rates rigs never report (100, 119.88, 240 fps): plain non-drop counting.
        long perDay = 86_400L * countingBase;
        long f = Math.floorMod(frame, perDay);
        long seconds = f / countingBase;
        return String.format("%02d:%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60, f % countingBase);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}

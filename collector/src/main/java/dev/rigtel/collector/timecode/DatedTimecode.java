package dev.rigtel.collector.timecode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A time-of-day timecode with its shooting date beside it. Time-of-day timecode wraps at midnight
 * (DOMAIN.md section 1), so a label alone does not place a frame; the date does.
 *
 * <p>The production timeline used across rigtel is {@link #utcNanos(ZoneId)}: the UTC instant of
 * local midnight of the shooting date plus the real time of the label's frame count (SMPTE ST 12-1,
 * exact rational rate). It is the same for every rig and slate event, which is what aligning them
 * needs. It is not always the wall clock:
 *
 * <ul>
 *   <li>29.97 and 59.94 non-drop labels run 3.6 s per hour behind the wall clock (one hour of labels
 *       lasts 3603.6 s). That is inherent to NDF; drop-frame labels stay within 3.6 ms per hour.
 *   <li>On a daylight-saving transition day the labels count real time from local midnight, as a
 *       generator jammed at midnight would, so after the transition they differ from the local
 *       clock by the shift (Europe/London, 2024-03-31: {@code 12:00:00:00} is 12:00 UTC, 13:00 BST).
 * </ul>
 *
 * <p>Where one day's labels overlap the next day's instants (a 23-hour DST day, or the last 86.4 s
 * of a 29.97 NDF day), {@link #atUtcNanos} answers with the later date; where a 25-hour DST day has
 * instants that no label of either date reaches, it answers with the day's last frame.
 */
public record DatedTimecode(LocalDate shootingDate, Timecode timecode) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public DatedTimecode {
        Objects.requireNonNull(shootingDate, "shootingDate");
        Objects.requireNonNull(timecode, "timecode");
    }

    /**
     * The frame {@code frames} frames later (earlier if negative); the date follows across midnight
     * both ways.
     */
    public DatedTimecode plusFrames(long frames) {
        FrameRate rate = timecode.rate();
        boolean dropFrame = timecode.dropFrame();
        long perDay = Timecode.framesPerDay(rate, dropFrame);
        long days = Math.floorDiv(frames, perDay);
        long total = timecode.frameNumber() + Math.floorMod(frames, perDay);
        days += total / perDay;
        return new DatedTimecode(
                shootingDate.plusDays(days), Timecode.fromFrameNumber(total % perDay, rate, dropFrame));
    }

    /**
     * Frames from this frame to {@code other}, across dates: negative when {@code other} is earlier.
     *
     * @throws IllegalArgumentException if the rates or drop-frame modes differ
     */
    public long framesUntil(DatedTimecode other) {
        timecode.requireSameCounting(other.timecode);
        long days = other.shootingDate.toEpochDay() - shootingDate.toEpochDay();
        long perDay = Timecode.framesPerDay(timecode.rate(), timecode.dropFrame());
        return Math.addExact(Math.multiplyExact(days, perDay), timecode.framesUntil(other.timecode));
    }

    /**
     * The start of this frame on the production timeline, in UTC nanoseconds since the epoch: the
     * UTC instant of local midnight of {@link #shootingDate} in {@code zone} plus {@link
     * Timecode#realTimeNanos()}. See the class comment for NDF and DST days.
     */
    public long utcNanos(ZoneId zone) {
        return Math.addExact(midnightUtcNanos(shootingDate, zone), timecode.realTimeNanos());
    }

    /**
     * The frame whose start is at or before {@code utcNanos}: the exact inverse of {@link
     * #utcNanos(ZoneId)} (integer arithmetic on the rational rate, no rounding) for every instant
     * one frame of one date covers. The date is the local date of the instant in {@code zone}; see
     * the class comment for the instants where two dates' labels overlap or none reaches.
     */
    public static DatedTimecode atUtcNanos(long utcNanos, ZoneId zone, FrameRate rate, boolean dropFrame) {
        if (dropFrame && !rate.dropFrameAllowed()) {
            throw new InvalidTimecodeException("drop-frame timecode does not exist at " + rate.label() + " fps");
        }
        Instant instant = Instant.ofEpochSecond(
                Math.floorDiv(utcNanos, NANOS_PER_SECOND), Math.floorMod(utcNanos, NANOS_PER_SECOND));
        LocalDate date = LocalDate.ofInstant(instant, zone);
        long offsetNanos = utcNanos - midnightUtcNanos(date, zone);
        long perDay = Timecode.framesPerDay(rate, dropFrame);
        long frame = frameAt(offsetNanos, rate);
        if (frame >= perDay) {
            frame = perDay - 1;
        }
        return new DatedTimecode(date, Timecode.fromFrameNumber(frame, rate, dropFrame));
    }

    /**
     * Gives a report without a date the date among yesterday, today and tomorrow (in {@code zone},
     * seen from {@code now}) that puts {@code tc} closest to {@code now}. A label shortly before
     * midnight received shortly after it gets yesterday's date, and the other way round.
     */
    public static DatedTimecode nearest(Timecode tc, Instant now, ZoneId zone) {
        long nowNanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), NANOS_PER_SECOND), now.getNano());
        LocalDate today = LocalDate.ofInstant(now, zone);
        DatedTimecode best = null;
        long bestDistance = Long.MAX_VALUE;
        for (int days = -1; days <= 1; days++) {
            DatedTimecode candidate = new DatedTimecode(today.plusDays(days), tc);
            long distance = Math.abs(candidate.utcNanos(zone) - nowNanos);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return shootingDate + " " + timecode;
    }

    private static long midnightUtcNanos(LocalDate date, ZoneId zone) {
        Instant midnight = date.atStartOfDay(zone).toInstant();
        return Math.addExact(Math.multiplyExact(midnight.getEpochSecond(), NANOS_PER_SECOND), midnight.getNano());
    }

    /**
     * The largest frame number whose start {@code floor(fn * den * 1e9 / num)} is at or before
     * {@code offsetNanos}: {@code floor(x) <= t} iff {@code x < t + 1}, so {@code fn * den * 1e9 <=
     * (t + 1) * num - 1}.
     */
    private static long frameAt(long offsetNanos, FrameRate rate) {
        if (offsetNanos < 0) {
            return 0; // not reached: local midnight of the instant's own date is never after it
        }
        // Clamp to 30 h, past the last label of any day (a 29.97 NDF day of labels lasts 24.024 h),
        // so the product cannot overflow: 30 h in ns * 60000 is about 6.5e18 < 2^63.
        long t = Math.min(offsetNanos, 30 * 3_600L * NANOS_PER_SECOND);
        return Math.floorDiv((t + 1) * rate.numerator() - 1, rate.denominator() * NANOS_PER_SECOND);
    }
}

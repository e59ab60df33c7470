package dev.rigtel.collector.motion.export;

import dev.rigtel.collector.timecode.DatedTimecode;
import dev.rigtel.collector.timecode.FrameRate;
import dev.rigtel.collector.timecode.Timecode;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A head turn that may be a cut ("every time the hero turns his head, that's a cut"), as editorial
 * sees it: the frame it starts on plus what it was.
 *
 * @param onsetNanos onset of the turn on the production timeline ({@link DatedTimecode#utcNanos},
 *     UTC nanoseconds)
 * @param timecode the onset at the take's rate, rounded to the nearest frame start (see {@link #at})
 * @param direction {@code "left"} or {@code "right"}, as seen by the wearer
 * @param peakDps peak yaw rate of the turn in degrees per second, finite and not negative
 * @param angleDeg yaw swept by the turn in degrees (its magnitude is exported; direction carries the
 *     side)
 * @param whipPan whether the turn was fast enough to be a whip pan rather than a head turn
 * @param rig the rig that saw it, e.g. {@code rig-03}
 * @param wearer who wore the rig, as the take book names them; may be empty when unknown
 * @param camera whether the turn was found in the camera's own gyro (an imported clip, {@code
 *     source=gopro}) rather than the rig's board
 */
public record CutCandidate(
        long onsetNanos,
        Timecode timecode,
        String direction,
        double peakDps,
        double angleDeg,
        boolean whipPan,
        String rig,
        String wearer,
        boolean camera) {

    /** {@link #direction()} of a turn to the wearer's left. */
    public static final String LEFT = "left";

    /** {@link #direction()} of a turn to the wearer's right. */
    public static final String RIGHT = "right";

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public CutCandidate {
        Objects.requireNonNull(timecode, "timecode");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(rig, "rig");
        Objects.requireNonNull(wearer, "wearer");
        if (!LEFT.equals(direction) && !RIGHT.equals(direction)) {
            throw new IllegalArgumentException("direction must be \"left\" or \"right\", got \"" + direction + "\"");
        }
        if (!Double.isFinite(peakDps) || peakDps < 0) {
            throw new IllegalArgumentException("peakDps must be finite and not negative, got " + peakDps);
        }
        if (!Double.isFinite(angleDeg)) {
            throw new IllegalArgumentException("angleDeg must be finite, got " + angleDeg);
        }
        if (rig.isBlank()) {
            throw new IllegalArgumentException("rig must not be blank");
        }
    }

    /** A candidate from the rig's own board. */
    public CutCandidate(
            long onsetNanos,
            Timecode timecode,
            String direction,
            double peakDps,
            double angleDeg,
            boolean whipPan,
            String rig,
            String wearer) {
        this(onsetNanos, timecode, direction, peakDps, angleDeg, whipPan, rig, wearer, false);
    }

    /** This candidate, as found in the camera's own gyro. */
    public CutCandidate fromCamera() {
        return new CutCandidate(onsetNanos, timecode, direction, peakDps, angleDeg, whipPan, rig, wearer, true);
    }

    /**
     * A candidate whose {@link #timecode()} is the frame whose start is nearest to {@code onsetNanos}.
     * {@link DatedTimecode#atUtcNanos} answers the frame whose start is at or before an instant, so
     * half a frame is added first; half a frame is {@code den * 1e9 / (2 * num)} ns from the exact
     * rational rate (16683333.3 ns at 29.97), rounded to the nanosecond, never {@code 0.5 / 29.97}.
     * An onset within a nanosecond of the exact midpoint between two frame starts rounds up.
     *
     * @param zone the zone of the shooting day's time-of-day timecode (see {@link DatedTimecode})
     */
    public static CutCandidate at(
            long onsetNanos,
            ZoneId zone,
            FrameRate rate,
            boolean dropFrame,
            String direction,
            double peakDps,
            double angleDeg,
            boolean whipPan,
            String rig,
            String wearer) {
        Timecode nearest = DatedTimecode.atUtcNanos(
                        Math.addExact(onsetNanos, halfFrameNanos(rate)), zone, rate, dropFrame)
                .timecode();
        return new CutCandidate(onsetNanos, nearest, direction, peakDps, angleDeg, whipPan, rig, wearer);
    }

    /** Half a frame in nanoseconds, {@code den * 1e9 / (2 * num)} rounded half up, in integers. */
    static long halfFrameNanos(FrameRate rate) {
        long twiceNumerator = 2 * rate.numerator();
        return (rate.denominator() * NANOS_PER_SECOND + rate.numerator()) / twiceNumerator;
    }

    /** {@code "whip pan"} or {@code "head turn"}: the kind of turn in words. */
    public String kind() {
        return whipPan ? "whip pan" : "head turn";
    }
}

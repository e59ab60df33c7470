package dev.rigtel.collector.motion.export;

import dev.rigtel.collector.timecode.Timecode;
import java.util.Objects;

/**
 * A head turn or whip pan seen by a camera's own gyro, placed on that camera's clip in the clip's
 * source timecode: the per-clip counterpart of {@link CutCandidate}, which places a rig's turn on a
 * take.
 *
 * @param offsetNanos onset of the turn in nanoseconds from the clip's first video frame
 * @param timecode the onset's frame in the clip's source timecode (see {@link #at})
 * @param direction {@link CutCandidate#LEFT} or {@link CutCandidate#RIGHT}, as seen by the wearer
 * @param peakDps peak yaw rate of the turn in degrees per second, finite and not negative
 * @param angleDeg yaw swept by the turn in degrees (its magnitude is exported; direction carries the
 *     side)
 * @param whipPan whether the turn was fast enough to be a whip pan rather than a head turn
 */
public record ClipCandidate(
        long offsetNanos, Timecode timecode, String direction, double peakDps, double angleDeg, boolean whipPan) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public ClipCandidate {
        Objects.requireNonNull(timecode, "timecode");
        Objects.requireNonNull(direction, "direction");
        if (!CutCandidate.LEFT.equals(direction) && !CutCandidate.RIGHT.equals(direction)) {
            throw new IllegalArgumentException("direction must be \"left\" or \"right\", got \"" + direction + "\"");
        }
        if (!Double.isFinite(peakDps) || peakDps < 0) {
            throw new IllegalArgumentException("peakDps must be finite and not negative, got " + peakDps);
        }
        if (!Double.isFinite(angleDeg)) {
            throw new IllegalArgumentException("angleDeg must be finite, got " + angleDeg);
        }
    }

    /**
     * A candidate {@code offsetNanos} after the clip's first frame, on the frame whose start is
     * nearest: {@code clip.start() + round(offsetNanos * num / (den * 1e9))} frames, from the exact
     * rational rate in integers (an onset exactly half-way rounds up).
     */
    public static ClipCandidate at(
            ClipInfo clip, long offsetNanos, String direction, double peakDps, double angleDeg, boolean whipPan) {
        return new ClipCandidate(
                offsetNanos,
                clip.start().plusFrames(nearestFrame(clip, offsetNanos)),
                direction,
                peakDps,
                angleDeg,
                whipPan);
    }

    /** Frames from the clip's first frame to the frame start nearest {@code offsetNanos}. */
    public static long nearestFrame(ClipInfo clip, long offsetNanos) {
        long perFrameScaled = Math.multiplyExact(clip.rate().denominator(), NANOS_PER_SECOND);
        long twice =
                Math.multiplyExact(Math.multiplyExact(offsetNanos, clip.rate().numerator()), 2L);
        return Math.floorDiv(Math.addExact(twice, perFrameScaled), 2 * perFrameScaled);
    }

    /** {@code "whip pan"} or {@code "head turn"}: the kind of turn in words. */
    public String kind() {
        return whipPan ? "whip pan" : "head turn";
    }
}

package dev.rigtel.collector.motion;

import java.util.Objects;

/**
 * Something a stunt review or an editor wants to find on the timeline. Fields that do not apply to a
 * type hold {@code 0}, {@code ""} or, for {@code hic15}, {@code NaN}.
 *
 * @param type what happened
 * @param onsetNanos UTC nanoseconds: impacts, the first sample over the impact threshold; turns, the
 *     sample where the low-passed yaw rate crossed the start threshold (the cut candidate, DOMAIN.md
 *     section 3); clipping, the first clipped sample; dropouts, the last sample before the gap
 * @param endNanos UTC nanoseconds: impacts, the last sample of the 8 ms + 32 ms window; turns, the
 *     sample where the yaw rate fell under the end threshold; clipping, the last clipped sample;
 *     dropouts, the first sample after the gap
 * @param peak impacts, peak resultant in g; turns and whip pans, peak |low-passed yaw rate| in deg/s;
 *     clipping, the clipped value with its sign (g for {@code ax ay az}, deg/s for {@code gx gy gz});
 *     dropouts, 0
 * @param angleDeg turns and whip pans: the rotation about the vertical, in degrees, always positive
 *     (see {@code direction}); 0 otherwise
 * @param direction turns and whip pans: {@code "left"} for a positive yaw rate about the up vector
 *     (counter-clockwise seen from above, right-hand rule), {@code "right"} for negative; {@code ""}
 *     otherwise
 * @param hic15 impacts: HIC15 over the event window, a screening index only (see {@link Hic});
 *     {@code NaN} otherwise
 * @param missingSamples dropouts: samples the median interval predicts inside the gap; 0 otherwise
 * @param axis clipping: {@code "ax" "ay" "az" "gx" "gy" "gz"} as in {@code ImuBatch}; {@code ""}
 *     otherwise
 */
public record MotionEvent(
        Type type,
        long onsetNanos,
        long endNanos,
        double peak,
        double angleDeg,
        String direction,
        double hic15,
        int missingSamples,
        String axis) {

    /** Event types. */
    public enum Type {
        /** Resultant acceleration over the impact threshold (10 g, DOMAIN.md section 4). */
        IMPACT,
        /** A turn about the vertical with a peak yaw rate up to the whip-pan threshold. */
        HEAD_TURN,
        /** A turn whose peak yaw rate is over the whip-pan threshold (300 deg/s). */
        WHIP_PAN,
        /** One run of consecutive samples at full scale on one axis. */
        CLIPPING,
        /** An interval over 1.5 x the median sample interval. */
        DROPOUT
    }

    public static final String LEFT = "left";
    public static final String RIGHT = "right";

    public MotionEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(axis, "axis");
        if (endNanos < onsetNanos) {
            throw new IllegalArgumentException("endNanos " + endNanos + " is before onsetNanos " + onsetNanos);
        }
    }

    static MotionEvent impact(long onsetNanos, long endNanos, double peakG, double hic15) {
        return new MotionEvent(Type.IMPACT, onsetNanos, endNanos, peakG, 0, "", hic15, 0, "");
    }

    static MotionEvent turn(Type type, long onsetNanos, long endNanos, double peakDps, double angleDeg, String dir) {
        return new MotionEvent(type, onsetNanos, endNanos, peakDps, angleDeg, dir, Double.NaN, 0, "");
    }

    static MotionEvent clipping(long onsetNanos, long endNanos, double value, String axis) {
        return new MotionEvent(Type.CLIPPING, onsetNanos, endNanos, value, 0, "", Double.NaN, 0, axis);
    }

    static MotionEvent dropout(long onsetNanos, long endNanos, int missingSamples) {
        return new MotionEvent(Type.DROPOUT, onsetNanos, endNanos, 0, 0, "", Double.NaN, missingSamples, "");
    }
}

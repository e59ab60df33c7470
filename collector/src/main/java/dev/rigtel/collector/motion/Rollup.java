package dev.rigtel.collector.motion;

/**
 * Per-rig summary of one UTC second (the floor of each sample's {@code utcNanos} to the second).
 * Emitted once the first sample of a later second arrives, or on {@link RigMotion#flush}. A second
 * without any sample yields no rollup; the {@link MotionEvent.Type#DROPOUT} event spans it instead.
 *
 * @param secondStartNanos UTC nanoseconds of the start of the second
 * @param accelPeakG largest resultant acceleration {@code |a| / g0} in the second, gravity included
 *     (g0 = 9.80665 m/s^2, DOMAIN.md section 4)
 * @param accelRmsG root mean square of the resultant in g, gravity included (1.0 at rest)
 * @param gyroPeakDps largest angular speed {@code |omega|} after gyro-bias removal, deg/s
 * @param gyroRmsDps root mean square angular speed, deg/s
 * @param samples samples received in the second
 * @param expectedSamples samples the running median interval predicts for the second; at the start of
 *     the stream and on flush only the covered part of the second counts
 * @param gaps intervals longer than {@code gapFactor} x the median interval that ended in this second
 */
public record Rollup(
        long secondStartNanos,
        double accelPeakG,
        double accelRmsG,
        double gyroPeakDps,
        double gyroRmsDps,
        int samples,
        int expectedSamples,
        int gaps) {}

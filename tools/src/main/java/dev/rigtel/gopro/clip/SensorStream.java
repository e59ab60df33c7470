package dev.rigtel.gopro.clip;

/**
 * One telemetry stream of a clip, all its chapters in order.
 *
 * @param fourcc the GPMF key: {@code ACCL} (m/s²), {@code GYRO} (rad/s), {@code GRAV} (unit vector),
 *     {@code CORI}/{@code IORI} (quaternion w,x,y,z), {@code GPS5}/{@code GPS9}, {@code SHUT}, ...
 * @param deviceId the GPMF device ({@code "1"} is the camera; BLE sensors and drones have their own)
 * @param name the stream's name as the camera writes it ({@code STNM}), e.g. "Accelerometer"
 * @param units the units from {@code SIUN} (else {@code UNIT}): one, or one per axis joined with commas;
 *     empty when the camera names none
 * @param axes values per sample
 * @param values {@code samples() * axes} values, row-major: scaled ({@code SCAL}) and in the camera's
 *     output axis order ({@code MTRX}, {@code ORIN}/{@code ORIO}), exactly as the reference parser's
 *     {@code GPMF_ScaledData}; NaN for non-numeric elements
 * @param sampleNanos each sample's time in nanoseconds from the clip's first video frame (negative for
 *     samples before it)
 * @param rateHz the true sample rate, regressed across payloads as {@code GetGPMFSampleRate} does
 * @param fullScale where the sensor clips (the raw integer type's limit, scaled), or NaN if not known;
 *     ACCL on these cameras is ±8 g
 * @param temperatureC the sensor's first {@code TMPC}, or NaN
 */
public record SensorStream(
        String fourcc,
        String deviceId,
        String name,
        String units,
        int axes,
        double[] values,
        long[] sampleNanos,
        double rateHz,
        double fullScale,
        double temperatureC) {

    public SensorStream {
        if (values.length != (long) sampleNanos.length * axes) {
            throw new IllegalArgumentException(
                    fourcc + ": " + values.length + " values for " + sampleNanos.length + " samples of " + axes);
        }
    }

    public int samples() {
        return sampleNanos.length;
    }

    /** The value of {@code axis} of sample {@code sample}. */
    public double value(int sample, int axis) {
        return values[sample * axes + axis];
    }
}

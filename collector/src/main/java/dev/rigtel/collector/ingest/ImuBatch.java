package dev.rigtel.collector.ingest;

/**
 * One decoded, validated IMU batch. Samples are held flat, six values each
 * ({@code ax ay az} in m/s^2, {@code gx gy gz} in deg/s), so a 1 kHz stream costs one array per
 * batch rather than one object per sample.
 *
 * @param deviceNanos device time of each sample in nanoseconds on the rig's monotonic clock,
 *     strictly increasing
 * @param values {@code 6 * sampleCount()} values
 * @param clippedSamples samples of a packed batch with a count at full scale on some axis (the
 *     sensor saturated there, so the true value may be larger); always 0 for JSON and CBOR floats
 * @param accelMps2PerCount of a packed batch, the scale its accelerometer counts were multiplied by
 *     ({@code values} are {@code count * accelMps2PerCount}); NaN for the float encodings
 * @param gyroDpsPerCount of a packed batch, the gyroscope's scale likewise; NaN for the float encodings
 */
public record ImuBatch(
        RigId rig,
        String boot,
        long seq,
        long[] deviceNanos,
        double[] values,
        int clippedSamples,
        double accelMps2PerCount,
        double gyroDpsPerCount) {

    public static final int VALUES_PER_SAMPLE = 6;

    /** A batch whose values are not counts times a scale. */
    public ImuBatch(RigId rig, String boot, long seq, long[] deviceNanos, double[] values, int clippedSamples) {
        this(rig, boot, seq, deviceNanos, values, clippedSamples, Double.NaN, Double.NaN);
    }

    /** True if the values are counts times {@link #accelMps2PerCount} and {@link #gyroDpsPerCount}. */
    public boolean packed() {
        return accelMps2PerCount > 0 && gyroDpsPerCount > 0;
    }

    /** A batch with no clipped samples (the float encodings, which cannot say). */
    public ImuBatch(RigId rig, String boot, long seq, long[] deviceNanos, double[] values) {
        this(rig, boot, seq, deviceNanos, values, 0);
    }

    public int sampleCount() {
        return deviceNanos.length;
    }

    public ImuSample sample(int i) {
        int o = i * VALUES_PER_SAMPLE;
        return new ImuSample(
                deviceNanos[i], values[o], values[o + 1], values[o + 2], values[o + 3], values[o + 4], values[o + 5]);
    }

    public long lastDeviceNanos() {
        return deviceNanos[deviceNanos.length - 1];
    }
}

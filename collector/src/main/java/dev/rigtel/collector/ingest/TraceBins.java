package dev.rigtel.collector.ingest;

import java.util.Arrays;

/**
 * The samples of one IMU batch in {@link #BIN_NANOS} bins on the production timeline, for the live
 * trace: per bin the peak resultant acceleration and the mean yaw rate. Reused batch after batch
 * (one per rig), so the per-sample work allocates nothing; the arrays grow to the largest batch seen.
 * Samples must come in increasing time order. Not thread-safe: the rig's lock guards it.
 */
public final class TraceBins {

    /** Width of a bin: 20 ms, 50 points a second, finer than a dashboard's pixels for a few seconds. */
    public static final long BIN_NANOS = 20_000_000L;

    private long[] starts = new long[8];
    private double[] peakG = new double[8];
    private double[] yawSumDps = new double[8];
    private int[] samples = new int[8];
    private int bins;

    public void clear() {
        bins = 0;
    }

    /** One sample at {@code utcNanos}: resultant acceleration in g, low-passed yaw rate in deg/s. */
    public void add(long utcNanos, double accelG, double yawRateDps) {
        long start = Math.floorDiv(utcNanos, BIN_NANOS) * BIN_NANOS;
        if (bins > 0 && starts[bins - 1] == start) {
            int last = bins - 1;
            if (accelG > peakG[last]) {
                peakG[last] = accelG;
            }
            yawSumDps[last] += yawRateDps;
            samples[last]++;
            return;
        }
        if (bins == starts.length) {
            int size = bins * 2;
            starts = Arrays.copyOf(starts, size);
            peakG = Arrays.copyOf(peakG, size);
            yawSumDps = Arrays.copyOf(yawSumDps, size);
            samples = Arrays.copyOf(samples, size);
        }
        starts[bins] = start;
        peakG[bins] = accelG;
        yawSumDps[bins] = yawRateDps;
        samples[bins] = 1;
        bins++;
    }

    public int size() {
        return bins;
    }

    /** Start of each bin, ns. */
    public long[] starts() {
        return Arrays.copyOf(starts, bins);
    }

    /** Peak resultant acceleration of each bin, g. */
    public double[] peakG() {
        return Arrays.copyOf(peakG, bins);
    }

    /** Mean yaw rate of each bin, deg/s. */
    public double[] meanYawRateDps() {
        double[] mean = new double[bins];
        for (int i = 0; i < bins; i++) {
            mean[i] = yawSumDps[i] / samples[i];
        }
        return mean;
    }
}

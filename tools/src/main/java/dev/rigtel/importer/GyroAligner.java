package dev.rigtel.importer;

/**
 * Finds where a free-running camera's clip lies on the production timeline by cross-correlating the
 * magnitude of its gyro with a rig's live gyro over the same stretch: head turns are the same turns
 * on both sensors, whatever their axes. Both traces are at {@link #RATE_HZ} (the mean of {@code
 * |gyro|} per 10 ms bin, NaN for an empty bin). The normalized (Pearson) correlation over the
 * overlapping bins is computed first at every lag at 10 Hz, then around the best coarse lag at 100 Hz;
 * a parabola through the fine peak and its neighbours gives the offset to well under a bin. No FFT:
 * for windows of 15-30 minutes the direct sums take well under a second.
 *
 * <p>The confidence is the peak's correlation and its ratio to the best other local peak more than
 * {@link #EXCLUSION_SECONDS} away; an alignment is accepted when both pass {@link #MIN_CORRELATION}
 * and {@link #MIN_PEAK_RATIO}. A flat trace (a camera on a tripod, a rig at rest) has no variance and
 * so no correlation: refused.
 */
public final class GyroAligner {

    /** The common rate of both traces. */
    public static final int RATE_HZ = 100;

    /** The coarse search's rate: every tenth bin, averaged. */
    static final int COARSE_FACTOR = 10;

    /** Least correlation of the peak to accept. */
    public static final double MIN_CORRELATION = 0.5;

    /** Least ratio of the peak to the second-best peak outside +-1 s. */
    public static final double MIN_PEAK_RATIO = 1.3;

    static final double EXCLUSION_SECONDS = 1.0;

    /** Least overlap of clip and rig, as a share of the clip (and at least 10 s). */
    static final double MIN_OVERLAP = 0.5;

    private static final long BIN_NANOS = 1_000_000_000L / RATE_HZ;

    /**
     * What was found.
     *
     * @param firstFrameNanos where the clip's start (its bin 0) lies on the rig's timeline, UTC ns
     * @param correlation the peak's normalized correlation, -1..1 (0 if none could be computed)
     * @param peakRatio the peak's correlation over the second-best peak's outside +-1 s ({@link
     *     Double#POSITIVE_INFINITY} when there is none, or it is not positive)
     */
    public record Alignment(long firstFrameNanos, double correlation, double peakRatio) {

        /** Whether the figures pass the thresholds. */
        public boolean accepted() {
            return correlation >= MIN_CORRELATION && peakRatio >= MIN_PEAK_RATIO;
        }
    }

    private GyroAligner() {}

    /**
     * Aligns {@code clip} (bin 0 at the clip's start) within {@code rig} (bin 0 at {@code rigStartNanos}),
     * both at {@link #RATE_HZ}. Lags range over every placement where the clip overlaps the rig's trace
     * by at least half its length (and 10 s).
     */
    public static Alignment align(double[] rig, long rigStartNanos, double[] clip) {
        int minOverlap = Math.max(10 * RATE_HZ, (int) (clip.length * MIN_OVERLAP));
        minOverlap = Math.min(minOverlap, Math.min(clip.length, rig.length));
        if (minOverlap < 2 * COARSE_FACTOR) {
            return new Alignment(rigStartNanos, 0, 0);
        }
        double[] rigCoarse = decimate(rig);
        double[] clipCoarse = decimate(clip);
        int coarseOverlap = minOverlap / COARSE_FACTOR;
        // Lag L: clip bin i meets rig bin i + L.
        int lo = coarseOverlap - clipCoarse.length;
        int hi = rigCoarse.length - coarseOverlap;
        if (hi < lo) {
            return new Alignment(rigStartNanos, 0, 0);
        }
        double[] coarse = new double[hi - lo + 1];
        int best = -1;
        for (int k = 0; k < coarse.length; k++) {
            coarse[k] = correlation(rigCoarse, clipCoarse, lo + k, coarseOverlap);
            if (best < 0 || coarse[k] > coarse[best]) {
                best = k;
            }
        }
        int exclusion = (int) Math.round(EXCLUSION_SECONDS * RATE_HZ / COARSE_FACTOR);
        double second = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < coarse.length; k++) {
            boolean peak =
                    (k == 0 || coarse[k] >= coarse[k - 1]) && (k == coarse.length - 1 || coarse[k] >= coarse[k + 1]);
            if (peak && Math.abs(k - best) > exclusion && coarse[k] > second) {
                second = coarse[k];
            }
        }
        // Fine: every 10 ms lag within two coarse bins of the coarse peak.
        int center = (lo + best) * COARSE_FACTOR;
        int fineLo = center - 2 * COARSE_FACTOR;
        int fineHi = center + 2 * COARSE_FACTOR;
        double[] fine = new double[fineHi - fineLo + 1];
        int fineBest = 0;
        for (int k = 0; k < fine.length; k++) {
            fine[k] = correlation(rig, clip, fineLo + k, minOverlap);
            if (fine[k] > fine[fineBest]) {
                fineBest = k;
            }
        }
        double peak = fine[fineBest];
        double subBin = 0;
        if (fineBest > 0 && fineBest < fine.length - 1) {
            double a = fine[fineBest - 1];
            double c = fine[fineBest + 1];
            double curvature = a - 2 * peak + c;
            if (curvature < 0) {
                subBin = 0.5 * (a - c) / curvature;
            }
        }
        double lagBins = fineLo + fineBest + subBin;
        long first = rigStartNanos + Math.round(lagBins * BIN_NANOS);
        double ratio = second > 0 ? Math.max(peak, coarse[best]) / second : Double.POSITIVE_INFINITY;
        if (!(peak > 0)) {
            return new Alignment(first, Math.max(0, peak), 0);
        }
        return new Alignment(first, peak, ratio);
    }

    /**
     * The Pearson correlation of {@code clip[i]} with {@code rig[i + lag]} over the bins where both
     * have a value; 0 if fewer than {@code minOverlap} bins have both, or either is flat there.
     */
    static double correlation(double[] rig, double[] clip, int lag, int minOverlap) {
        int from = Math.max(0, -lag);
        int to = Math.min(clip.length, rig.length - lag);
        if (to - from < minOverlap) {
            return 0;
        }
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        int n = 0;
        for (int i = from; i < to; i++) {
            double x = clip[i];
            double y = rig[i + lag];
            if (Double.isNaN(x) || Double.isNaN(y)) {
                continue;
            }
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
            n++;
        }
        if (n < minOverlap || n < 2) {
            return 0;
        }
        double vx = sxx - sx * sx / n;
        double vy = syy - sy * sy / n;
        // Flat within rounding: no motion to align on.
        if (vx <= 1e-9 * n || vy <= 1e-9 * n) {
            return 0;
        }
        return (sxy - sx * sy / n) / Math.sqrt(vx * vy);
    }

    /** Means of each {@link #COARSE_FACTOR} bins, NaN where all are. */
    static double[] decimate(double[] trace) {
        double[] out = new double[trace.length / COARSE_FACTOR];
        for (int j = 0; j < out.length; j++) {
            double sum = 0;
            int n = 0;
            for (int i = j * COARSE_FACTOR; i < (j + 1) * COARSE_FACTOR; i++) {
                if (!Double.isNaN(trace[i])) {
                    sum += trace[i];
                    n++;
                }
            }
            out[j] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    /**
     * A clip's gyro magnitude at {@link #RATE_HZ}: bin {@code i} is the mean of {@code |gyro|} of the
     * samples at {@code [i * 10 ms, (i + 1) * 10 ms)} from the clip's start, NaN where it has none.
     *
     * @param sampleNanos each sample's time from the clip's start
     * @param gyro three values per sample, any unit (the correlation does not care of scale)
     */
    public static double[] magnitudeTrace(long[] sampleNanos, double[] gyro) {
        if (sampleNanos.length == 0) {
            return new double[0];
        }
        int bins = (int) (sampleNanos[sampleNanos.length - 1] / BIN_NANOS) + 1;
        double[] sums = new double[bins];
        int[] counts = new int[bins];
        for (int i = 0; i < sampleNanos.length; i++) {
            if (sampleNanos[i] < 0) {
                continue;
            }
            int bin = (int) (sampleNanos[i] / BIN_NANOS);
            double x = gyro[3 * i];
            double y = gyro[3 * i + 1];
            double z = gyro[3 * i + 2];
            sums[bin] += Math.sqrt(x * x + y * y + z * z);
            counts[bin]++;
        }
        for (int i = 0; i < bins; i++) {
            sums[i] = counts[i] == 0 ? Double.NaN : sums[i] / counts[i];
        }
        return sums;
    }
}

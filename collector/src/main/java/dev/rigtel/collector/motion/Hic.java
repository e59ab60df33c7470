package dev.rigtel.collector.motion;

/**
 * Head Injury Criterion (Versace 1971, as adopted in FMVSS 208; DOMAIN.md section 4):
 * {@code HIC = max over t1 < t2, t2 - t1 <= T, of (t2 - t1) * (mean a over [t1, t2])^2.5} with the
 * resultant acceleration {@code a} in g and time in seconds; HIC15 uses T = 15 ms.
 *
 * <p>The mean is the trapezoidal integral between two samples divided by their separation, and
 * t1, t2 range over the sample instants. A valid HIC needs at least 10 kHz sampling and a wide-range
 * sensor (check value: a 100 g, 10 ms half-sine gives 414.5; this method gives 414.6 at 20 kHz and
 * 414.5 at 10 kHz). From a 1 kHz, +-16 g rig IMU the result is a <b>screening index</b> only: the same
 * pulse at 1 kHz gives about 401 (-3 %), and a clipped accelerometer underestimates it without limit.
 * Anything that shows it must say so.
 */
public final class Hic {

    private Hic() {}

    /**
     * HIC over the first {@code n} samples.
     *
     * @param tSeconds sample instants in seconds, strictly increasing (any origin)
     * @param accelG resultant acceleration in g at each instant
     * @param n number of samples to use
     * @param maxWindowSeconds T, e.g. 0.015 for HIC15
     * @return the HIC, 0 for fewer than two samples or a non-positive mean everywhere
     */
    public static double hic(double[] tSeconds, double[] accelG, int n, double maxWindowSeconds) {
        if (n > tSeconds.length || n > accelG.length) {
            throw new IllegalArgumentException("n " + n + " exceeds the arrays");
        }
        if (n < 2) {
            return 0;
        }
        // Cumulative trapezoidal integral: mean over [t_i, t_j] = (v_j - v_i) / (t_j - t_i).
        double[] v = new double[n];
        for (int i = 1; i < n; i++) {
            v[i] = v[i - 1] + 0.5 * (accelG[i] + accelG[i - 1]) * (tSeconds[i] - tSeconds[i - 1]);
        }
        double best = 0;
        double limit = maxWindowSeconds * (1 + 1e-9);
        for (int i = 0; i < n - 1; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = tSeconds[j] - tSeconds[i];
                if (d > limit) {
                    break;
                }
                double mean = (v[j] - v[i]) / d;
                if (mean > 0) {
                    double h = d * mean * mean * Math.sqrt(mean);
                    if (h > best) {
                        best = h;
                    }
                }
            }
        }
        return best;
    }
}

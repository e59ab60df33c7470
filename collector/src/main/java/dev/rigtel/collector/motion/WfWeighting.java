package dev.rigtel.collector.motion;

/**
 * ISO 2631-1:1997 frequency weighting W_f (motion sickness, vertical acceleration), built as four
 * cascaded second-order sections (DOMAIN.md section 4: one high-order IIR is numerically unstable)
 * and discretised with the bilinear transform, each section prewarped at its own corner frequency.
 *
 * <p>Transfer functions of ISO 2631-1 Annex A, with the W_f parameters of its Table A.1:
 *
 * <ul>
 *   <li>band-limiting high-pass, f1 = 0.08 Hz, Q1 = 1/sqrt(2): {@code s^2 / (s^2 + w1 s / Q1 + w1^2)}
 *   <li>band-limiting low-pass, f2 = 0.63 Hz, Q1 = 1/sqrt(2): {@code w2^2 / (s^2 + w2 s / Q1 + w2^2)}
 *   <li>acceleration-velocity transition, f3 = infinity, f4 = 0.25 Hz, Q4 = 0.86:
 *       {@code 1 / (1 + s / (Q4 w4) + s^2 / w4^2)}
 *   <li>upward step, f5 = 0.0625 Hz, Q5 = 0.80, f6 = 0.1 Hz, Q6 = 0.80:
 *       {@code (1 + s / (Q5 w5) + s^2 / w5^2) / (1 + s / (Q6 w6) + s^2 / w6^2) * (w5 / w6)^2}
 * </ul>
 *
 * <p>Check: {@link #magnitude(double)} reproduces the W_f column of ISO 2631-1 Table 3 (weighting
 * factors x 1000 in one-third-octave bands, e.g. 695 at 0.1 Hz, 1006 at 0.16 Hz, 992 at 0.2 Hz, 854 at
 * 0.25 Hz) within 0.02 dB from 0.02 to 4 Hz. NOT thread-safe; one instance per signal.
 */
public final class WfWeighting {

    public static final double F1_HZ = 0.08;
    public static final double F2_HZ = 0.63;
    public static final double Q1 = 1 / Math.sqrt(2);
    public static final double F4_HZ = 0.25;
    public static final double Q4 = 0.86;
    public static final double F5_HZ = 0.0625;
    public static final double Q5 = 0.80;
    public static final double F6_HZ = 0.1;
    public static final double Q6 = 0.80;

    private static final double W1 = 2 * Math.PI * F1_HZ;
    private static final double W2 = 2 * Math.PI * F2_HZ;
    private static final double W4 = 2 * Math.PI * F4_HZ;
    private static final double W5 = 2 * Math.PI * F5_HZ;
    private static final double W6 = 2 * Math.PI * F6_HZ;

    /** Analog sections as {b0, b1, b2, a0, a1, a2} of (b0 + b1 s + b2 s^2) / (a0 + a1 s + a2 s^2). */
    private static final double[][] ANALOG = {
        {0, 0, 1, W1 * W1, W1 / Q1, 1},
        {W2 * W2, 0, 0, W2 * W2, W2 / Q1, 1},
        {1, 0, 0, 1, 1 / (Q4 * W4), 1 / (W4 * W4)},
        {
            (W5 / W6) * (W5 / W6),
            (W5 / W6) * (W5 / W6) / (Q5 * W5),
            (W5 / W6) * (W5 / W6) / (W5 * W5),
            1,
            1 / (Q6 * W6),
            1 / (W6 * W6)
        }
    };

    private static final double[] PREWARP_RAD_S = {W1, W2, W4, Math.sqrt(W5 * W6)};

    private final double sampleRateHz;
    // Normalised digital sections, direct form II transposed: y = b0 x + z1; z1 = b1 x - a1 y + z2; ...
    private final double[] b0 = new double[4];
    private final double[] b1 = new double[4];
    private final double[] b2 = new double[4];
    private final double[] a1 = new double[4];
    private final double[] a2 = new double[4];
    private final double[] z1 = new double[4];
    private final double[] z2 = new double[4];

    /**
     * @param sampleRateHz the nominal sample rate of the signal; at least 4 Hz so that the 0.63 Hz
     *     band limit sits well under Nyquist
     */
    public WfWeighting(double sampleRateHz) {
        if (!(sampleRateHz >= 4) || Double.isInfinite(sampleRateHz)) {
            throw new IllegalArgumentException("sampleRateHz must be at least 4, got " + sampleRateHz);
        }
        this.sampleRateHz = sampleRateHz;
        double halfT = 0.5 / sampleRateHz;
        for (int k = 0; k < 4; k++) {
            double[] s = ANALOG[k];
            double wp = PREWARP_RAD_S[k];
            double c = wp / Math.tan(wp * halfT); // s = c (1 - z^-1) / (1 + z^-1)
            double cc = c * c;
            double nb0 = s[0] + s[1] * c + s[2] * cc;
            double nb1 = 2 * (s[0] - s[2] * cc);
            double nb2 = s[0] - s[1] * c + s[2] * cc;
            double na0 = s[3] + s[4] * c + s[5] * cc;
            double na1 = 2 * (s[3] - s[5] * cc);
            double na2 = s[3] - s[4] * c + s[5] * cc;
            b0[k] = nb0 / na0;
            b1[k] = nb1 / na0;
            b2[k] = nb2 / na0;
            a1[k] = na1 / na0;
            a2[k] = na2 / na0;
        }
    }

    public double sampleRateHz() {
        return sampleRateHz;
    }

    /** Filters one sample (m/s^2 in, W_f-weighted m/s^2 out). */
    public double apply(double accelMps2) {
        double x = accelMps2;
        for (int k = 0; k < 4; k++) {
            double y = b0[k] * x + z1[k];
            z1[k] = b1[k] * x - a1[k] * y + z2[k];
            z2[k] = b2[k] * x - a2[k] * y;
            x = y;
        }
        return x;
    }

    /** |W_f| of the analog weighting of ISO 2631-1 Annex A at {@code frequencyHz}. */
    public static double magnitude(double frequencyHz) {
        double w = 2 * Math.PI * frequencyHz;
        double m = 1;
        for (double[] s : ANALOG) {
            // s = jw: s^2 = -w^2
            double nr = s[0] - s[2] * w * w;
            double ni = s[1] * w;
            double dr = s[3] - s[5] * w * w;
            double di = s[4] * w;
            m *= Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
        }
        return m;
    }

    /** |H(e^jwT)| of this discretised cascade at {@code frequencyHz}. */
    public double digitalMagnitude(double frequencyHz) {
        double wt = 2 * Math.PI * frequencyHz / sampleRateHz;
        double c1 = Math.cos(wt);
        double s1 = -Math.sin(wt);
        double c2 = Math.cos(2 * wt);
        double s2 = -Math.sin(2 * wt);
        double m = 1;
        for (int k = 0; k < 4; k++) {
            double nr = b0[k] + b1[k] * c1 + b2[k] * c2;
            double ni = b1[k] * s1 + b2[k] * s2;
            double dr = 1 + a1[k] * c1 + a2[k] * c2;
            double di = a1[k] * s1 + a2[k] * s2;
            m *= Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
        }
        return m;
    }
}

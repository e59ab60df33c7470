package dev.rigtel.collector.motion;

/**
 * Flags values at full scale (DOMAIN.md section 2: values at full scale are clipped; flag them): one
 * {@link MotionEvent.Type#CLIPPING} event per run of consecutive clipped samples per axis, emitted
 * when the run ends or on flush.
 */
final class ClipDetector {

    private static final String[] AXES = {"ax", "ay", "az", "gx", "gy", "gz"};

    private final double accelLimitG;
    private final double gyroLimitDps;
    private final boolean[] clipping = new boolean[6];
    private final long[] onset = new long[6];
    private final long[] last = new long[6];
    private final double[] value = new double[6];

    ClipDetector(MotionConfig c) {
        this.accelLimitG = c.accelFullScaleG() * (1 - c.clipMarginFraction());
        this.gyroLimitDps = c.gyroFullScaleDps() * (1 - c.clipMarginFraction());
    }

    void accept(long t, double axG, double ayG, double azG, double gxDps, double gyDps, double gzDps, MotionSink out) {
        axis(0, t, axG, accelLimitG, out);
        axis(1, t, ayG, accelLimitG, out);
        axis(2, t, azG, accelLimitG, out);
        axis(3, t, gxDps, gyroLimitDps, out);
        axis(4, t, gyDps, gyroLimitDps, out);
        axis(5, t, gzDps, gyroLimitDps, out);
    }

    private void axis(int i, long t, double v, double limit, MotionSink out) {
        if (Math.abs(v) >= limit) {
            if (!clipping[i]) {
                clipping[i] = true;
                onset[i] = t;
                value[i] = v;
            } else if (Math.abs(v) > Math.abs(value[i])) {
                value[i] = v;
            }
            last[i] = t;
        } else if (clipping[i]) {
            clipping[i] = false;
            out.event(MotionEvent.clipping(onset[i], last[i], value[i], AXES[i]));
        }
    }

    void flush(MotionSink out) {
        for (int i = 0; i < 6; i++) {
            if (clipping[i]) {
                clipping[i] = false;
                out.event(MotionEvent.clipping(onset[i], last[i], value[i], AXES[i]));
            }
        }
    }
}

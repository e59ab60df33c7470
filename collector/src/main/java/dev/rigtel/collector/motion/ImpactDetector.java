package dev.rigtel.collector.motion;

import java.util.Arrays;

/**
 * Impacts as sports head-impact systems record them (DOMAIN.md section 4): the resultant passes the
 * threshold; the event window runs from the pre-window before that first crossing to the post-window
 * after it; peak g and HIC15 come from the samples in the window. The detector re-arms once the window
 * has closed and the resultant is back under the threshold, so a sustained load is one event.
 *
 * <p>A ring of the last {@value #RING} samples supplies the pre-window (enough for 8 ms up to 32 kHz);
 * the window buffer starts at {@value #INITIAL_WINDOW} samples (40 ms up to 25 kHz) and grows only if
 * a faster stream needs it.
 */
final class ImpactDetector {

    static final int RING = 256;
    static final int INITIAL_WINDOW = 1024;

    private final double thresholdG;
    private final long preNanos;
    private final long postNanos;
    private final double hicWindowS;

    private final long[] ringT = new long[RING];
    private final double[] ringG = new double[RING];
    private int ringNext;
    private int ringSize;

    private long[] winT = new long[INITIAL_WINDOW];
    private double[] winG = new double[INITIAL_WINDOW];
    private double[] winS = new double[INITIAL_WINDOW];
    private int winSize;

    private boolean armed = true;
    private boolean capturing;
    private long onsetNanos;
    private long windowEndNanos;

    ImpactDetector(MotionConfig c) {
        this.thresholdG = c.impactThresholdG();
        this.preNanos = c.impactPreWindow().toNanos();
        this.postNanos = c.impactPostWindow().toNanos();
        this.hicWindowS = c.hicWindow().toNanos() * 1e-9;
    }

    void accept(long t, double g, MotionSink out) {
        ringT[ringNext] = t;
        ringG[ringNext] = g;
        ringNext = (ringNext + 1) & (RING - 1);
        if (ringSize < RING) {
            ringSize++;
        }
        if (capturing) {
            if (t <= windowEndNanos) {
                append(t, g);
                return;
            }
            finish(out);
        }
        if (!armed) {
            armed = g <= thresholdG;
        } else if (g > thresholdG) {
            armed = false;
            capturing = true;
            onsetNanos = t;
            windowEndNanos = t + postNanos;
            winSize = 0;
            long from = t - preNanos;
            for (int k = ringSize; k >= 1; k--) { // oldest first, the current sample last
                int i = (ringNext - k) & (RING - 1);
                if (ringT[i] >= from) {
                    append(ringT[i], ringG[i]);
                }
            }
        }
    }

    void flush(MotionSink out) {
        if (capturing) {
            finish(out);
        }
    }

    private void append(long t, double g) {
        if (winSize == winT.length) {
            winT = Arrays.copyOf(winT, winSize * 2);
            winG = Arrays.copyOf(winG, winSize * 2);
            winS = Arrays.copyOf(winS, winSize * 2);
        }
        winT[winSize] = t;
        winG[winSize] = g;
        winSize++;
    }

    private void finish(MotionSink out) {
        capturing = false;
        double peak = 0;
        long t0 = winT[0];
        for (int i = 0; i < winSize; i++) {
            peak = Math.max(peak, winG[i]);
            winS[i] = (winT[i] - t0) * 1e-9;
        }
        double hic = Hic.hic(winS, winG, winSize, hicWindowS);
        out.event(MotionEvent.impact(onsetNanos, winT[winSize - 1], peak, hic));
    }
}

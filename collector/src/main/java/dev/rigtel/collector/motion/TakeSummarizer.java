package dev.rigtel.collector.motion;

import java.util.Objects;

/**
 * Summarises one rig over one take: fed the same samples as {@link RigMotion#accept}, in order, then
 * {@link #finish()}. Runs its own {@link RigMotion} for the orientation, bias and events, and adds the
 * take-level intensity metrics of DOMAIN.md section 4: peak angular acceleration, the ISO 2631-1
 * motion sickness dose (MSDV with {@link WfWeighting} on the vertical acceleration), time above
 * 30 deg/s and the viewer-comfort score (see {@link TakeSummary}). NOT thread-safe; deterministic: the
 * same samples give the same summary.
 *
 * <p>W_f is designed for {@code nominalSampleRateHz} or, when that is 0, for the rate the median of the
 * first {@value #RATE_INTERVALS} intervals gives; the samples before that are held and replayed. The
 * MSDV integral takes each received sample as one nominal interval, so a dropout adds no dose.
 */
public final class TakeSummarizer {

    static final int RATE_INTERVALS = 32;

    private static final double RAD_PER_DEG = Math.PI / 180;

    private final MotionConfig config;
    private final RigMotion motion;
    private final MotionSink forward;
    private final MotionSink counter = new MotionSink() {
        @Override
        public void rollup(Rollup r) {
            if (r.accelPeakG() > Exposure.ACCEL_THRESHOLD_G) {
                secondsAbove3G++;
            }
            if (forward != null) {
                forward.rollup(r);
            }
        }

        @Override
        public void event(MotionEvent e) {
            switch (e.type()) {
                case IMPACT -> {
                    impacts++;
                    maxHic15 = Math.max(maxHic15, e.hic15());
                }
                case HEAD_TURN -> headTurns++;
                case WHIP_PAN -> whipPans++;
                default -> {}
            }
            if (forward != null) {
                forward.event(e);
            }
        }
    };

    private final double angAccelTauS;
    private final double comfortDps;
    private final double comfortSpanDps;

    private long samples;
    private long firstNanos;
    private long lastNanos;
    private double peakG;
    private double peakDps;
    private double peakAngAccel;
    private int impacts;
    private double maxHic15;
    private int headTurns;
    private int whipPans;
    private long above30;
    private int secondsAbove3G;
    private double comfortPenalty;

    private double sx;
    private double sy;
    private double sz;

    private WfWeighting wf;
    private final double[] heldVertical = new double[RATE_INTERVALS + 1];
    private int held;
    private double sumWf2;
    private long wfSamples;

    private TakeSummary result;

    public TakeSummarizer(MotionConfig config) {
        this(config, null);
    }

    /** @param forward also receives every rollup and event of the take's {@link RigMotion}; may be null */
    public TakeSummarizer(MotionConfig config, MotionSink forward) {
        this.config = Objects.requireNonNull(config, "config");
        this.motion = new RigMotion(config);
        this.forward = forward;
        this.angAccelTauS = 1 / (2 * Math.PI * config.angularAccelLowPassHz());
        this.comfortDps = config.comfortThresholdDps();
        this.comfortSpanDps = config.comfortSaturationDps() - config.comfortThresholdDps();
        if (config.nominalSampleRateHz() > 0) {
            wf = new WfWeighting(config.nominalSampleRateHz());
        }
    }

    /** One sample, as {@link RigMotion#accept}. */
    public void accept(
            long utcNanos, double axMps2, double ayMps2, double azMps2, double gxDps, double gyDps, double gzDps) {
        if (result != null) {
            throw new IllegalStateException("finish() was called");
        }
        long before = motion.samples();
        motion.accept(utcNanos, axMps2, ayMps2, azMps2, gxDps, gyDps, gzDps, counter);
        if (motion.samples() == before) {
            return; // rejected: not after the previous sample
        }
        if (samples == 0) {
            firstNanos = utcNanos;
        }
        samples++;
        lastNanos = utcNanos;

        double g = motion.accelG();
        peakG = Math.max(peakG, g);
        double w = motion.angularSpeedDps();
        peakDps = Math.max(peakDps, w);
        if (w > comfortDps) {
            above30++;
            comfortPenalty += Math.min(1, (w - comfortDps) / comfortSpanDps);
        }

        // Angular acceleration: derivative of the first-order-smoothed gyro; restart after a gap.
        double wxr = motion.gyroXDps() * RAD_PER_DEG;
        double wyr = motion.gyroYDps() * RAD_PER_DEG;
        double wzr = motion.gyroZDps() * RAD_PER_DEG;
        double dt = motion.stepSeconds();
        if (samples == 1 || motion.lastWasGap() || dt <= 0) {
            sx = wxr;
            sy = wyr;
            sz = wzr;
        } else {
            double k = dt / (angAccelTauS + dt);
            double dx = k * (wxr - sx);
            double dy = k * (wyr - sy);
            double dz = k * (wzr - sz);
            sx += dx;
            sy += dy;
            sz += dz;
            double alpha = Math.sqrt(dx * dx + dy * dy + dz * dz) / dt;
            peakAngAccel = Math.max(peakAngAccel, alpha);
        }

        // Vertical acceleration along the estimated up vector, gravity removed.
        double vertical = axMps2 * motion.upX() + ayMps2 * motion.upY() + azMps2 * motion.upZ() - RigMotion.G0;
        if (wf != null) {
            weigh(vertical);
        } else {
            heldVertical[held++] = vertical;
            if (held == heldVertical.length) {
                designAndReplay();
            }
        }
    }

    private void weigh(double vertical) {
        double y = wf.apply(vertical);
        sumWf2 += y * y;
        wfSamples++;
    }

    private void designAndReplay() {
        long median = motion.medianIntervalNanos();
        if (median <= 0 && held >= 2) {
            median = (lastNanos - firstNanos) / (held - 1);
        }
        if (median <= 0) {
            return;
        }
        double rate = 1e9 / median;
        if (rate < 4) {
            return; // too slow for W_f; no dose
        }
        wf = new WfWeighting(rate);
        for (int i = 0; i < held; i++) {
            weigh(heldVertical[i]);
        }
        held = 0;
    }

    /** Completes the take (flushing open events) and returns its summary; later calls return the same. */
    public TakeSummary finish() {
        if (result != null) {
            return result;
        }
        motion.flush(counter);
        if (wf == null && held > 0) {
            designAndReplay();
        }
        long median = motion.medianIntervalNanos();
        if (median <= 0 && samples >= 2) {
            median = (lastNanos - firstNanos) / (samples - 1);
        }
        double durationS = samples == 0 ? 0 : (lastNanos - firstNanos + median) * 1e-9;
        double msdv = wf == null ? 0 : Math.sqrt(sumWf2 / wf.sampleRateHz());
        double rms = wfSamples == 0 ? 0 : Math.sqrt(sumWf2 / wfSamples);
        double share = samples == 0 ? 0 : (double) above30 / samples;
        double comfort = samples == 0 ? 100 : 100 * (1 - comfortPenalty / samples);
        result = new TakeSummary(
                durationS,
                samples,
                peakG,
                peakDps,
                peakAngAccel,
                impacts,
                maxHic15,
                headTurns,
                whipPans,
                msdv,
                rms,
                share,
                comfort,
                secondsAbove3G);
        return result;
    }

    public MotionConfig config() {
        return config;
    }
}

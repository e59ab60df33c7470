package dev.rigtel.collector.motion;

/**
 * The head-turn detector of DOMAIN.md section 3 on the low-passed yaw rate about the vertical: a turn
 * starts when |rate| rises above the start threshold and ends when it falls under the end threshold
 * (hysteresis); a same-direction turn starting within the merge gap extends the previous one; the
 * result is kept if it turned at least the minimum angle and lasted (onset to end) at least the
 * minimum duration; a peak over the whip-pan threshold makes it a whip pan.
 *
 * <p>The angle is the integral of the yaw rate from where |rate| last rose above the end threshold
 * before the onset, through the turn, plus the same-sign tail after the end (up to the merge gap), so
 * the slow shoulders of the turn count. Opposite-direction turns never merge: their angles would
 * cancel.
 */
final class HeadTurnDetector {

    private final double startDps;
    private final double endDps;
    private final double minAngleDeg;
    private final double whipDps;
    private final long minDurationNanos;
    private final long mergeGapNanos;

    private double preAngle;
    private int preSign;

    private boolean active;
    private boolean pending;
    private int sign;
    private long onsetNanos;
    private long endNanos;
    private double angle;
    private double peak;
    private double gapAngle;
    private double tailAngle;
    private boolean tailOpen;

    HeadTurnDetector(MotionConfig c) {
        this.startDps = c.turnStartDps();
        this.endDps = c.turnEndDps();
        this.minAngleDeg = c.turnMinAngleDeg();
        this.whipDps = c.whipPanPeakDps();
        this.minDurationNanos = c.turnMinDuration().toNanos();
        this.mergeGapNanos = c.turnMergeGap().toNanos();
    }

    boolean active() {
        return active;
    }

    void accept(long t, double rateDps, double dt, MotionSink out) {
        double inc = rateDps * dt;
        int s = rateDps > 0 ? 1 : (rateDps < 0 ? -1 : 0);
        double mag = Math.abs(rateDps);
        if (active) {
            angle += inc;
            if (mag > peak) {
                peak = mag;
            }
            if (mag < endDps || s != sign) {
                active = false;
                pending = true;
                endNanos = t;
                gapAngle = 0;
                tailAngle = 0;
                tailOpen = true;
                preSign = 0;
                preAngle = 0;
            }
            return;
        }
        if (mag >= endDps) {
            if (s == preSign) {
                preAngle += inc;
            } else {
                preSign = s;
                preAngle = inc;
            }
        } else {
            preSign = 0;
            preAngle = 0;
        }
        if (pending) {
            gapAngle += inc;
            if (tailOpen) {
                if (s == sign) {
                    tailAngle += inc;
                } else {
                    tailOpen = false;
                }
            }
            if (t - endNanos > mergeGapNanos) {
                finish(out);
            }
        }
        if (mag > startDps) {
            if (pending && s == sign) {
                pending = false;
                active = true;
                angle += gapAngle;
                if (mag > peak) {
                    peak = mag;
                }
            } else {
                if (pending) {
                    finish(out);
                }
                active = true;
                sign = s;
                onsetNanos = t;
                angle = preAngle;
                peak = mag;
            }
        }
    }

    void flush(long lastNanos, MotionSink out) {
        if (active) {
            active = false;
            pending = true;
            endNanos = lastNanos;
            tailAngle = 0;
        }
        if (pending) {
            finish(out);
        }
        preSign = 0;
        preAngle = 0;
    }

    private void finish(MotionSink out) {
        pending = false;
        double total = Math.abs(angle + tailAngle);
        if (total >= minAngleDeg && endNanos - onsetNanos >= minDurationNanos) {
            MotionEvent.Type type = peak > whipDps ? MotionEvent.Type.WHIP_PAN : MotionEvent.Type.HEAD_TURN;
            out.event(MotionEvent.turn(
                    type, onsetNanos, endNanos, peak, total, sign > 0 ? MotionEvent.LEFT : MotionEvent.RIGHT));
        }
    }
}

package dev.rigtel.collector.motion;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link RigMotion} and {@link TakeSummarizer}, validated on construction. "DOMAIN" is
 * {@code DOMAIN.md}; "ours" marks a choice of this project.
 *
 * <table>
 *   <caption>defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning and source</th></tr>
 *   <tr><td>madgwickBeta</td><td>0.1</td><td>gradient-descent gain of the IMU form of Madgwick's
 *       filter (Madgwick 2010, "An efficient orientation filter for inertial and inertial/magnetic
 *       sensor arrays"; DOMAIN 3)</td></tr>
 *   <tr><td>accelRejectionG</td><td>0.5</td><td>the accelerometer corrects the attitude only while
 *       {@code ||a|/g0 - 1|} is within this; impacts and hard bounces are then gyro-only (ours, after
 *       the acceleration rejection of x-io Fusion, DOMAIN 3)</td></tr>
 *   <tr><td>maxFilterStep</td><td>20 ms</td><td>largest integration step; longer steps are gaps and
 *       integrate one median interval (ours: 4 intervals of the slowest 200 Hz rig)</td></tr>
 *   <tr><td>stillThresholdDps</td><td>3 deg/s</td><td>every bias-corrected gyro axis under this
 *       counts as still (DOMAIN 3)</td></tr>
 *   <tr><td>stillDuration</td><td>4 s</td><td>still this long before the bias is learned (DOMAIN 3:
 *       3-5 s)</td></tr>
 *   <tr><td>gyroBiasTimeConstant</td><td>2 s</td><td>time constant of the slow low-pass that tracks
 *       the bias while still (ours)</td></tr>
 *   <tr><td>yawLowPassHz</td><td>15 Hz</td><td>cut-off of the first-order low-pass on the yaw rate
 *       {@code omega . up} (DOMAIN 3)</td></tr>
 *   <tr><td>turnStartDps</td><td>110 deg/s</td><td>a turn starts above this; walking and running stay
 *       under ~90 deg/s (DOMAIN 3: 100-120)</td></tr>
 *   <tr><td>turnEndDps</td><td>35 deg/s</td><td>a turn ends below this (DOMAIN 3)</td></tr>
 *   <tr><td>turnMinAngleDeg</td><td>25 deg</td><td>shorter turns are dropped (DOMAIN 3)</td></tr>
 *   <tr><td>turnMinDuration</td><td>80 ms</td><td>onset to end; shorter turns are dropped (DOMAIN
 *       3)</td></tr>
 *   <tr><td>turnMergeGap</td><td>150 ms</td><td>a same-direction turn starting this soon after the
 *       previous one ended extends it (DOMAIN 3)</td></tr>
 *   <tr><td>whipPanPeakDps</td><td>300 deg/s</td><td>a turn peaking above this is a whip pan
 *       (DOMAIN 3)</td></tr>
 *   <tr><td>impactThresholdG</td><td>10 g</td><td>resultant over this is an impact, as sports
 *       head-impact systems record (DOMAIN 4)</td></tr>
 *   <tr><td>impactPreWindow</td><td>8 ms</td><td>window before the crossing (DOMAIN 4)</td></tr>
 *   <tr><td>impactPostWindow</td><td>32 ms</td><td>window after the crossing (DOMAIN 4)</td></tr>
 *   <tr><td>hicWindow</td><td>15 ms</td><td>T of HIC15 (DOMAIN 4; Versace 1971)</td></tr>
 *   <tr><td>accelFullScaleG</td><td>16 g</td><td>accelerometer range; set 8 for GoPro (DOMAIN
 *       2)</td></tr>
 *   <tr><td>gyroFullScaleDps</td><td>2000 deg/s</td><td>gyroscope range (DOMAIN 2)</td></tr>
 *   <tr><td>clipMarginFraction</td><td>0.005</td><td>a value within 0.5 % of full scale is clipped
 *       (ours)</td></tr>
 *   <tr><td>gapFactor</td><td>1.5</td><td>an interval over this x the median is a gap (DOMAIN
 *       3)</td></tr>
 *   <tr><td>comfortThresholdDps</td><td>30 deg/s</td><td>camera angular speed that is provocative to
 *       viewers (Lo and So 2001; DOMAIN 4)</td></tr>
 *   <tr><td>comfortSaturationDps</td><td>120 deg/s</td><td>angular speed at which a sample costs the
 *       full viewer-comfort penalty (ours; see {@link TakeSummary#viewerComfort()})</td></tr>
 *   <tr><td>angularAccelLowPassHz</td><td>50 Hz</td><td>smoothing of the gyro before the derivative
 *       that gives peak angular acceleration (ours, DOMAIN 4)</td></tr>
 *   <tr><td>nominalSampleRateHz</td><td>0</td><td>rate W_f is designed for; 0 estimates it from the
 *       median of the first 32 intervals (ISO 2631-1 weighting, see {@link WfWeighting})</td></tr>
 * </table>
 */
public record MotionConfig(
        double madgwickBeta,
        double accelRejectionG,
        Duration maxFilterStep,
        double stillThresholdDps,
        Duration stillDuration,
        Duration gyroBiasTimeConstant,
        double yawLowPassHz,
        double turnStartDps,
        double turnEndDps,
        double turnMinAngleDeg,
        Duration turnMinDuration,
        Duration turnMergeGap,
        double whipPanPeakDps,
        double impactThresholdG,
        Duration impactPreWindow,
        Duration impactPostWindow,
        Duration hicWindow,
        double accelFullScaleG,
        double gyroFullScaleDps,
        double clipMarginFraction,
        double gapFactor,
        double comfortThresholdDps,
        double comfortSaturationDps,
        double angularAccelLowPassHz,
        double nominalSampleRateHz) {

    public MotionConfig {
        requireRange(madgwickBeta, 0, 10, "madgwickBeta");
        requireRange(accelRejectionG, 0, 100, "accelRejectionG");
        requirePositive(maxFilterStep, "maxFilterStep");
        requirePositive(stillThresholdDps, "stillThresholdDps");
        requirePositive(stillDuration, "stillDuration");
        requirePositive(gyroBiasTimeConstant, "gyroBiasTimeConstant");
        requirePositive(yawLowPassHz, "yawLowPassHz");
        requirePositive(turnEndDps, "turnEndDps");
        if (!(turnStartDps > turnEndDps)) {
            throw new IllegalArgumentException(
                    "turnStartDps must be above turnEndDps (" + turnEndDps + "), got " + turnStartDps);
        }
        requireRange(turnMinAngleDeg, 0, 3600, "turnMinAngleDeg");
        requireNotNegative(turnMinDuration, "turnMinDuration");
        requireNotNegative(turnMergeGap, "turnMergeGap");
        if (!(whipPanPeakDps >= turnStartDps)) {
            throw new IllegalArgumentException(
                    "whipPanPeakDps must be at least turnStartDps (" + turnStartDps + "), got " + whipPanPeakDps);
        }
        requirePositive(impactThresholdG, "impactThresholdG");
        requireNotNegative(impactPreWindow, "impactPreWindow");
        requirePositive(impactPostWindow, "impactPostWindow");
        requirePositive(hicWindow, "hicWindow");
        requirePositive(accelFullScaleG, "accelFullScaleG");
        requirePositive(gyroFullScaleDps, "gyroFullScaleDps");
        requireRange(clipMarginFraction, 0, 0.5, "clipMarginFraction");
        if (!(gapFactor > 1)) {
            throw new IllegalArgumentException("gapFactor must be above 1, got " + gapFactor);
        }
        requirePositive(comfortThresholdDps, "comfortThresholdDps");
        if (!(comfortSaturationDps > comfortThresholdDps)) {
            throw new IllegalArgumentException("comfortSaturationDps must be above comfortThresholdDps ("
                    + comfortThresholdDps + "), got " + comfortSaturationDps);
        }
        requirePositive(angularAccelLowPassHz, "angularAccelLowPassHz");
        if (!(nominalSampleRateHz == 0 || (nominalSampleRateHz >= 2 && nominalSampleRateHz <= 100_000))) {
            throw new IllegalArgumentException(
                    "nominalSampleRateHz must be 0 (estimate) or 2..100000 Hz, got " + nominalSampleRateHz);
        }
    }

    public static MotionConfig defaults() {
        return new MotionConfig(
                0.1,
                0.5,
                Duration.ofMillis(20),
                3.0,
                Duration.ofSeconds(4),
                Duration.ofSeconds(2),
                15.0,
                110.0,
                35.0,
                25.0,
                Duration.ofMillis(80),
                Duration.ofMillis(150),
                300.0,
                10.0,
                Duration.ofMillis(8),
                Duration.ofMillis(32),
                Duration.ofMillis(15),
                16.0,
                2000.0,
                0.005,
                1.5,
                30.0,
                120.0,
                50.0,
                0.0);
    }

    public MotionConfig withAccelFullScaleG(double newAccelFullScaleG) {
        return toBuilder().accelFullScaleG(newAccelFullScaleG).build();
    }

    public MotionConfig withNominalSampleRateHz(double newNominalSampleRateHz) {
        return toBuilder().nominalSampleRateHz(newNominalSampleRateHz).build();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some values of a config; {@link #build()} validates them. */
    public static final class Builder {
        private double madgwickBeta;
        private double accelRejectionG;
        private Duration maxFilterStep;
        private double stillThresholdDps;
        private Duration stillDuration;
        private Duration gyroBiasTimeConstant;
        private double yawLowPassHz;
        private double turnStartDps;
        private double turnEndDps;
        private double turnMinAngleDeg;
        private Duration turnMinDuration;
        private Duration turnMergeGap;
        private double whipPanPeakDps;
        private double impactThresholdG;
        private Duration impactPreWindow;
        private Duration impactPostWindow;
        private Duration hicWindow;
        private double accelFullScaleG;
        private double gyroFullScaleDps;
        private double clipMarginFraction;
        private double gapFactor;
        private double comfortThresholdDps;
        private double comfortSaturationDps;
        private double angularAccelLowPassHz;
        private double nominalSampleRateHz;

        private Builder(MotionConfig from) {
            this.madgwickBeta = from.madgwickBeta;
            this.accelRejectionG = from.accelRejectionG;
            this.maxFilterStep = from.maxFilterStep;
            this.stillThresholdDps = from.stillThresholdDps;
            this.stillDuration = from.stillDuration;
            this.gyroBiasTimeConstant = from.gyroBiasTimeConstant;
            this.yawLowPassHz = from.yawLowPassHz;
            this.turnStartDps = from.turnStartDps;
            this.turnEndDps = from.turnEndDps;
            this.turnMinAngleDeg = from.turnMinAngleDeg;
            this.turnMinDuration = from.turnMinDuration;
            this.turnMergeGap = from.turnMergeGap;
            this.whipPanPeakDps = from.whipPanPeakDps;
            this.impactThresholdG = from.impactThresholdG;
            this.impactPreWindow = from.impactPreWindow;
            this.impactPostWindow = from.impactPostWindow;
            this.hicWindow = from.hicWindow;
            this.accelFullScaleG = from.accelFullScaleG;
            this.gyroFullScaleDps = from.gyroFullScaleDps;
            this.clipMarginFraction = from.clipMarginFraction;
            this.gapFactor = from.gapFactor;
            this.comfortThresholdDps = from.comfortThresholdDps;
            this.comfortSaturationDps = from.comfortSaturationDps;
            this.angularAccelLowPassHz = from.angularAccelLowPassHz;
            this.nominalSampleRateHz = from.nominalSampleRateHz;
        }

        public Builder madgwickBeta(double value) {
            this.madgwickBeta = value;
            return this;
        }

        public Builder accelRejectionG(double value) {
            this.accelRejectionG = value;
            return this;
        }

        public Builder maxFilterStep(Duration value) {
            this.maxFilterStep = value;
            return this;
        }

        public Builder stillThresholdDps(double value) {
            this.stillThresholdDps = value;
            return this;
        }

        public Builder stillDuration(Duration value) {
            this.stillDuration = value;
            return this;
        }

        public Builder gyroBiasTimeConstant(Duration value) {
            this.gyroBiasTimeConstant = value;
            return this;
        }

        public Builder yawLowPassHz(double value) {
            this.yawLowPassHz = value;
            return this;
        }

        public Builder turnStartDps(double value) {
            this.turnStartDps = value;
            return this;
        }

        public Builder turnEndDps(double value) {
            this.turnEndDps = value;
            return this;
        }

        public Builder turnMinAngleDeg(double value) {
            this.turnMinAngleDeg = value;
            return this;
        }

        public Builder turnMinDuration(Duration value) {
            this.turnMinDuration = value;
            return this;
        }

        public Builder turnMergeGap(Duration value) {
            this.turnMergeGap = value;
            return this;
        }

        public Builder whipPanPeakDps(double value) {
            this.whipPanPeakDps = value;
            return this;
        }

        public Builder impactThresholdG(double value) {
            this.impactThresholdG = value;
            return this;
        }

        public Builder impactPreWindow(Duration value) {
            this.impactPreWindow = value;
            return this;
        }

        public Builder impactPostWindow(Duration value) {
            this.impactPostWindow = value;
            return this;
        }

        public Builder hicWindow(Duration value) {
            this.hicWindow = value;
            return this;
        }

        public Builder accelFullScaleG(double value) {
            this.accelFullScaleG = value;
            return this;
        }

        public Builder gyroFullScaleDps(double value) {
            this.gyroFullScaleDps = value;
            return this;
        }

        public Builder clipMarginFraction(double value) {
            this.clipMarginFraction = value;
            return this;
        }

        public Builder gapFactor(double value) {
            this.gapFactor = value;
            return this;
        }

        public Builder comfortThresholdDps(double value) {
            this.comfortThresholdDps = value;
            return this;
        }

        public Builder comfortSaturationDps(double value) {
            this.comfortSaturationDps = value;
            return this;
        }

        public Builder angularAccelLowPassHz(double value) {
            this.angularAccelLowPassHz = value;
            return this;
        }

        public Builder nominalSampleRateHz(double value) {
            this.nominalSampleRateHz = value;
            return this;
        }

        public MotionConfig build() {
            return new MotionConfig(
                    madgwickBeta,
                    accelRejectionG,
                    maxFilterStep,
                    stillThresholdDps,
                    stillDuration,
                    gyroBiasTimeConstant,
                    yawLowPassHz,
                    turnStartDps,
                    turnEndDps,
                    turnMinAngleDeg,
                    turnMinDuration,
                    turnMergeGap,
                    whipPanPeakDps,
                    impactThresholdG,
                    impactPreWindow,
                    impactPostWindow,
                    hicWindow,
                    accelFullScaleG,
                    gyroFullScaleDps,
                    clipMarginFraction,
                    gapFactor,
                    comfortThresholdDps,
                    comfortSaturationDps,
                    angularAccelLowPassHz,
                    nominalSampleRateHz);
        }
    }

    private static void requirePositive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
    }

    private static void requireRange(double value, double min, double max, String name) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    private static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + duration);
        }
    }
}

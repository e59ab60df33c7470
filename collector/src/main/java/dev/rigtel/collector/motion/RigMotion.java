package dev.rigtel.collector.motion;

import java.util.Objects;

/**
 * Streaming motion analysis of one rig: feed every IMU sample in time order, receive per-second
 * {@link Rollup}s and {@link MotionEvent}s through a {@link MotionSink}. One instance per rig; NOT
 * thread-safe. Allocation-free per sample in the steady state (events and rollups allocate).
 *
 * <p>Per sample, in this order:
 *
 * <ol>
 *   <li>Interval statistics: the running median sample interval; an interval over {@code gapFactor}
 *       x the median is a gap, reported as a {@link MotionEvent.Type#DROPOUT} (DOMAIN.md section 3).
 *   <li>Gyro bias (DOMAIN.md section 3): while every bias-corrected axis stays under
 *       {@code stillThresholdDps} for {@code stillDuration}, a first-order low-pass with
 *       {@code gyroBiasTimeConstant} tracks the offset; it is subtracted from every sample.
 *   <li>Orientation: the IMU form of Madgwick's filter (Madgwick 2010, gain {@code madgwickBeta}),
 *       aligned to the first accelerometer reading, stepped with each sample's own dt (a gap steps one
 *       median interval; no step exceeds {@code maxFilterStep}). The accelerometer corrects only while
 *       the resultant is within {@code accelRejectionG} of 1 g. No orientation of the rig is assumed.
 *   <li>Yaw rate about the vertical: {@code omega . up}, with {@code up} the unit vector against
 *       gravity in the sensor frame; positive is counter-clockwise seen from above (a turn to the
 *       left); low-passed at {@code yawLowPassHz} by a first-order filter using each sample's dt.
 *   <li>Detectors: head turns and whip pans ({@link HeadTurnDetector}), impacts with HIC15
 *       ({@link ImpactDetector}, {@link Hic}), clipping per axis ({@link ClipDetector}).
 *   <li>The rollup of the current UTC second.
 * </ol>
 *
 * <p>Samples whose {@code utcNanos} is not after the previous sample's are dropped and counted in
 * {@link #rejectedSamples()}.
 */
public final class RigMotion {

    /** Standard gravity, m/s^2 (DOMAIN.md section 4). */
    public static final double G0 = 9.80665;

    private static final double RAD_PER_DEG = Math.PI / 180;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NONE = Long.MIN_VALUE;

    private final MotionConfig config;
    private final double maxStepS;
    private final double stillDps;
    private final long stillNanos;
    private final double biasTauS;
    private final double yawTauS;
    private final double gapFactor;
    private final double beta;
    private final double rejectionG;

    private final IntervalMedian intervals = new IntervalMedian();
    private final MadgwickImu ahrs = new MadgwickImu();
    private final HeadTurnDetector turns;
    private final ImpactDetector impacts;
    private final ClipDetector clips;

    private long samples;
    private long rejected;
    private long firstNanos = NONE;
    private long lastNanos = NONE;

    private double biasX;
    private double biasY;
    private double biasZ;
    private long quietSinceNanos = NONE;
    private boolean still;

    private double ux;
    private double uy = 0;
    private double uz = 1;
    private double yawRateDps;

    // Last accepted sample, for dashboards and TakeSummarizer.
    private double wx;
    private double wy;
    private double wz;
    private double accelG;
    private double angularSpeedDps;
    private double stepS;
    private boolean lastWasGap;

    // The open UTC second.
    private boolean secondOpen;
    private long secondStart;
    private double accelPeakG;
    private double accelSumSqG;
    private double gyroPeakDps;
    private double gyroSumSqDps;
    private int secondSamples;
    private int secondGaps;

    public RigMotion(MotionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.maxStepS = config.maxFilterStep().toNanos() * 1e-9;
        this.stillDps = config.stillThresholdDps();
        this.stillNanos = config.stillDuration().toNanos();
        this.biasTauS = config.gyroBiasTimeConstant().toNanos() * 1e-9;
        this.yawTauS = 1 / (2 * Math.PI * config.yawLowPassHz());
        this.gapFactor = config.gapFactor();
        this.beta = config.madgwickBeta();
        this.rejectionG = config.accelRejectionG();
        this.turns = new HeadTurnDetector(config);
        this.impacts = new ImpactDetector(config);
        this.clips = new ClipDetector(config);
    }

    public MotionConfig config() {
        return config;
    }

    /**
     * One sample.
     *
     * @param utcNanos UTC time in nanoseconds, strictly increasing
     * @param axMps2 accelerometer x in m/s^2, gravity included, sensor frame (same for y, z)
     * @param gxDps gyroscope x in deg/s, sensor frame (same for y, z)
     * @param out receives rollups and events completed by this sample
     */
    public void accept(
            long utcNanos,
            double axMps2,
            double ayMps2,
            double azMps2,
            double gxDps,
            double gyDps,
            double gzDps,
            MotionSink out) {
        if (samples > 0 && utcNanos <= lastNanos) {
            rejected++;
            return;
        }
        long second = Math.floorDiv(utcNanos, NANOS_PER_SECOND) * NANOS_PER_SECOND;
        if (secondOpen && second != secondStart) {
            closeSecond(out, false);
        }
        if (!secondOpen) {
            openSecond(second);
        }

        // 1. Intervals and gaps.
        double dt = 0;
        lastWasGap = false;
        if (samples > 0) {
            long interval = utcNanos - lastNanos;
            long median = intervals.median();
            if (median > 0 && interval > gapFactor * median) {
                lastWasGap = true;
                secondGaps++;
                int missing =
                        (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round((double) interval / median) - 1));
                out.event(MotionEvent.dropout(lastNanos, utcNanos, missing));
                dt = Math.min(median * 1e-9, maxStepS);
            } else {
                dt = Math.min(interval * 1e-9, maxStepS);
            }
            intervals.add(interval);
        } else {
            firstNanos = utcNanos;
        }
        stepS = dt;

        // 2. Gyro bias while still.
        double cx = gxDps - biasX;
        double cy = gyDps - biasY;
        double cz = gzDps - biasZ;
        if (Math.abs(cx) < stillDps && Math.abs(cy) < stillDps && Math.abs(cz) < stillDps) {
            if (quietSinceNanos == NONE) {
                quietSinceNanos = utcNanos;
            }
            still = utcNanos - quietSinceNanos >= stillNanos;
            if (still && dt > 0) {
                double k = dt / (biasTauS + dt);
                biasX += k * cx;
                biasY += k * cy;
                biasZ += k * cz;
                cx = gxDps - biasX;
                cy = gyDps - biasY;
                cz = gzDps - biasZ;
            }
        } else {
            quietSinceNanos = NONE;
            still = false;
        }
        wx = cx;
        wy = cy;
        wz = cz;

        // 3. Orientation.
        double a2 = axMps2 * axMps2 + ayMps2 * ayMps2 + azMps2 * azMps2;
        accelG = Math.sqrt(a2) / G0;
        if (samples == 0) {
            ahrs.alignTo(axMps2, ayMps2, azMps2);
        } else {
            boolean trust = Math.abs(accelG - 1) <= rejectionG;
            ahrs.update(cx * RAD_PER_DEG, cy * RAD_PER_DEG, cz * RAD_PER_DEG, axMps2, ayMps2, azMps2, dt, beta, trust);
        }
        ux = ahrs.upX();
        uy = ahrs.upY();
        uz = ahrs.upZ();

        // 4. Yaw rate about the vertical, low-passed.
        double yaw = cx * ux + cy * uy + cz * uz;
        if (samples == 0) {
            yawRateDps = yaw;
        } else {
            yawRateDps += dt / (yawTauS + dt) * (yaw - yawRateDps);
        }
        angularSpeedDps = Math.sqrt(cx * cx + cy * cy + cz * cz);

        // 5. Detectors.
        turns.accept(utcNanos, yawRateDps, dt, out);
        impacts.accept(utcNanos, accelG, out);
        clips.accept(utcNanos, axMps2 / G0, ayMps2 / G0, azMps2 / G0, gxDps, gyDps, gzDps, out);

        // 6. Rollup.
        if (accelG > accelPeakG) {
            accelPeakG = accelG;
        }
        accelSumSqG += accelG * accelG;
        if (angularSpeedDps > gyroPeakDps) {
            gyroPeakDps = angularSpeedDps;
        }
        gyroSumSqDps += angularSpeedDps * angularSpeedDps;
        secondSamples++;

        samples++;
        lastNanos = utcNanos;
    }

    /**
     * Completes the open second and any open event (turn, impact window, clipping run), as at the end
     * of a stream. Samples may follow; a later sample of the same second then starts a second rollup.
     */
    public void flush(MotionSink out) {
        if (secondOpen) {
            closeSecond(out, true);
        }
        if (samples > 0) {
            turns.flush(lastNanos, out);
        }
        impacts.flush(out);
        clips.flush(out);
    }

    private void openSecond(long second) {
        secondOpen = true;
        secondStart = second;
        accelPeakG = 0;
        accelSumSqG = 0;
        gyroPeakDps = 0;
        gyroSumSqDps = 0;
        secondSamples = 0;
        secondGaps = 0;
    }

    private void closeSecond(MotionSink out, boolean atEnd) {
        secondOpen = false;
        if (secondSamples == 0) {
            return;
        }
        long median = intervals.bestGuess();
        int expected = secondSamples;
        if (median > 0) {
            // Each sample covers +-half an interval; only the covered part of the first and last second counts.
            long from = Math.max(secondStart, firstNanos - median / 2);
            long to = secondStart + NANOS_PER_SECOND;
            if (atEnd) {
                to = Math.min(to, lastNanos + (median + 1) / 2);
            }
            expected = (int) Math.round((double) (to - from) / median);
        }
        out.rollup(new Rollup(
                secondStart,
                accelPeakG,
                Math.sqrt(accelSumSqG / secondSamples),
                gyroPeakDps,
                Math.sqrt(gyroSumSqDps / secondSamples),
                secondSamples,
                expected,
                secondGaps));
    }

    /** Current low-passed yaw rate about the vertical, deg/s; positive turns left. */
    public double yawRateDps() {
        return yawRateDps;
    }

    /** Unit vector pointing up (against gravity) in the sensor frame, as the filter estimates it. */
    public double[] upUnit() {
        return new double[] {ux, uy, uz};
    }

    /** Orientation quaternion {w, x, y, z} mapping sensor-frame vectors to an up-z earth frame. */
    public double[] quaternion() {
        return ahrs.quaternion();
    }

    /** Current gyro bias estimate of axis 0 (x), 1 (y) or 2 (z), deg/s. */
    public double gyroBiasDps(int axis) {
        return switch (axis) {
            case 0 -> biasX;
            case 1 -> biasY;
            case 2 -> biasZ;
            default -> throw new IllegalArgumentException("axis must be 0, 1 or 2, got " + axis);
        };
    }

    /** True while the rig has been still long enough to learn the gyro bias. */
    public boolean still() {
        return still;
    }

    /** Running median sample interval in nanoseconds, 0 until a few intervals were seen. */
    public long medianIntervalNanos() {
        return intervals.median();
    }

    /** Samples accepted so far. */
    public long samples() {
        return samples;
    }

    /** Samples dropped because their time was not after the previous sample's. */
    public long rejectedSamples() {
        return rejected;
    }

    /** Time of the last accepted sample, UTC nanoseconds; {@link Long#MIN_VALUE} before the first. */
    public long lastSampleNanos() {
        return lastNanos;
    }

    /** Resultant acceleration of the last sample in g, gravity included. */
    public double accelG() {
        return accelG;
    }

    /** Angular speed |omega| of the last sample after bias removal, deg/s. */
    public double angularSpeedDps() {
        return angularSpeedDps;
    }

    double upX() {
        return ux;
    }

    double upY() {
        return uy;
    }

    double upZ() {
        return uz;
    }

    /** Bias-corrected gyro of the last sample, deg/s. */
    double gyroXDps() {
        return wx;
    }

    double gyroYDps() {
        return wy;
    }

    double gyroZDps() {
        return wz;
    }

    /** Integration step used for the last sample, seconds (0 for the first). */
    double stepSeconds() {
        return stepS;
    }

    /** True if the last sample ended a gap. */
    boolean lastWasGap() {
        return lastWasGap;
    }
}

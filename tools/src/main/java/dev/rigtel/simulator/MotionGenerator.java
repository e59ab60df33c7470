package dev.rigtel.simulator;

import java.util.SplittableRandom;

/**
 * Synthetic head-mounted IMU signals in the sensor frame, y axis up at rest: at rest the
 * accelerometer reads about {@code [0, +9.80665, 0]} m/s^2 and the gyroscope about zero, so yaw (a
 * head turn) is the gyroscope's y axis.
 *
 * <p>Every sample is a pure function of (seed, rig number, profile, sample index): no state, no
 * clock, so a test can ask for any sample in any order. Each rig gets its own small constant gyro
 * bias, step rate and phases; each sample gets white noise of {@value #ACCEL_NOISE_MPS2} m/s^2 and
 * {@value #GYRO_NOISE_DPS} deg/s. Values are clipped at the full scale of a 16-bit +-16 g / +-2000
 * deg/s sensor and rounded to 4 (accel) and 3 (gyro) decimals, like a real sensor's resolution.
 *
 * <p>Event profiles (fighting, fall, whip pan) repeat a 10 s pattern whose event times, peaks and
 * directions are drawn anew, from the seed, for every 10 s segment.
 */
public final class MotionGenerator {

    public static final double STANDARD_GRAVITY_MPS2 = 9.80665;
    public static final int ACCEL_RANGE_G = 16;
    public static final int GYRO_RANGE_DPS = 2000;
    /** The largest value a 16-bit +-16 g accelerometer reports: 32767 LSB at 2048 LSB/g. */
    public static final double ACCEL_FULL_SCALE_MPS2 = 32767.0 / 2048.0 * STANDARD_GRAVITY_MPS2;
    /** The largest value a 16-bit +-2000 deg/s gyroscope reports. */
    public static final double GYRO_FULL_SCALE_DPS = GYRO_RANGE_DPS * 32767.0 / 32768.0;
    /** Length of one pattern of the event profiles, and of one profile's turn in {@code mixed}. */
    public static final long SEGMENT_NANOS = 10_000_000_000L;

    static final double ACCEL_NOISE_MPS2 = 0.02;
    static final double GYRO_NOISE_DPS = 0.1;
    private static final double MAX_GYRO_BIAS_DPS = 1.0;
    private static final double G = STANDARD_GRAVITY_MPS2;
    private static final double TWO_PI = 2 * Math.PI;
    /** Distance from the neck's yaw axis to the sensor, for the acceleration of a fast head turn. */
    private static final double HEAD_RADIUS_M = 0.06;

    private final long rigKey;
    private final int rigNumber;
    private final MotionProfile profile;
    private final long intervalNanos;
    private final double[] gyroBiasDps = new double[3];
    private final double[] phaseRad = new double[6];
    private final double stepRateScale;

    /**
     * @param seed the run's seed; the same seed, rig number and profile give the same samples
     * @param rigNumber the rig's number ({@code {n}} of the username pattern)
     * @param intervalNanos the sample interval; sample {@code i} is taken {@code i * intervalNanos}
     *     after the start of the run
     */
    public MotionGenerator(long seed, int rigNumber, MotionProfile profile, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos must be positive, got " + intervalNanos);
        }
        this.rigKey = mix(seed ^ mix(rigNumber * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
        this.rigNumber = rigNumber;
        this.profile = profile;
        this.intervalNanos = intervalNanos;
        SplittableRandom traits = new SplittableRandom(rigKey);
        for (int k = 0; k < 3; k++) {
            gyroBiasDps[k] = Math.max(-MAX_GYRO_BIAS_DPS, Math.min(MAX_GYRO_BIAS_DPS, 0.3 * traits.nextGaussian()));
        }
        for (int k = 0; k < phaseRad.length; k++) {
            phaseRad[k] = TWO_PI * traits.nextDouble();
        }
        this.stepRateScale = 0.95 + 0.1 * traits.nextDouble();
    }

    public MotionProfile profile() {
        return profile;
    }

    public long intervalNanos() {
        return intervalNanos;
    }

    /** This rig's constant gyroscope bias in deg/s, x y z. */
    public double[] gyroBiasDps() {
        return gyroBiasDps.clone();
    }

    /**
     * The profile in effect at a time since the start of the run: the fixed profile, or for
     * {@link MotionProfile#MIXED} the one whose 10 s turn it is, rig {@code n} starting at the
     * {@code n}-th profile of the cycle.
     */
    public MotionProfile profileAt(long elapsedNanos) {
        if (profile != MotionProfile.MIXED) {
            return profile;
        }
        long segment = Math.floorDiv(elapsedNanos, SEGMENT_NANOS);
        int size = MotionProfile.CYCLE.size();
        return MotionProfile.CYCLE.get((int) Math.floorMod(segment + rigNumber - 1, (long) size));
    }

    /** Sample {@code index}: {@code [ax, ay, az]} in m/s^2, {@code [gx, gy, gz]} in deg/s. */
    public double[] sample(long index) {
        double[] out = new double[6];
        sample(index, out);
        return out;
    }

    /** Writes sample {@code index} into {@code out[0..5]}. */
    public void sample(long index, double[] out) {
        sample(index, index * intervalNanos, out);
    }

    /**
     * Sample {@code index} taken at {@code elapsedNanos} of true time since the start of the run:
     * the motion is that of the wearer at that moment, the noise that of sample {@code index}. A
     * rig whose crystal drifts takes sample {@code i} slightly before or after {@code i *
     * intervalNanos} of true time.
     */
    public double[] sample(long index, long elapsedNanos) {
        double[] out = new double[6];
        sample(index, elapsedNanos, out);
        return out;
    }

    /** Writes sample {@code index}, taken at {@code elapsedNanos}, into {@code out[0..5]}. */
    public void sample(long index, long elapsedNanos, double[] out) {
        motion(elapsedNanos, out);
        SplittableRandom noise = new SplittableRandom(mix(rigKey ^ mix(index + 0x2545F4914F6CDD1DL)));
        for (int k = 0; k < 3; k++) {
            out[k] = quantize(clip(out[k] + ACCEL_NOISE_MPS2 * noise.nextGaussian(), ACCEL_FULL_SCALE_MPS2), 1e4);
        }
        for (int k = 3; k < 6; k++) {
            double v = out[k] + gyroBiasDps[k - 3] + GYRO_NOISE_DPS * noise.nextGaussian();
            out[k] = quantize(clip(v, GYRO_FULL_SCALE_DPS), 1e3);
        }
    }

    /** The noiseless, unbiased, unclipped motion at a time since the start of the run. */
    void motion(long elapsedNanos, double[] out) {
        long segment = Math.floorDiv(elapsedNanos, SEGMENT_NANOS);
        double t = elapsedNanos / 1e9;
        double local = (elapsedNanos - segment * SEGMENT_NANOS) / 1e9;
        switch (profileAt(elapsedNanos)) {
            case WALKING -> gait(t, 1.8, 2.0, 0.7, 0.9, 10, 20, 35, 0.12, 6, out);
            case RUNNING -> gait(t, 2.8, 6.0, 1.5, 2.0, 25, 30, 30, 0.10, 12, out);
            case FIGHTING -> fighting(t, local, segment, out);
            case FALL -> fall(t, local, segment, out);
            case WHIP_PAN -> whipPan(t, local, segment, out);
            default -> standing(t, out);
        }
    }

    /** Standing: body sway of a few hundredths of a g and a few deg/s at 0.15-0.5 Hz. */
    private void standing(double t, double[] out) {
        out[0] = 0.08 * Math.sin(TWO_PI * 0.25 * t + phaseRad[0]);
        out[1] = G + 0.03 * Math.sin(TWO_PI * 0.5 * t + phaseRad[1]);
        out[2] = 0.06 * Math.sin(TWO_PI * 0.2 * t + phaseRad[2]);
        out[3] = 1.2 * Math.sin(TWO_PI * 0.25 * t + phaseRad[3]);
        out[4] = 1.5 * Math.sin(TWO_PI * 0.15 * t + phaseRad[4]);
        out[5] = 0.8 * Math.sin(TWO_PI * 0.3 * t + phaseRad[5]);
    }

    /**
     * Walking and running: a vertical bounce at the step rate, lateral sway and roll at half of it
     * (one stride is two steps), pitch nodding, and yaw from the stride plus slowly looking around.
     * Yaw peaks at {@code yawStrideDps + yawLookDps} (under 90 deg/s, DOMAIN.md section 3).
     */
    private void gait(
            double t,
            double stepHz,
            double bounceMps2,
            double lateralMps2,
            double foreAftMps2,
            double pitchDps,
            double yawStrideDps,
            double yawLookDps,
            double lookHz,
            double rollDps,
            double[] out) {
        double w = TWO_PI * stepHz * stepRateScale * t;
        out[0] = lateralMps2 * Math.sin(w / 2 + phaseRad[0]);
        out[1] = G + bounceMps2 * Math.sin(w);
        out[2] = foreAftMps2 * Math.sin(w + Math.PI / 3);
        out[3] = pitchDps * Math.cos(w);
        out[4] =
                yawStrideDps * Math.sin(w / 2 + phaseRad[4]) + yawLookDps * Math.sin(TWO_PI * lookHz * t + phaseRad[1]);
        out[5] = rollDps * Math.sin(w / 2 + phaseRad[5]);
    }

    /**
     * A rehearsed stage fight: a guard stance bounce, one head turn of 150-300 deg/s (mostly yaw) in
     * every second and a jolt in every other second (15-40 ms half-sine, mostly horizontal), mostly
     * of 2-6 g; one jolt in {@value #FIGHT_HIT_CHANCE_PERCENT} is a landed hit of 6-10 g. Real
     * impacts over the 10 g detector threshold come from the fall profile, not from a fight. Each
     * event lies inside its own second, so only that second's parameters are needed.
     */
    private void fighting(double t, double local, long segment, double[] out) {
        standing(t, out);
        out[0] += 0.5 * Math.sin(TWO_PI * 1.3 * t + phaseRad[3]);
        out[1] += 1.0 * Math.sin(TWO_PI * 2.0 * t + phaseRad[4]);
        int slot = (int) Math.floor(local);
        SplittableRandom r = events(segment, slot);
        double turnStart = slot + 0.05 + 0.55 * r.nextDouble();
        double turnDuration = 0.12 + 0.13 * r.nextDouble();
        double turnPeakDps = 150 + 150 * r.nextDouble();
        double sign = r.nextBoolean() ? 1 : -1;
        double axisPick = r.nextDouble();
        int axis = axisPick < 0.7 ? 4 : axisPick < 0.85 ? 3 : 5;
        out[axis] += sign * turnPeakDps * halfSine(local, turnStart, turnDuration);
        if (slot % 2 == 1) {
            double joltStart = slot + 0.1 + 0.8 * r.nextDouble();
            double joltDuration = 0.015 + 0.025 * r.nextDouble();
            boolean hit = r.nextInt(100) < FIGHT_HIT_CHANCE_PERCENT;
            double joltG = hit ? 6 + 4 * r.nextDouble() : 2 + 4 * r.nextDouble();
            double heading = TWO_PI * r.nextDouble();
            double vertical = -0.3 + 0.6 * r.nextDouble();
            double norm = Math.sqrt(1 + vertical * vertical);
            double a = joltG * G * halfSine(local, joltStart, joltDuration) / norm;
            out[0] += a * Math.cos(heading);
            out[1] += a * vertical;
            out[2] += a * Math.sin(heading);
        }
    }

    /** Share of a fight's jolts that are landed hits of 6-10 g, in percent. */
    static final int FIGHT_HIT_CHANCE_PERCENT = 8;

    private static final double TIP_START_S = 1.5;
    private static final double IMPACT_S = 2.0;
    private static final double IMPACT_DURATION_S = 0.010;
    private static final double REBOUND_DURATION_S = 0.06;
    private static final double RISE_START_S = 8.0;
    private static final double RISE_DURATION_S = 1.0;

    /**
     * A forward fall: standing until 1.5 s, tipping forward 90 degrees in 0.5 s while the
     * specific force drops towards free fall, an impact at 2.0 s (10 ms half-sine of 11-19 g on
     * top of gravity, so 12-20 g resultant before the sensor clips at 16 g per axis), lying still
     * with gravity on the -z axis until 8 s, getting up until 9 s, standing.
     *
     * <p>Pitching forward by theta about x turns the "up" reading from {@code (0, 1, 0)} into
     * {@code (0, cos theta, -sin theta)}, with {@code gx = d theta / dt}.
     */
    private void fall(double t, double local, long segment, double[] out) {
        if (local < TIP_START_S || local >= RISE_START_S + RISE_DURATION_S) {
            standing(t, out);
            return;
        }
        SplittableRandom r = events(segment, 0);
        double impactG = 11 + 8 * r.nextDouble();
        double lateral = -0.3 + 0.6 * r.nextDouble();
        double thetaDeg;
        double pitchRateDps;
        double specificForce = G;
        double yawDps = 0;
        if (local < IMPACT_S) {
            double u = (local - TIP_START_S) / (IMPACT_S - TIP_START_S);
            thetaDeg = 90 * (1 - Math.cos(Math.PI * u)) / 2;
            pitchRateDps = 90 * Math.PI / 2 * Math.sin(Math.PI * u) / (IMPACT_S - TIP_START_S);
            specificForce = G * (1 - 0.85 * Math.sin(Math.PI / 2 * u));
            yawDps = 15 * Math.sin(Math.PI * u);
        } else if (local < RISE_START_S) {
            thetaDeg = 90;
            pitchRateDps = -120 * halfSine(local, IMPACT_S, REBOUND_DURATION_S);
        } else {
            double u = (local - RISE_START_S) / RISE_DURATION_S;
            thetaDeg = 90 * (1 + Math.cos(Math.PI * u)) / 2;
            pitchRateDps = -90 * Math.PI / 2 * Math.sin(Math.PI * u) / RISE_DURATION_S;
            specificForce = G + 1.0 * Math.sin(Math.PI * u);
        }
        double theta = Math.toRadians(thetaDeg);
        out[0] = 0.02 * Math.sin(TWO_PI * 0.25 * t + phaseRad[0]);
        out[1] = specificForce * Math.cos(theta);
        out[2] = -specificForce * Math.sin(theta) + 0.03 * Math.sin(TWO_PI * 0.25 * t + phaseRad[2]);
        out[3] = pitchRateDps + 0.3 * Math.sin(TWO_PI * 0.25 * t + phaseRad[3]);
        out[4] = yawDps + 0.3 * Math.sin(TWO_PI * 0.2 * t + phaseRad[4]);
        out[5] = 0.3 * Math.sin(TWO_PI * 0.3 * t + phaseRad[5]);
        double impact = impactG * G * halfSine(local, IMPACT_S, IMPACT_DURATION_S);
        // At impact the ground stops the head: a push along the new "up" (-z), partly sideways.
        out[2] -= impact;
        out[0] += lateral * impact;
    }

    /**
     * Whip pans: five yaw turns per 10 s, alternating left and right, each a half-sine of yaw rate
     * peaking at 320-600 deg/s and lasting 150-300 ms, with the tangential and centripetal
     * acceleration of a sensor {@value #HEAD_RADIUS_M} m from the neck's axis.
     */
    private void whipPan(double t, double local, long segment, double[] out) {
        standing(t, out);
        int slot = (int) Math.floor(local / 2);
        SplittableRandom r = events(segment, slot);
        double start = 2.0 * slot + 0.5 + 0.8 * r.nextDouble();
        double duration = 0.15 + 0.15 * r.nextDouble();
        double peakDps = 320 + 280 * r.nextDouble();
        boolean flip = events(segment, -1).nextBoolean();
        double sign = (slot % 2 == 0) != flip ? 1 : -1;
        double shape = halfSine(local, start, duration);
        if (shape == 0) {
            return;
        }
        double rateDps = sign * peakDps * shape;
        double accelDps2 = sign * peakDps * Math.PI / duration * Math.cos(Math.PI * (local - start) / duration);
        double omega = Math.toRadians(rateDps);
        out[4] += rateDps;
        out[0] += HEAD_RADIUS_M * Math.toRadians(accelDps2);
        out[2] -= HEAD_RADIUS_M * omega * omega;
    }

    /** The event parameters of one slot of one 10 s segment of this rig. */
    private SplittableRandom events(long segment, int slot) {
        return new SplittableRandom(mix(rigKey + mix(segment * 0x9E3779B97F4A7C15L + slot + 0x1234567L)));
    }

    private static double halfSine(double t, double start, double duration) {
        return t >= start && t < start + duration ? Math.sin(Math.PI * (t - start) / duration) : 0;
    }

    private static double clip(double v, double fullScale) {
        return Math.max(-fullScale, Math.min(fullScale, v));
    }

    private static double quantize(double v, double steps) {
        return Math.round(v * steps) / steps;
    }

    /** The splitmix64 finalizer: a well-mixed 64-bit hash of a 64-bit value. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package dev.rigtel.collector.motion;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic rig: integrates a scripted motion given in an up-z world frame and produces what the
 * rig's IMU would send (sensor frame, gravity included), plus the truth a test compares against.
 */
final class ImuSim {

    static final double G0 = RigMotion.G0;
    static final long T0 = 1_700_000_000L * 1_000_000_000L; // a UTC second boundary
    private static final int SUBSTEPS = 8;

    /** World-frame angular velocity (deg/s) and linear acceleration without gravity (m/s^2) at t. */
    interface Script {
        void at(double tS, double[] omegaWorldDps, double[] linAccelWorldMps2);
    }

    /** Samples as the rig sends them, with truth. */
    record Stream(long[] t, double[] v, double[] trueUp, double[] trueYawDps) {
        int size() {
            return t.length;
        }

        void feed(RigMotion m, MotionSink out) {
            for (int i = 0; i < t.length; i++) {
                int o = 6 * i;
                m.accept(t[i], v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], out);
            }
        }

        void feed(TakeSummarizer s) {
            for (int i = 0; i < t.length; i++) {
                int o = 6 * i;
                s.accept(t[i], v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5]);
            }
        }
    }

    private double rateHz = 1000;
    private double[] q = {1, 0, 0, 0};
    private double gyroNoiseDps;
    private double accelNoiseMps2;
    private double[] biasDps = {0, 0, 0};
    private long seed = 1;

    ImuSim rateHz(double hz) {
        this.rateHz = hz;
        return this;
    }

    /** Initial orientation: rotation of {@code deg} about {@code axis} (sensor to world). */
    ImuSim tilt(double ax, double ay, double az, double deg) {
        this.q = axisAngle(ax, ay, az, deg);
        return this;
    }

    ImuSim noise(double gyroDps, double accelMps2) {
        this.gyroNoiseDps = gyroDps;
        this.accelNoiseMps2 = accelMps2;
        return this;
    }

    ImuSim bias(double x, double y, double z) {
        this.biasDps = new double[] {x, y, z};
        return this;
    }

    ImuSim seed(long s) {
        this.seed = s;
        return this;
    }

    Stream run(Script script, double seconds) {
        int n = (int) Math.round(seconds * rateHz);
        long[] t = new long[n];
        double[] v = new double[6 * n];
        double[] up = new double[3 * n];
        double[] yaw = new double[n];
        Random rnd = new Random(seed);
        double dt = 1 / rateHz;
        double[] w = new double[3];
        double[] lin = new double[3];
        double[] qq = q.clone();
        for (int i = 0; i < n; i++) {
            double ti = i * dt;
            if (i > 0) {
                double h = dt / SUBSTEPS;
                for (int k = 0; k < SUBSTEPS; k++) {
                    script.at(ti - dt + (k + 0.5) * h, w, lin);
                    qq = mul(axisAngleVec(w[0], w[1], w[2], h), qq);
                }
            }
            script.at(ti, w, lin);
            double[] gyro = toSensor(qq, w);
            double[] acc = toSensor(qq, new double[] {lin[0], lin[1], lin[2] + G0});
            double[] u = toSensor(qq, new double[] {0, 0, 1});
            t[i] = T0 + Math.round(ti * 1e9);
            for (int a = 0; a < 3; a++) {
                v[6 * i + a] = acc[a] + accelNoiseMps2 * rnd.nextGaussian();
                v[6 * i + 3 + a] = gyro[a] + biasDps[a] + gyroNoiseDps * rnd.nextGaussian();
                up[3 * i + a] = u[a];
            }
            yaw[i] = w[2];
        }
        return new Stream(t, v, up, yaw);
    }

    static double angleDeg(double[] a, int ia, double[] b, int ib) {
        double dot = a[ia] * b[ib] + a[ia + 1] * b[ib + 1] + a[ia + 2] * b[ib + 2];
        double na = Math.sqrt(a[ia] * a[ia] + a[ia + 1] * a[ia + 1] + a[ia + 2] * a[ia + 2]);
        double nb = Math.sqrt(b[ib] * b[ib] + b[ib + 1] * b[ib + 1] + b[ib + 2] * b[ib + 2]);
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot / (na * nb)))));
    }

    static double[] axisAngle(double x, double y, double z, double deg) {
        double n = Math.sqrt(x * x + y * y + z * z);
        double h = Math.toRadians(deg) / 2;
        double s = Math.sin(h) / n;
        return new double[] {Math.cos(h), x * s, y * s, z * s};
    }

    /** Rotation by omega (deg/s, world frame) over h seconds. */
    private static double[] axisAngleVec(double wx, double wy, double wz, double h) {
        double n = Math.sqrt(wx * wx + wy * wy + wz * wz);
        if (n == 0) {
            return new double[] {1, 0, 0, 0};
        }
        return axisAngle(wx, wy, wz, n * h);
    }

    static double[] mul(double[] a, double[] b) {
        return new double[] {
            a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
            a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
            a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
            a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0]
        };
    }

    /** World vector into the sensor frame: q* v q for q mapping sensor to world. */
    static double[] toSensor(double[] q, double[] v) {
        double[] conj = {q[0], -q[1], -q[2], -q[3]};
        double[] r = mul(mul(conj, new double[] {0, v[0], v[1], v[2]}), q);
        return new double[] {r[1], r[2], r[3]};
    }

    /** Collects everything a {@link RigMotion} emits. */
    static final class Recorder implements MotionSink {
        final List<Rollup> rollups = new ArrayList<>();
        final List<MotionEvent> events = new ArrayList<>();

        @Override
        public void rollup(Rollup r) {
            rollups.add(r);
        }

        @Override
        public void event(MotionEvent e) {
            events.add(e);
        }

        List<MotionEvent> of(MotionEvent.Type... types) {
            List<MotionEvent> out = new ArrayList<>();
            for (MotionEvent e : events) {
                for (MotionEvent.Type type : types) {
                    if (e.type() == type) {
                        out.add(e);
                    }
                }
            }
            return out;
        }
    }
}

package dev.rigtel.collector.motion;

/**
 * The IMU form (gyroscope and accelerometer, no magnetometer) of Madgwick's gradient-descent
 * orientation filter, re-implemented from Madgwick 2010, "An efficient orientation filter for
 * inertial and inertial/magnetic sensor arrays", equations (12)-(13) and (25)-(27) with the gravity
 * objective function (25). The quaternion {@code q} maps sensor-frame vectors to an earth frame whose
 * z axis points up; it is integrated with each sample's own time step.
 */
final class MadgwickImu {

    private double q0 = 1;
    private double q1;
    private double q2;
    private double q3;

    /** Starts level with the measured gravity: the shortest rotation taking the up reading to +z. */
    void alignTo(double ax, double ay, double az) {
        double n = Math.sqrt(ax * ax + ay * ay + az * az);
        if (n == 0) {
            return;
        }
        double ux = ax / n;
        double uy = ay / n;
        double uz = az / n;
        // Rotation taking u to z: q = (1 + u.z, u x z) normalised; u x z = (uy, -ux, 0).
        double w = 1 + uz;
        if (w < 1e-9) { // upside down: half a turn about x
            set(0, 1, 0, 0);
        } else {
            set(w, uy, -ux, 0);
        }
    }

    /**
     * One filter step.
     *
     * @param gx gyro, rad/s, bias removed (same for gy, gz)
     * @param ax accelerometer, any unit (normalised here), gravity included (same for ay, az)
     * @param dt step in seconds
     * @param beta gradient-descent gain, rad/s
     * @param useAccel false skips the accelerometer correction (gyro-only step)
     */
    void update(
            double gx,
            double gy,
            double gz,
            double ax,
            double ay,
            double az,
            double dt,
            double beta,
            boolean useAccel) {
        // Rate of change from the gyro: qdot = 1/2 q (x) (0, omega) (Madgwick 2010, eq. 12).
        double qd0 = 0.5 * (-q1 * gx - q2 * gy - q3 * gz);
        double qd1 = 0.5 * (q0 * gx + q2 * gz - q3 * gy);
        double qd2 = 0.5 * (q0 * gy - q1 * gz + q3 * gx);
        double qd3 = 0.5 * (q0 * gz + q1 * gy - q2 * gx);
        double an = ax * ax + ay * ay + az * az;
        if (useAccel && an > 0) {
            double inv = 1 / Math.sqrt(an);
            ax *= inv;
            ay *= inv;
            az *= inv;
            // Objective f = predicted up in the sensor frame - measured (eq. 25), gradient J^T f (eq. 20).
            double f1 = 2 * (q1 * q3 - q0 * q2) - ax;
            double f2 = 2 * (q0 * q1 + q2 * q3) - ay;
            double f3 = 1 - 2 * (q1 * q1 + q2 * q2) - az;
            double s0 = -2 * q2 * f1 + 2 * q1 * f2;
            double s1 = 2 * q3 * f1 + 2 * q0 * f2 - 4 * q1 * f3;
            double s2 = -2 * q0 * f1 + 2 * q3 * f2 - 4 * q2 * f3;
            double s3 = 2 * q1 * f1 + 2 * q2 * f2;
            double sn = s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3;
            if (sn > 0) {
                double k = beta / Math.sqrt(sn);
                qd0 -= k * s0;
                qd1 -= k * s1;
                qd2 -= k * s2;
                qd3 -= k * s3;
            }
        }
        set(q0 + qd0 * dt, q1 + qd1 * dt, q2 + qd2 * dt, q3 + qd3 * dt);
    }

    private void set(double w, double x, double y, double z) {
        double inv = 1 / Math.sqrt(w * w + x * x + y * y + z * z);
        q0 = w * inv;
        q1 = x * inv;
        q2 = y * inv;
        q3 = z * inv;
    }

    /** Earth up in the sensor frame: the third row of the rotation matrix of q. */
    double upX() {
        return 2 * (q1 * q3 - q0 * q2);
    }

    double upY() {
        return 2 * (q0 * q1 + q2 * q3);
    }

    double upZ() {
        return 1 - 2 * (q1 * q1 + q2 * q2);
    }

    double[] quaternion() {
        return new double[] {q0, q1, q2, q3};
    }
}

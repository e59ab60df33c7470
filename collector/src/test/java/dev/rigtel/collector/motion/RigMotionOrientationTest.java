package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Gravity direction and yaw rate of the Madgwick filter (Madgwick 2010) against synthetic truth. */
class RigMotionOrientationTest {

    /** Largest angle between estimated and true up after {@code settleS}, with the last yaw rate. */
    private static double[] run(ImuSim sim, ImuSim.Script script, double seconds, double settleS) {
        ImuSim.Stream s = sim.run(script, seconds);
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        double maxErr = 0;
        double maxYawErr = 0;
        for (int i = 0; i < s.size(); i++) {
            int o = 6 * i;
            m.accept(s.t()[i], s.v()[o], s.v()[o + 1], s.v()[o + 2], s.v()[o + 3], s.v()[o + 4], s.v()[o + 5], out);
            if ((s.t()[i] - ImuSim.T0) * 1e-9 >= settleS) {
                maxErr = Math.max(maxErr, ImuSim.angleDeg(m.upUnit(), 0, s.trueUp(), 3 * i));
                maxYawErr = Math.max(maxYawErr, Math.abs(m.yawRateDps() - s.trueYawDps()[i]));
            }
        }
        return new double[] {maxErr, maxYawErr};
    }

    @ParameterizedTest
    @CsvSource({"1,0,0,0", "1,0,0,-90", "1,0,0,180", "1,1,0,45", "0.3,-1,0.5,120"})
    void findsGravityForAnyStaticTilt(double ax, double ay, double az, double deg) {
        double[] err = run(
                new ImuSim().tilt(ax, ay, az, deg).noise(0.5, 0.05),
                (t, w, lin) -> {
                    w[0] = w[1] = w[2] = 0;
                    lin[0] = lin[1] = lin[2] = 0;
                },
                10,
                1);
        assertThat(err[0]).isLessThan(1.0);
    }

    @ParameterizedTest
    @CsvSource({"1000, 40", "200, 40", "1000, 150"})
    void tracksGravityWhileRollingAboutAHorizontalAxis(double rateHz, double rollDps) {
        double[] err = run(
                new ImuSim().rateHz(rateHz).tilt(1, 0.4, 0, 20).noise(0.5, 0.05),
                (t, w, lin) -> {
                    w[0] = 0;
                    w[1] = rollDps;
                    w[2] = 0;
                    lin[0] = lin[1] = lin[2] = 0;
                },
                20,
                2);
        assertThat(err[0]).isLessThan(1.0);
        assertThat(err[1]).as("yaw rate error while rolling, deg/s").isLessThan(3.0);
    }

    @ParameterizedTest
    @CsvSource({"90, 30", "60, 60", "200, 45"})
    void measuresYawRateAboutTheVerticalForRotationAboutATiltedAxis(double rateDps, double axisTiltDeg) {
        double tilt = Math.toRadians(axisTiltDeg);
        ImuSim sim = new ImuSim().tilt(0.2, 1, 0.3, 35).noise(0.5, 0.05);
        ImuSim.Stream s = sim.run(
                (t, w, lin) -> {
                    w[0] = rateDps * Math.sin(tilt);
                    w[1] = 0;
                    w[2] = rateDps * Math.cos(tilt);
                    lin[0] = lin[1] = lin[2] = 0;
                },
                20);
        RigMotion m = new RigMotion(MotionConfig.defaults());
        s.feed(m, new ImuSim.Recorder());
        assertThat(m.yawRateDps()).isCloseTo(rateDps * Math.cos(tilt), within(1.0));
        assertThat(ImuSim.angleDeg(m.upUnit(), 0, s.trueUp(), 3 * (s.size() - 1)))
                .isLessThan(1.0);
        double[] err = run(
                sim,
                (t, w, lin) -> {
                    w[0] = rateDps * Math.sin(tilt);
                    w[1] = 0;
                    w[2] = rateDps * Math.cos(tilt);
                    lin[0] = lin[1] = lin[2] = 0;
                },
                20,
                1);
        assertThat(err[0]).as("max gravity error after 1 s, deg").isLessThan(1.0);
        assertThat(err[1]).as("max yaw-rate error after 1 s, deg/s").isLessThan(2.0);
    }

    @ParameterizedTest
    @CsvSource({"1,0,0,-90", "0,1,0,70"})
    void turningLeftAboutUpIsPositiveWhateverTheMounting(double ax, double ay, double az, double deg) {
        ImuSim.Stream s = new ImuSim()
                .tilt(ax, ay, az, deg)
                .run(
                        (t, w, lin) -> {
                            w[0] = w[1] = 0;
                            w[2] = 50; // counter-clockwise seen from above
                            lin[0] = lin[1] = lin[2] = 0;
                        },
                        2);
        RigMotion m = new RigMotion(MotionConfig.defaults());
        s.feed(m, new ImuSim.Recorder());
        assertThat(m.yawRateDps()).isCloseTo(50, within(0.5));
    }
}

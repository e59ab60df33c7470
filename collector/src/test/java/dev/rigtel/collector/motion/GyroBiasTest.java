package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** DOMAIN.md section 3: still when every axis is under 3 deg/s for 4 s; the offset is learned there. */
class GyroBiasTest {

    private static final ImuSim.Script STILL = (t, w, lin) -> {
        w[0] = w[1] = w[2] = 0;
        lin[0] = lin[1] = lin[2] = 0;
    };

    @Test
    void learnsAndRemovesTheBiasAtRest() {
        ImuSim.Stream s = new ImuSim()
                .tilt(1, 0, 0, -90)
                .bias(1.5, -2.0, 0.8)
                .noise(0.2, 0.05)
                .run(STILL, 15);
        RigMotion m = new RigMotion(MotionConfig.defaults());
        s.feed(m, new ImuSim.Recorder());

        assertThat(m.still()).isTrue();
        assertThat(m.gyroBiasDps(0)).isCloseTo(1.5, within(0.05));
        assertThat(m.gyroBiasDps(1)).isCloseTo(-2.0, within(0.05));
        assertThat(m.gyroBiasDps(2)).isCloseTo(0.8, within(0.05));
        assertThat(m.yawRateDps()).isCloseTo(0, within(0.1));
        assertThat(m.angularSpeedDps()).isLessThan(1.0);
    }

    @Test
    void learnsNothingBeforeTheRigHasBeenStillForFourSeconds() {
        ImuSim.Stream s = new ImuSim().bias(1.5, -2.0, 0.8).run(STILL, 3.9);
        RigMotion m = new RigMotion(MotionConfig.defaults());
        s.feed(m, new ImuSim.Recorder());

        assertThat(m.still()).isFalse();
        assertThat(m.gyroBiasDps(0)).isZero();
    }

    @Test
    void learnsNothingWhileTheRigTurnsSlowly() {
        ImuSim.Stream s = new ImuSim()
                .bias(1.0, 0, 0)
                .run(
                        (t, w, lin) -> {
                            w[0] = w[1] = 0;
                            w[2] = 10;
                            lin[0] = lin[1] = lin[2] = 0;
                        },
                        15);
        RigMotion m = new RigMotion(MotionConfig.defaults());
        s.feed(m, new ImuSim.Recorder());

        assertThat(m.still()).isFalse();
        assertThat(m.gyroBiasDps(0)).isZero();
        assertThat(m.yawRateDps()).isCloseTo(10, within(1.1));
    }
}

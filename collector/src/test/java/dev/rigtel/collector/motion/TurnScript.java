package dev.rigtel.collector.motion;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A walking wearer (vertical bounce, pitch and yaw wobble) who makes head turns with a raised-cosine
 * yaw-rate profile {@code peak * sin^2(pi (t - start) / D)}, {@code D = 2 * angle / peak}.
 */
final class TurnScript implements ImuSim.Script {

    record Turn(double startS, double durationS, double peakDps, double angleDeg, int sign) {
        double rate(double t) {
            double x = (t - startS) / durationS;
            if (x < 0 || x > 1) {
                return 0;
            }
            double s = Math.sin(Math.PI * x);
            return sign * peakDps * s * s;
        }
    }

    final List<Turn> turns = new ArrayList<>();
    private final double yawWobbleDps;
    private final double bounceMps2;
    double endS;

    TurnScript(double yawWobbleDps, double bounceMps2) {
        this.yawWobbleDps = yawWobbleDps;
        this.bounceMps2 = bounceMps2;
    }

    /** {@code count} turns: every third a whip pan (peak 340..400 deg/s), others 150..250 deg/s. */
    static TurnScript random(int count, long seed, double yawWobbleDps, double bounceMps2) {
        TurnScript s = new TurnScript(yawWobbleDps, bounceMps2);
        Random rnd = new Random(seed);
        double t = 1.0;
        for (int i = 0; i < count; i++) {
            double angle = 40 + 80 * rnd.nextDouble();
            double peak = i % 3 == 2 ? 340 + 60 * rnd.nextDouble() : 150 + 100 * rnd.nextDouble();
            int sign = rnd.nextBoolean() ? 1 : -1;
            double d = 2 * angle / peak;
            s.turns.add(new Turn(t, d, peak, angle, sign));
            t += d + 0.6 + 0.6 * rnd.nextDouble();
        }
        s.endS = t + 1;
        return s;
    }

    TurnScript add(double startS, double peakDps, double angleDeg, int sign) {
        double d = 2 * angleDeg / peakDps;
        turns.add(new Turn(startS, d, peakDps, angleDeg, sign));
        endS = Math.max(endS, startS + d + 1);
        return this;
    }

    @Override
    public void at(double t, double[] w, double[] lin) {
        double yaw = yawWobbleDps * Math.sin(2 * Math.PI * 0.8 * t + 0.3);
        for (Turn turn : turns) {
            yaw += turn.rate(t);
        }
        w[0] = 15 * Math.sin(2 * Math.PI * 1.8 * t); // pitch nod of the gait
        w[1] = 0;
        w[2] = yaw;
        lin[0] = 0;
        lin[1] = 0;
        lin[2] = bounceMps2 * Math.sin(2 * Math.PI * 1.8 * t);
    }
}

package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The head-turn detector of DOMAIN.md section 3 on scripted turns with known answers. */
class HeadTurnDetectionTest {

    private static final long FRAME_25FPS_NANOS = 40_000_000L;

    private static ImuSim.Recorder detect(TurnScript script, double rateHz, long seed) {
        ImuSim.Stream s = new ImuSim()
                .rateHz(rateHz)
                .tilt(0.4, 1, 0.2, 25)
                .noise(1.0, 0.1)
                .seed(seed)
                .run(script, script.endS);
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        s.feed(m, out);
        m.flush(out);
        return out;
    }

    /** True onset: where the true yaw rate (turn plus wobble) first crosses the 110 deg/s start threshold. */
    private static long trueOnsetNanos(TurnScript script, TurnScript.Turn turn) {
        double[] w = new double[3];
        double[] lin = new double[3];
        for (double t = turn.startS(); t <= turn.startS() + turn.durationS(); t += 1e-5) {
            script.at(t, w, lin);
            if (turn.sign() * w[2] > 110) {
                return ImuSim.T0 + Math.round(t * 1e9);
            }
        }
        throw new AssertionError("turn never crosses the threshold: " + turn);
    }

    /** Matched pairs: same direction, onset within one 25 fps frame. */
    private static List<MotionEvent[]> match(TurnScript script, List<MotionEvent> detected) {
        List<MotionEvent[]> pairs = new ArrayList<>();
        List<MotionEvent> free = new ArrayList<>(detected);
        for (TurnScript.Turn turn : script.turns) {
            long onset = trueOnsetNanos(script, turn);
            String dir = turn.sign() > 0 ? MotionEvent.LEFT : MotionEvent.RIGHT;
            for (MotionEvent e : free) {
                if (e.direction().equals(dir) && Math.abs(e.onsetNanos() - onset) <= FRAME_25FPS_NANOS) {
                    free.remove(e);
                    MotionEvent truth = MotionEvent.turn(
                            turn.peakDps() > 300 ? MotionEvent.Type.WHIP_PAN : MotionEvent.Type.HEAD_TURN,
                            onset,
                            onset,
                            turn.peakDps(),
                            turn.angleDeg(),
                            dir);
                    pairs.add(new MotionEvent[] {truth, e});
                    break;
                }
            }
        }
        return pairs;
    }

    @Test
    void findsScriptedTurnsWithPrecisionAndRecallOver95PercentAndOnsetsWithinAFrame() {
        for (double rateHz : new double[] {1000, 200}) {
            TurnScript script = TurnScript.random(60, 7, 25, 1.5);
            List<MotionEvent> detected =
                    detect(script, rateHz, 11).of(MotionEvent.Type.HEAD_TURN, MotionEvent.Type.WHIP_PAN);
            List<MotionEvent[]> pairs = match(script, detected);

            double precision = (double) pairs.size() / detected.size();
            double recall = (double) pairs.size() / script.turns.size();
            assertThat(precision).as("precision at %s Hz", rateHz).isGreaterThanOrEqualTo(0.95);
            assertThat(recall).as("recall at %s Hz", rateHz).isGreaterThanOrEqualTo(0.95);
            for (MotionEvent[] p : pairs) {
                assertThat(p[1].type()).as("type of %s", p[0]).isEqualTo(p[0].type());
                assertThat(p[1].angleDeg())
                        .as("angle of %s", p[0])
                        .isBetween(p[0].angleDeg() * 0.85 - 5, p[0].angleDeg() * 1.15 + 5);
            }
        }
    }

    @Test
    void gaitBounceAndYawWobbleUnder90DegreesPerSecondMakeNoTurns() {
        TurnScript gait = new TurnScript(85, 3.0);
        gait.endS = 120;

        assertThat(detect(gait, 1000, 3).of(MotionEvent.Type.HEAD_TURN, MotionEvent.Type.WHIP_PAN))
                .isEmpty();
    }

    @Test
    void positiveYawAboutUpIsALeftTurn() {
        TurnScript script = new TurnScript(0, 0).add(1, 200, 90, +1).add(4, 200, 90, -1);
        List<MotionEvent> turns = detect(script, 1000, 5).of(MotionEvent.Type.HEAD_TURN);

        assertThat(turns).extracting(MotionEvent::direction).containsExactly("left", "right");
        assertThat(turns).allSatisfy(e -> assertThat(e.angleDeg()).isBetween(85.0, 95.0));
        assertThat(turns).allSatisfy(e -> assertThat(e.peak()).isBetween(190.0, 205.0));
    }

    @Test
    void aTurnOver300DegreesPerSecondIsAWhipPan() {
        TurnScript script = new TurnScript(0, 0).add(1, 380, 60, -1);

        assertThat(detect(script, 1000, 5).events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(MotionEvent.Type.WHIP_PAN);
            assertThat(e.direction()).isEqualTo("right");
            assertThat(e.peak()).isGreaterThan(360);
        });
    }

    @Test
    void dropsTurnsUnder25Degrees() {
        TurnScript script = new TurnScript(0, 0).add(1, 150, 18, 1);

        assertThat(detect(script, 1000, 5).events).isEmpty();
    }

    @Test
    void mergesSameDirectionTurnsCloserThan150Milliseconds() {
        // Two trapezoids at 200 deg/s with a 60 ms pause: end (35 deg/s) to restart (110 deg/s) is ~100 ms.
        assertThat(trapezoidTurns(0.06)).hasSize(1).allSatisfy(e -> assertThat(e.angleDeg())
                .isBetween(130.0, 145.0));
        assertThat(trapezoidTurns(0.30)).hasSize(2);
    }

    private static List<MotionEvent> trapezoidTurns(double pauseS) {
        double ramp = 0.05;
        double hold = 0.30;
        double second = 1 + 2 * ramp + hold + pauseS;
        ImuSim.Script script = (t, w, lin) -> {
            w[0] = w[1] = 0;
            w[2] = trapezoid(t - 1, ramp, hold) + trapezoid(t - second, ramp, hold);
            lin[0] = lin[1] = lin[2] = 0;
        };
        ImuSim.Stream s = new ImuSim().noise(0.5, 0.05).run(script, 4);
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        s.feed(m, out);
        m.flush(out);
        return out.of(MotionEvent.Type.HEAD_TURN);
    }

    private static double trapezoid(double t, double ramp, double hold) {
        if (t < 0 || t > 2 * ramp + hold) {
            return 0;
        }
        return 200 * Math.min(1, Math.min(t / ramp, (2 * ramp + hold - t) / ramp));
    }

    @Test
    void flushCompletesAnOpenTurn() {
        TurnScript script = new TurnScript(0, 0).add(1, 200, 90, 1);
        ImuSim.Stream s = new ImuSim().run(script, 1.5); // stops mid-turn, past its peak
        RigMotion m = new RigMotion(MotionConfig.defaults());
        ImuSim.Recorder out = new ImuSim.Recorder();
        s.feed(m, out);
        assertThat(out.events).isEmpty();

        m.flush(out);

        assertThat(out.of(MotionEvent.Type.HEAD_TURN)).hasSize(1);
    }
}

package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/** Take summaries (DOMAIN.md section 4) on signals with known answers. */
class TakeSummarizerTest {

    @Test
    void measuresDurationAndTheShareOfTimeAbove30DegreesPerSecond() {
        // 10 s at 1 kHz; a 60 deg/s pan from 2 s to 5 s.
        ImuSim.Stream s = new ImuSim()
                .tilt(1, 0, 0, -70)
                .run(
                        (t, w, lin) -> {
                            w[0] = w[1] = 0;
                            w[2] = t >= 2 && t < 5 ? 60 : 0;
                            lin[0] = lin[1] = lin[2] = 0;
                        },
                        10);
        TakeSummarizer summarizer = new TakeSummarizer(MotionConfig.defaults());
        s.feed(summarizer);
        TakeSummary summary = summarizer.finish();

        assertThat(summary.samples()).isEqualTo(10_000);
        assertThat(summary.durationSeconds()).isCloseTo(10.0, offset(1e-9));
        assertThat(summary.shareAbove30Dps()).isCloseTo(0.3, offset(1e-9));
        assertThat(summary.peakDps()).isCloseTo(60, offset(1e-6));
        assertThat(summary.peakG()).isCloseTo(1.0, offset(1e-9));
        // 30 % of the time at (60 - 30) / (120 - 30) = 1/3 of the full penalty.
        assertThat(summary.viewerComfort()).isCloseTo(90, offset(1e-6));
        assertThat(summary.headTurns() + summary.whipPans() + summary.impacts()).isZero();
    }

    @Test
    void measuresPeakAngularAccelerationFromTheSmoothedGyro() {
        // Yaw rate ramps 0 -> 200 deg/s in 0.5 s: 400 deg/s^2 = 6.98 rad/s^2.
        ImuSim.Stream s = new ImuSim()
                .run(
                        (t, w, lin) -> {
                            w[0] = w[1] = 0;
                            w[2] = 400 * Math.max(0, Math.min(0.5, t - 1));
                            lin[0] = lin[1] = lin[2] = 0;
                        },
                        3);
        TakeSummarizer summarizer = new TakeSummarizer(MotionConfig.defaults());
        s.feed(summarizer);

        assertThat(summarizer.finish().peakAngularAccelRadS2()).isCloseTo(Math.toRadians(400), withinPercentage(3));
    }

    @Test
    void countsTheTakesTurnsAndImpacts() {
        TurnScript script = TurnScript.random(12, 3, 20, 1.0);
        ImuSim.Stream s = new ImuSim().noise(1, 0.1).run(script, script.endS);
        TakeSummarizer summarizer = new TakeSummarizer(MotionConfig.defaults());
        s.feed(summarizer);
        TakeSummary summary = summarizer.finish();

        assertThat(summary.headTurns()).isEqualTo(8);
        assertThat(summary.whipPans()).isEqualTo(4);
        assertThat(summary.peakDps()).isGreaterThan(340);
        assertThat(summary.viewerComfort()).isBetween(0.0, 100.0);
    }

    @Test
    void givesIdenticalSummariesForTheSameSamplesInTwoInstances() {
        TurnScript script = TurnScript.random(20, 9, 25, 2.0);
        ImuSim.Stream s = new ImuSim().tilt(0.3, 1, 0, 40).noise(1, 0.1).run(script, script.endS);
        TakeSummarizer a = new TakeSummarizer(MotionConfig.defaults());
        TakeSummarizer b = new TakeSummarizer(MotionConfig.defaults());
        s.feed(a);
        s.feed(b);

        assertThat(a.finish()).isEqualTo(b.finish());
        assertThat(a.finish().msdvMps15()).isPositive();
    }

    @Test
    void forwardsRollupsAndEventsToAnOptionalSink() {
        ImuSim.Recorder forwarded = new ImuSim.Recorder();
        TakeSummarizer summarizer = new TakeSummarizer(MotionConfig.defaults(), forwarded);
        new ImuSim().run(new TurnScript(0, 0).add(1, 200, 90, 1), 3).feed(summarizer);
        summarizer.finish();

        assertThat(forwarded.rollups).hasSize(3);
        assertThat(forwarded.of(MotionEvent.Type.HEAD_TURN)).hasSize(1);
    }
}

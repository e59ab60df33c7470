package dev.rigtel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rigtel.collector.timecode.FrameRate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

    @Test
    void defaultsAreTheCommandLines() {
        SimulatorOptions options = SimulatorOptions.builder().build();

        assertThat(options.brokerUri()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(options.rigs()).isEqualTo(13);
        assertThat(options.sampleRateHz()).isEqualTo(1000);
        assertThat(options.sampleIntervalNanos()).isEqualTo(1_000_000);
        assertThat(options.maxBatchSamples()).isEqualTo(50);
        assertThat(options.qos()).isEqualTo(1);
        assertThat(options.profile()).isEqualTo(MotionProfile.MIXED);
        assertThat(options.timecodeRate()).isEqualTo(FrameRate.FPS_25);
        assertThat(options.rigId(1).value()).isEqualTo("rig-01");
        assertThat(options.rigId(13).value()).isEqualTo("rig-13");
        assertThat(options.password(1)).isEmpty();
    }

    @Test
    void substitutesTheRigNumberInPasswords() {
        SimulatorOptions options =
                SimulatorOptions.builder().passwordPattern("secret-{n}").build();
        assertThat(options.password(7)).isEqualTo("secret-07");
    }

    @Test
    void rejectsValuesOutsideTheirRangeNamingTheOption() {
        assertThatThrownBy(() -> SimulatorOptions.builder().sampleRateHz(4001).build())
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> SimulatorOptions.builder().sampleRateHz(0).build())
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> SimulatorOptions.builder().qos(2).build()).hasMessageContaining("qos");
        assertThatThrownBy(() -> SimulatorOptions.builder().sampleRateHz(10).build())
                .hasMessageContaining("batch-ms");
        assertThatThrownBy(
                        () -> SimulatorOptions.builder().timecodeDropFrame(true).build())
                .hasMessageContaining("drop-frame");
        assertThatThrownBy(
                        () -> SimulatorOptions.builder().usernamePattern("rig").build())
                .hasMessageContaining("{n}");
        assertThatThrownBy(() ->
                        SimulatorOptions.builder().usernamePattern("rig/{n}").build())
                .hasMessageContaining("invalid rig id");
        assertThatThrownBy(() ->
                        SimulatorOptions.builder().brokerUri("localhost:1883").build())
                .hasMessageContaining("broker");
        assertThatThrownBy(() -> SimulatorOptions.builder()
                        .batchLength(Duration.ofSeconds(2))
                        .build())
                .hasMessageContaining("batch-ms");
        assertThatThrownBy(() -> SimulatorOptions.builder().clockDriftPpm(1001).build())
                .hasMessageContaining("clock-drift-ppm");
        assertThatThrownBy(() ->
                        SimulatorOptions.builder().clockDriftPpm(Double.NaN).build())
                .hasMessageContaining("clock-drift-ppm");
        assertThatThrownBy(
                        () -> SimulatorOptions.builder().clockJitterMicros(-1).build())
                .hasMessageContaining("clock-jitter-us");
        assertThatThrownBy(() -> SimulatorOptions.builder().dayMissingCut(1).build())
                .hasMessageContaining("day-missing-cut");
    }

    @Test
    void refusesBatchedTimecodeReportsThatWouldRepeatFrames() {
        assertThatThrownBy(() -> SimulatorOptions.builder().timecodeFrames(0).build())
                .hasMessageContaining("tc-frames must be 1..60, got 0");
        assertThatThrownBy(() -> SimulatorOptions.builder()
                        .timecodeFrames(61)
                        .timecodeInterval(Duration.ofSeconds(5))
                        .build())
                .hasMessageContaining("tc-frames must be 1..60, got 61");
        // 6 frames at 25 fps last 240 ms: the next report, 200 ms later, would send one frame again.
        assertThatThrownBy(() -> SimulatorOptions.builder()
                        .timecodeFrames(6)
                        .timecodeInterval(Duration.ofMillis(200))
                        .build())
                .hasMessageContaining("tc-frames 6 at 25 fps last 240.000 ms, longer than tc-interval-ms 200");
        // 6 frames at 29.97 last 200.2 ms, exactly: 200 is too short, 201 is enough.
        SimulatorOptions.Builder ntsc = SimulatorOptions.builder()
                .timecodeRate(FrameRate.FPS_29_97)
                .timecodeDropFrame(true)
                .timecodeFrames(6);
        assertThatThrownBy(() -> ntsc.timecodeInterval(Duration.ofMillis(200)).build())
                .hasMessageContaining("200.200 ms");
        assertThat(ntsc.timecodeInterval(Duration.ofMillis(201)).build().timecodeFrames())
                .isEqualTo(6);
        // 30 frames of 29.97 last 1001 ms to the nanosecond.
        assertThat(ntsc.timecodeFrames(30)
                        .timecodeInterval(Duration.ofMillis(1001))
                        .build()
                        .timecodeFrames())
                .isEqualTo(30);
        assertThatThrownBy(() -> ntsc.timecodeInterval(Duration.ofMillis(1000)).build())
                .hasMessageContaining("tc-frames 30");
        // 60 frames fit in a second at 60 fps.
        assertThat(SimulatorOptions.builder()
                        .timecodeRate(FrameRate.FPS_60)
                        .timecodeFrames(60)
                        .build()
                        .timecodeFrames())
                .isEqualTo(60);
    }

    @Test
    void refusesJitterThatWouldBreakTheFrameStepsOfABatchedReport() {
        // At 25 fps a twentieth of a frame is 2 ms.
        SimulatorOptions.Builder batched =
                SimulatorOptions.builder().timecodeFrames(5).timecodeInterval(Duration.ofMillis(200));
        assertThat(batched.clockJitterMicros(2000).build().clockJitterMicros()).isEqualTo(2000.0);
        assertThatThrownBy(() -> batched.clockJitterMicros(2001).build())
                .hasMessageContaining("clock-jitter-us must be at most 2000 us")
                .hasMessageContaining("tc-frames > 1");
        // One frame a report has no steps: the old bound holds.
        assertThat(SimulatorOptions.builder().clockJitterMicros(100_000).build().timecodeFrames())
                .isEqualTo(1);
    }

    @Test
    void acceptsTheExtremes() {
        assertThat(SimulatorOptions.builder()
                        .sampleRateHz(4000)
                        .batchLength(Duration.ofSeconds(1))
                        .build()
                        .maxBatchSamples())
                .isEqualTo(4000);
        assertThat(SimulatorOptions.builder()
                        .sampleRateHz(1)
                        .batchLength(Duration.ofSeconds(1))
                        .build()
                        .maxBatchSamples())
                .isEqualTo(1);
        assertThat(SimulatorOptions.builder()
                        .timecodeRate(FrameRate.FPS_59_94)
                        .timecodeDropFrame(true)
                        .brokerUri("ssl://collector.example:8883")
                        .build()
                        .timecodeDropFrame())
                .isTrue();
    }
}

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

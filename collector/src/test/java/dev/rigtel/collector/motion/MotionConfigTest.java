package dev.rigtel.collector.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MotionConfigTest {

    @Test
    void defaultsCarryTheDomainThresholds() {
        MotionConfig c = MotionConfig.defaults();

        assertThat(c.impactThresholdG()).isEqualTo(10);
        assertThat(c.impactPreWindow()).isEqualTo(Duration.ofMillis(8));
        assertThat(c.impactPostWindow()).isEqualTo(Duration.ofMillis(32));
        assertThat(c.hicWindow()).isEqualTo(Duration.ofMillis(15));
        assertThat(c.turnStartDps()).isBetween(100.0, 120.0);
        assertThat(c.turnEndDps()).isEqualTo(35);
        assertThat(c.turnMinAngleDeg()).isEqualTo(25);
        assertThat(c.turnMinDuration()).isEqualTo(Duration.ofMillis(80));
        assertThat(c.turnMergeGap()).isEqualTo(Duration.ofMillis(150));
        assertThat(c.whipPanPeakDps()).isEqualTo(300);
        assertThat(c.yawLowPassHz()).isEqualTo(15);
        assertThat(c.stillThresholdDps()).isEqualTo(3);
        assertThat(c.stillDuration()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.gapFactor()).isEqualTo(1.5);
        assertThat(c.comfortThresholdDps()).isEqualTo(30);
        assertThat(c.madgwickBeta()).isEqualTo(0.1);
        assertThat(c.accelFullScaleG()).isEqualTo(16);
        assertThat(c.gyroFullScaleDps()).isEqualTo(2000);
        assertThat(c.clipMarginFraction()).isEqualTo(0.005);
    }

    @Test
    void rejectsAnEndThresholdAboveTheStartThreshold() {
        MotionConfig d = MotionConfig.defaults();
        assertThatThrownBy(() -> new MotionConfig(
                        d.madgwickBeta(),
                        d.accelRejectionG(),
                        d.maxFilterStep(),
                        d.stillThresholdDps(),
                        d.stillDuration(),
                        d.gyroBiasTimeConstant(),
                        d.yawLowPassHz(),
                        30,
                        35,
                        d.turnMinAngleDeg(),
                        d.turnMinDuration(),
                        d.turnMergeGap(),
                        d.whipPanPeakDps(),
                        d.impactThresholdG(),
                        d.impactPreWindow(),
                        d.impactPostWindow(),
                        d.hicWindow(),
                        d.accelFullScaleG(),
                        d.gyroFullScaleDps(),
                        d.clipMarginFraction(),
                        d.gapFactor(),
                        d.comfortThresholdDps(),
                        d.comfortSaturationDps(),
                        d.angularAccelLowPassHz(),
                        d.nominalSampleRateHz()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("turnStartDps");
    }

    @Test
    void rejectsANonsenseSampleRate() {
        assertThatThrownBy(() -> MotionConfig.defaults().withNominalSampleRateHz(-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nominalSampleRateHz");
    }
}

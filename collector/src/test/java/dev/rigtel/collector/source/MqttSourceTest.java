package dev.rigtel.collector.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.ingest.Publisher;
import org.junit.jupiter.api.Test;

class MqttSourceTest {

    @Test
    void theRigIsTheTopicsRigLevel() {
        Publisher rig = MqttSource.publisher("rigtel/v1/rig-07/imu");
        assertThat(rig.name()).isEqualTo("rig-07");
        assertThat(rig.telemetry()).isTrue();
        assertThat(rig.slate()).isFalse();
        assertThat(MqttSource.publisher("rigtel/v1/rig-07/status").name()).isEqualTo("rig-07");
    }

    @Test
    void theSlateTopicIsASlatePublisher() {
        Publisher slate = MqttSource.publisher("rigtel/v1/slate");
        assertThat(slate.slate()).isTrue();
        assertThat(slate.telemetry()).isFalse();
    }

    @Test
    void aTopicThatNamesNoValidRigHasNoPublisher() {
        assertThat(MqttSource.publisher("rigtel/v1/rig 07/imu")).isNull();
        assertThat(MqttSource.publisher("rigtel/v1/rig-07/error")).isNull();
        assertThat(MqttSource.publisher("other/topic")).isNull();
    }

    @Test
    void subscribesToTheRigAndSlateTopicsOnly() {
        assertThat(MqttSource.FILTERS)
                .containsExactly("rigtel/v1/+/imu", "rigtel/v1/+/timecode", "rigtel/v1/+/status", "rigtel/v1/slate");
    }
}

package dev.rigtel.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RigTopicTest {

    @Test
    void parsesEachKindOfRigTopic() {
        assertThat(RigTopic.parse("rigtel/v1/rig-07/imu")).contains(new RigTopic("rig-07", MessageKind.IMU));
        assertThat(RigTopic.parse("rigtel/v1/rig-07/timecode")).contains(new RigTopic("rig-07", MessageKind.TIMECODE));
        assertThat(RigTopic.parse("rigtel/v1/rig-07/status")).contains(new RigTopic("rig-07", MessageKind.STATUS));
    }

    @Test
    void refusesOtherTopics() {
        assertThat(RigTopic.parse("rigtel/v2/rig-07/imu")).isEmpty();
        assertThat(RigTopic.parse("rigtel/v1/rig-07/imu/extra")).isEmpty();
        assertThat(RigTopic.parse("rigtel/v1//imu")).isEmpty();
        assertThat(RigTopic.parse("rigtel/v1/rig-07/gps")).isEmpty();
        assertThat(RigTopic.parse("rigtel/v1/rig-07")).isEmpty();
        assertThat(RigTopic.parse("")).isEmpty();
        assertThat(RigTopic.parse(null)).isEmpty();
    }

    @Test
    void buildsTheTopicARigPublishesOn() {
        assertThat(RigTopic.of(new RigId("rig-01"), MessageKind.IMU)).isEqualTo("rigtel/v1/rig-01/imu");
    }

    @Test
    void tellsOwnUnknownTopicsFromForeignOnes() {
        RigId rig = new RigId("rig-01");
        assertThat(RigTopic.isUnder("rigtel/v1/rig-01/gps", rig)).isTrue();
        assertThat(RigTopic.isUnder("rigtel/v1/rig-010/imu", rig)).isFalse();
    }

    @Test
    void rigIdsCannotCarryTopicOrLineProtocolSyntax() {
        for (String bad : new String[] {"", "a/b", "a+b", "a#", "a b", "a\nb", "a\\b", "x".repeat(65)}) {
            assertThatThrownBy(() -> new RigId(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new RigId("rig,=\"ü🎥").value()).isEqualTo("rig,=\"ü🎥");
    }
}

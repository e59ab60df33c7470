package dev.rigtel.dashboard.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveTopicTest {

    @Test
    void takesTheRigAndKindFromARigTopic() {
        assertThat(LiveTopic.parse("rigtel/v1/live/rig-07/state")).contains(new LiveTopic(LiveKind.STATE, "rig-07"));
        assertThat(LiveTopic.parse("rigtel/v1/live/rig-07/trace")).contains(new LiveTopic(LiveKind.TRACE, "rig-07"));
        assertThat(LiveTopic.parse("rigtel/v1/live/rig-07/command"))
                .contains(new LiveTopic(LiveKind.COMMAND, "rig-07"));
    }

    @Test
    void knowsTheTakesTopicHasNoRig() {
        assertThat(LiveTopic.parse("rigtel/v1/live/takes")).contains(new LiveTopic(LiveKind.TAKES, null));
    }

    @Test
    void knowsTheStorageTopicHasNoRig() {
        assertThat(LiveTopic.parse("rigtel/v1/live/storage")).contains(new LiveTopic(LiveKind.STORAGE, null));
        assertThat(LiveTopic.parse("rigtel/v1/live/rig-07/storage")).isEmpty();
    }

    @Test
    void refusesTopicsItDoesNotKnow() {
        assertThat(LiveTopic.parse("rigtel/v1/rig-07/imu")).isEmpty();
        assertThat(LiveTopic.parse("rigtel/v1/live/rig-07/weather")).isEmpty();
        assertThat(LiveTopic.parse("rigtel/v1/live/rig-07/takes")).isEmpty();
        assertThat(LiveTopic.parse("rigtel/v1/live/rig-07/feed")).isEmpty();
        assertThat(LiveTopic.parse("rigtel/v1/live/rig-07/state/extra")).isEmpty();
        assertThat(LiveTopic.parse("rigtel/v1/live//state")).isEmpty();
    }
}

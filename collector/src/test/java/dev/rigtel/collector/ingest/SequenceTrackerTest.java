package dev.rigtel.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    private static final RigId RIG = new RigId("rig-01");
    private final SequenceTracker tracker = new SequenceTracker();

    private SequenceTracker.Observation imu(String boot, long seq, long firstNanos, long lastNanos) {
        return tracker.observe(RIG, MessageKind.IMU, boot, seq, firstNanos, lastNanos);
    }

    @Test
    void countsGapsAndDuplicates() {
        assertThat(imu("b", 1, 0, 49)).isEqualTo(SequenceTracker.Observation.IN_ORDER);
        assertThat(imu("b", 4, 150, 199).missing()).isEqualTo(2);
        assertThat(imu("b", 3, 100, 149).duplicate()).isTrue();
        assertThat(imu("b", 5, 200, 249)).isEqualTo(SequenceTracker.Observation.IN_ORDER);
    }

    @Test
    void aNewMessageWhoseDeviceTimeGoesBackwardsIsFlaggedAndDoesNotMoveTheStream() {
        imu("b", 1, 0, 49);
        assertThat(imu("b", 2, 40, 89).backwards()).isTrue();
        assertThat(imu("b", 2, 50, 99)).isEqualTo(SequenceTracker.Observation.IN_ORDER);
    }

    @Test
    void aNewBootStartsAgain() {
        imu("b1", 100, 5_000, 5_049);
        assertThat(imu("b2", 0, 0, 49)).isEqualTo(SequenceTracker.Observation.IN_ORDER);
    }
}

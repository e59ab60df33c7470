package dev.rigtel.collector.ingest;

/** What a rig publishes, by the last level of its topic. */
public enum MessageKind {
    IMU("imu"),
    TIMECODE("timecode"),
    STATUS("status"),
    /** Slate events on {@code rigtel/v1/slate}, not under a rig. */
    SLATE("slate");

    private final String topicLevel;

    MessageKind(String topicLevel) {
        this.topicLevel = topicLevel;
    }

    public String topicLevel() {
        return topicLevel;
    }
}

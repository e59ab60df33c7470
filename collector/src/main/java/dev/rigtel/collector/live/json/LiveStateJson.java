package dev.rigtel.collector.live.json;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A rig's current state on {@code rigtel/v1/live/{rig}/state} (firmware-notes/live-topics.md).
 * Every field is always present; {@code null} where not known.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LiveStateJson(
        int v,
        String rig,
        String time,
        long timeNanos,
        boolean online,
        String since,
        long sinceNanos,
        String timecodeLock,
        Status status,
        TakeRef take,
        String wearer) {

    /** The rig's last status report, {@code null} fields where the rig did not send them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Status(
            String time,
            long timeNanos,
            String boot,
            Double batteryPercent,
            Double batteryVolts,
            Double temperatureCelsius,
            Integer wifiRssiDbm,
            Boolean recording,
            Double imuRateHz,
            Integer accelRangeG,
            Integer gyroRangeDps,
            String firmware) {}

    /** The take rolling now. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TakeRef(String id, String name, String scene, String shot, int take, String start, long startNanos) {}
}

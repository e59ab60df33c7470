package dev.rigtel.collector.live.json;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** A take started or ended, on {@code rigtel/v1/live/takes} (firmware-notes/live-topics.md). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LiveTakeJson(
        int v,
        String event,
        String takeId,
        String name,
        String date,
        String scene,
        String shot,
        int take,
        String cameraRoll,
        String timecodeRate,
        String start,
        long startNanos,
        String startTimecode,
        String end,
        Long endNanos,
        String endTimecode,
        boolean closedByNextRoll,
        List<String> rigs,
        List<Wearer> wearers,
        boolean stunt) {

    /** {@code person} wore {@code rig} during (part of) the take. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Wearer(String rig, String person) {}
}

package dev.rigtel.collector.live.json;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One motion event on {@code rigtel/v1/live/{rig}/event} (firmware-notes/live-topics.md). Every
 * field is always present; those that do not apply to the event's type are {@code null}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LiveEventJson(
        int v,
        String rig,
        String type,
        String onset,
        long onsetNanos,
        String end,
        long endNanos,
        Double peakG,
        Double hic15,
        Double peakYawRateDps,
        Double angleDeg,
        String direction,
        String axis,
        Double clippedG,
        Double clippedDps,
        Integer missingSamples) {}

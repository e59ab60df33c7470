package dev.rigtel.collector.live.json;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One clock alert on {@code rigtel/v1/live/{rig}/alert} (firmware-notes/live-topics.md). The alert's
 * figure is in the one of {@code jump_frames}, {@code silence_seconds}, {@code drift_ppm}, {@code
 * ahead_seconds} its type names; the others are {@code null}. Field names are snake_case on the wire ({@code timeNanos}
 * is {@code time_nanos}), as in every live topic.
 *
 * <p>Type {@code snooze-until-cut} is no clock alert: the slate snoozed the impact alerts of {@code
 * rig} ({@code *}: every rig) until the take {@code take_id} is cut (null: no take was rolling, so
 * until the next cut).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LiveAlertJson(
        int v,
        String rig,
        String type,
        String message,
        String time,
        long timeNanos,
        Double jumpFrames,
        Double silenceSeconds,
        Double driftPpm,
        Double aheadSeconds,
        String takeId) {

    /** A clock alert: no take. */
    public LiveAlertJson(
            int v,
            String rig,
            String type,
            String message,
            String time,
            long timeNanos,
            Double jumpFrames,
            Double silenceSeconds,
            Double driftPpm,
            Double aheadSeconds) {
        this(v, rig, type, message, time, timeNanos, jumpFrames, silenceSeconds, driftPpm, aheadSeconds, null);
    }
}

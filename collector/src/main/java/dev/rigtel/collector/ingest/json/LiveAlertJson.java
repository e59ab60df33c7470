package dev.rigtel.collector.ingest.json;

/**
 * One clock alert on {@code rigtel/v1/live/{rig}/alert} (firmware-notes/live-topics.md). The alert's
 * figure is in the one of {@code jumpFrames}, {@code silenceSeconds}, {@code driftPpm} its type
 * names; the other two are {@code null}.
 */
public record LiveAlertJson(
        int v,
        String rig,
        String type,
        String message,
        String time,
        long timeNanos,
        Double jumpFrames,
        Double silenceSeconds,
        Double driftPpm) {}

package dev.rigtel.collector.live.json;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One closed UTC second of a rig's motion on {@code rigtel/v1/live/{rig}/motion} (firmware-notes/live-topics.md). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LiveMotionJson(
        int v,
        String rig,
        String time,
        long timeNanos,
        double accelPeakG,
        double accelRmsG,
        double gyroPeakDps,
        double gyroRmsDps,
        double yawRateDps,
        int samples,
        int expectedSamples,
        int gaps) {}

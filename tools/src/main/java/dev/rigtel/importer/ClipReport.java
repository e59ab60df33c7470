package dev.rigtel.importer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One clip's line of the summary: what was read and where it landed.
 *
 * @param status {@code imported}, {@code already-imported} or {@code failed}
 * @param samples camera IMU samples the collector has of the clip
 * @param takes the takes the clip's samples fell in, with the rig's wearer
 * @param offsetMillis for a clip aligned by its gyro: where the alignment put it minus where its
 *     timecode (or, without one, its creation time) put it; null if not aligned
 * @param confidence for an aligned clip: the peak's normalized correlation and its ratio to the
 *     second-best peak; null if not aligned
 */
record ClipReport(
        String clip,
        String file,
        String camera,
        String serial,
        @JsonProperty("duration_s") double durationSeconds,
        Map<String, Integer> streams,
        String timecode,
        String date,
        String rig,
        List<Take> takes,
        long samples,
        String status,
        String error,
        List<String> warnings,
        @JsonProperty("offset_ms") Long offsetMillis,
        Confidence confidence) {

    /** How sure an alignment is ({@link GyroAligner.Alignment}). */
    record Confidence(double correlation, @JsonProperty("peak_ratio") double peakRatio) {}

    /** A take the clip's samples fell in. */
    record Take(String id, String name, String wearer, long samples, String summary) {}

    boolean failed() {
        return status.equals("failed");
    }
}

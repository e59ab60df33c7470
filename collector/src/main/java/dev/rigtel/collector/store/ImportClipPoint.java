package dev.rigtel.collector.store;

/**
 * One camera clip imported onto a rig ({@code import_clip}), as far as it fell in one take: at the
 * clip's first sample in that take.
 *
 * @param clip the clip's id ({@code POST /api/import})
 * @param clipName the clip's first file name, empty if not known
 * @param takeId the take its samples fell in
 * @param cameraModel empty if the file does not say
 * @param cameraSerial empty if the file does not say
 * @param firstNanos the clip's first sample in the take (production time, UTC ns)
 * @param lastNanos its last sample in the take
 * @param samples its samples in the take
 * @param timecode the clip's {@code tmcd} start label, empty if the file has none
 */
public record ImportClipPoint(
        String rig,
        String clip,
        String clipName,
        String takeId,
        String cameraModel,
        String cameraSerial,
        long firstNanos,
        long lastNanos,
        long samples,
        String timecode) {}

package dev.rigtel.gopro.mp4;

/**
 * One {@code trak}.
 *
 * @param trackId {@code tkhd} track id
 * @param handler {@code hdlr} handler type: {@code vide}, {@code soun}, {@code tmcd}, {@code meta}
 * @param format the first sample entry's format in {@code stsd}: {@code avc1}, {@code hvc1}, {@code
 *     tmcd}, {@code gpmd}, ...
 * @param timescale {@code mdhd} media timescale (units per second)
 * @param duration {@code mdhd} duration in the media timescale
 * @param editOffset where the media starts on the movie timeline, in the movie timescale, from {@code
 *     elst} as the reference parser reads it: empty edits delay it, a first edit that starts inside the
 *     media advances it
 * @param samples the sample table
 * @param sampleEntry the first {@code stsd} entry's bytes after its 8-byte header
 */
public record Track(
        int trackId,
        String handler,
        String format,
        long timescale,
        long duration,
        long editOffset,
        SampleTable samples,
        byte[] sampleEntry) {}

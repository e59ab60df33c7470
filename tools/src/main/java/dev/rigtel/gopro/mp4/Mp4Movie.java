package dev.rigtel.gopro.mp4;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code moov} box says about a recording.
 *
 * @param fileBytes the file's length
 * @param timescale {@code mvhd} movie timescale
 * @param duration {@code mvhd} duration in the movie timescale
 * @param creationTime {@code mvhd} creation time (seconds since 1904-01-01); GoPro cameras write their
 *     local clock here as if it were UTC
 * @param tracks every track, in file order
 * @param userData the leaf boxes of {@code moov/udta} by type ({@code FIRM}, {@code CAME}, {@code GPMF},
 *     ...), first of each
 * @param warnings what the reader could not use, e.g. an {@code mdat} cut short
 */
public record Mp4Movie(
        long fileBytes,
        long timescale,
        long duration,
        Optional<Instant> creationTime,
        List<Track> tracks,
        Map<String, byte[]> userData,
        List<String> warnings) {

    public Mp4Movie {
        tracks = List.copyOf(tracks);
        userData = Map.copyOf(userData);
        warnings = List.copyOf(warnings);
    }

    /** The first video track. */
    public Optional<Track> video() {
        return tracks.stream().filter(t -> t.handler().equals("vide")).findFirst();
    }

    /** The GPMF telemetry track: a {@code meta} handler with a {@code gpmd} sample entry. */
    public Optional<Track> gpmf() {
        return tracks.stream()
                .filter(t -> t.handler().equals("meta") && t.format().equals("gpmd"))
                .findFirst();
    }

    /** The timecode track. */
    public Optional<Track> timecode() {
        return tracks.stream()
                .filter(t -> t.handler().equals("tmcd") && t.format().equals("tmcd"))
                .findFirst();
    }

    /** {@link #duration} in nanoseconds. */
    public long durationNanos() {
        return timescale == 0 ? 0 : Math.round(duration * 1e9 / timescale);
    }
}

package dev.rigtel.gopro.clip;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything read from one clip: a recording, which the camera may have split into chapter files.
 *
 * @param clipName the first chapter's file name without extension ({@code GX010123}), as editors name
 *     the clip
 * @param files the chapter files, in order
 * @param cameraModel e.g. "GoPro Max", "HERO9 Black" ({@code MINF}, else the camera device's {@code
 *     DVNM})
 * @param cameraSerial {@code CASN}, where the file has it
 * @param creationTime the first chapter's {@code mvhd} creation time; GoPro writes the camera's local
 *     clock as if it were UTC, so read it as a local date and time
 * @param timecode the first chapter's {@code tmcd} start and rate, where it has one
 * @param durationNanos the chapters' movie durations added up
 * @param streams the telemetry, one per device and key, in the order the camera writes them
 * @param warnings what could not be read, each naming the file (and payload and byte offset where
 *     there is one); the rest of the clip is still here
 * @param bytesRead bytes read from the files (box headers, the {@code moov}, the telemetry)
 */
public record ClipTelemetry(
        String clipName,
        List<Path> files,
        Optional<String> cameraModel,
        Optional<String> cameraSerial,
        Optional<Instant> creationTime,
        Optional<ClipTimecode> timecode,
        long durationNanos,
        List<SensorStream> streams,
        List<String> warnings,
        long bytesRead) {

    public ClipTelemetry {
        files = List.copyOf(files);
        streams = List.copyOf(streams);
        warnings = List.copyOf(warnings);
    }

    /** The first stream with this key, e.g. {@code stream("GYRO")}. */
    public Optional<SensorStream> stream(String fourcc) {
        return streams.stream().filter(s -> s.fourcc().equals(fourcc)).findFirst();
    }

    /** Samples of every stream added up. */
    public long samples() {
        return streams.stream().mapToLong(SensorStream::samples).sum();
    }
}

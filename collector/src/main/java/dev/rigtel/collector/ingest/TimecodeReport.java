package dev.rigtel.collector.ingest;

import dev.rigtel.collector.timecode.Timecode;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A rig's report that the frame {@code timecode} began at {@code deviceNanos} on its clock, and each
 * frame after it, {@code timecode + i + 1}, at {@code nextDeviceNanos[i]} (empty for a report of one
 * frame). {@code shootingDate} is the date of the frame {@code timecode}.
 */
public record TimecodeReport(
        RigId rig,
        String boot,
        long seq,
        Timecode timecode,
        long deviceNanos,
        Optional<LocalDate> shootingDate,
        long[] nextDeviceNanos) {

    /** A report of one frame. */
    public TimecodeReport(
            RigId rig, String boot, long seq, Timecode timecode, long deviceNanos, Optional<LocalDate> shootingDate) {
        this(rig, boot, seq, timecode, deviceNanos, shootingDate, new long[0]);
    }

    /** How many frames it pairs with device times: 1 and the frames after it. */
    public int frameCount() {
        return 1 + nextDeviceNanos.length;
    }

    /** The device time of its last frame. */
    public long lastDeviceNanos() {
        return nextDeviceNanos.length == 0 ? deviceNanos : nextDeviceNanos[nextDeviceNanos.length - 1];
    }
}

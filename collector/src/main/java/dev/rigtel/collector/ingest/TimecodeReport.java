package dev.rigtel.collector.ingest;

import dev.rigtel.collector.timecode.Timecode;
import java.time.LocalDate;
import java.util.Optional;

/** A rig's report that the frame {@code timecode} began at {@code deviceNanos} on its clock. */
public record TimecodeReport(
        RigId rig, String boot, long seq, Timecode timecode, long deviceNanos, Optional<LocalDate> shootingDate) {}

package dev.rigtel.collector.store;

/**
 * One timecode report, at the production time of its device time.
 *
 * @param label the timecode as SMPTE text, e.g. {@code 14:03:27;01}
 * @param rate the frame rate's label, e.g. {@code 29.97}
 * @param frame frame number of the label since 00:00:00:00
 * @param deviceNanos device time at which the frame began
 */
public record TimecodePoint(
        String rig,
        long timeNanos,
        String label,
        String rate,
        boolean dropFrame,
        long frame,
        long deviceNanos,
        long seq,
        String boot) {}

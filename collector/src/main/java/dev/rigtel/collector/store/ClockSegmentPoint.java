package dev.rigtel.collector.store;

/**
 * A frozen segment of one boot's device clock: production time {@code startNanos + rate * (device -
 * startDeviceNanos)}, stored at {@code startNanos}.
 *
 * @param lock the lock state's name in lower case: {@code locked}, {@code holdover}, {@code unlocked}
 */
public record ClockSegmentPoint(
        String rig,
        String boot,
        long startDeviceNanos,
        long lengthNanos,
        long startNanos,
        double rate,
        String lock,
        double driftPpm,
        double residualRmsNanos) {}

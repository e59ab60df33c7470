package dev.rigtel.collector.store;

/**
 * An alert for people on set: a clock's trouble, or the collector's disks ({@code rig=collector}).
 *
 * @param type e.g. {@code timecode-jump}, {@code disk-warning}
 * @param value the figure behind it; a value that is not finite is stored as 0
 */
public record AlertPoint(String rig, String type, String message, double value, long timeNanos) {}

package dev.rigtel.collector.timecode;

import java.util.Optional;

/**
 * The SMPTE ST 12-1 frame rates a rig may report, with their exact rational rates. Real time is
 * always computed as {@code frames * denominator / numerator}, never by dividing by 29.97.
 */
public enum FrameRate {
    FPS_23_976("23.976", 24000, 1001, 24, false),
    FPS_24("24", 24, 1, 24, false),
    FPS_25("25", 25, 1, 25, false),
    FPS_29_97("29.97", 30000, 1001, 30, true),
    FPS_30("30", 30, 1, 30, false),
    FPS_48("48", 48, 1, 48, false),
    FPS_50("50", 50, 1, 50, false),
    FPS_59_94("59.94", 60000, 1001, 60, true),
    FPS_60("60", 60, 1, 60, false);

    private final String label;
    private final long numerator;
    private final long denominator;
    private final int countingBase;
    private final boolean dropFrameAllowed;

    FrameRate(String label, long numerator, long denominator, int countingBase, boolean dropFrameAllowed) {
        this.label = label;
        this.numerator = numerator;
        this.denominator = denominator;
        this.countingBase = countingBase;
        this.dropFrameAllowed = dropFrameAllowed;
    }

    /** The rate as rigs and editors write it: {@code "29.97"}. */
    public String label() {
        return label;
    }

    public long numerator() {
        return numerator;
    }

    public long denominator() {
        return denominator;
    }

    /** Frames per timecode second, the base the {@code ff} field counts to. */
    public int countingBase() {
        return countingBase;
    }

    /** Only 29.97 and 59.94 have a drop-frame form. */
    public boolean dropFrameAllowed() {
        return dropFrameAllowed;
    }

    /** Labels dropped at the start of each minute not divisible by ten, in drop-frame mode. */
    public int droppedPerMinute() {
        return dropFrameAllowed ? countingBase / 15 : 0;
    }

    /**
     * Length of one frame in nanoseconds from the exact rational rate (33366666.67 at 29.97). For
     * thresholds and tolerances only; frame starts come from {@link Timecode#realTimeNanos()}.
     */
    public double frameNanos() {
        return denominator * 1e9 / numerator;
    }

    /** Frames per second as a double (29.97002997 at 29.97), for drift estimates. */
    public double framesPerSecond() {
        return (double) numerator / denominator;
    }

    public static Optional<FrameRate> fromLabel(String label) {
        for (FrameRate rate : values()) {
            if (rate.label.equals(label)) {
                return Optional.of(rate);
            }
        }
        return Optional.empty();
    }
}

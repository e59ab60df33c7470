package dev.rigtel.dashboard.access;

/** What a request may do. */
public enum Rights {
    /** Nothing but the public parts: the page files, {@code /health}, {@code /session}. */
    NONE,
    /** See everything: the live stream, the collector's read API, {@code /metrics}. */
    READ,
    /** Read, and act: slate events and rig commands. */
    CONTROL;

    public boolean canControl() {
        return this == CONTROL;
    }
}

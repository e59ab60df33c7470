package dev.rigtel.dashboard.live;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of live message the collector publishes under {@code rigtel/v1/live/}
 * (firmware-notes/live-topics.md), named as the last topic level, plus the dashboard's own
 * {@link #FEED}. Each is sent to browsers as a server-sent event of the same name.
 */
public enum LiveKind {
    STATE(false),
    MOTION(true),
    TRACE(true),
    EVENT(false),
    ALERT(false),
    TAKES(false),
    COMMAND(false),
    /** The shoot's disks: used, free, the forecast to the last day (retained, no rig). */
    STORAGE(false),
    /** The dashboard's own: its MQTT connection to the collector went up or down. */
    FEED(false);

    private final boolean droppable;
    private final String label;

    LiveKind(boolean droppable) {
        this.droppable = droppable;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** The topic level and SSE event name: {@code state}, {@code trace}, ... */
    public String label() {
        return label;
    }

    /**
     * Whether a slow browser may lose it: {@code motion} and {@code trace} come again within a
     * second and are only drawn; states, events, alerts, takes and commands each say something a
     * person must see.
     */
    public boolean droppable() {
        return droppable;
    }

    public static Optional<LiveKind> ofLabel(String label) {
        for (LiveKind kind : values()) {
            if (kind.label.equals(label)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}

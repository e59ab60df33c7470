package dev.rigtel.collector.auth;

import java.util.Locale;

/** What an authenticated user may do. A rig publishes only under its own id. */
public enum Role {
    /** A rig: publishes telemetry under {@code rigtel/v1/{its username}/}. */
    RIG,
    /** A slate app or script supervisor's tool: sends slate events. */
    SLATE,
    /** Reads dashboards and live topics. */
    VIEWER,
    /**
     * The camera telemetry import ({@code ./rigtel import} on the DIT cart): posts batches of a clip's
     * samples to {@code /api/import} and reads the API; no MQTT rights.
     */
    IMPORT,
    /** Everything. */
    ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.label().equals(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (rig, slate, viewer, import, admin)");
    }
}

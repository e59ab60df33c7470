package dev.rigtel.dashboard.access;

/** Why a request was refused; the {@code reason} tag of {@code rigtel.dashboard.access.refused}. */
public enum Refusal {
    /** Reads need a token and none came (401). */
    NO_TOKEN("no-token", 401),
    /** A token came that is neither the access nor the control token (401). */
    BAD_TOKEN("bad-token", 401),
    /** A slate event or command with read rights only (403). */
    NO_CONTROL_RIGHTS("no-control-rights", 403),
    /** A slate event or command while the dashboard runs without {@code --control-token} (403). */
    CONTROLS_OFF("controls-off", 403),
    /** A slate event or command from another site's page, or not sent as JSON (403). */
    CROSS_ORIGIN("cross-origin", 403);

    private final String tag;
    private final int status;

    Refusal(String tag, int status) {
        this.tag = tag;
        this.status = status;
    }

    public String tag() {
        return tag;
    }

    /** The HTTP status it is answered with. */
    public int status() {
        return status;
    }
}
